"""Static typing of ``AsyncBybitAPI`` as users see it: mypy infers the result type of an awaited call
from the endpoint class alone and rejects a request of another endpoint's class, as for ``BybitAPI``."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mypy import api as mypy_api

GOOD = """
    from carpenstar_bybit import AsyncBybitAPI, Hosts
    from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
    from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest


    async def cancel(api: AsyncBybitAPI, order_id: str) -> str | None:
        request = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id)
        reveal_type((await api.rest(CancelOrder, request)).get_result())
        bound = await api.private_endpoint(CancelOrder, request).execute()
        result = bound.get_result()
        return None if result is None else result.get_order_id()


    async def walk(api: AsyncBybitAPI) -> list[str]:
        request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
        return [order.get_order_id() async for order in api.paginate(GetOpenOrders, request)]


    async def main() -> None:
        async with AsyncBybitAPI(Hosts.TESTNET, "key", "secret") as api:
            await cancel(api, "x")
"""

BAD = """
    from carpenstar_bybit import AsyncBybitAPI
    from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder
    from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrderRequest


    async def wrong(api: AsyncBybitAPI) -> None:
        await api.rest(CancelOrder, PlaceOrderRequest().set_symbol("BTCUSDT"))


    async def not_awaited(api: AsyncBybitAPI) -> None:
        api.rest(CancelOrder).get_result()
"""


def test_async_user_scripts_are_checked_by_mypy_strict(tmp_path: Path) -> None:
    good = tmp_path / "good_async.py"
    bad = tmp_path / "bad_async.py"
    good.write_text(textwrap.dedent(GOOD))
    bad.write_text(textwrap.dedent(BAD))
    stdout, stderr, _ = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".cache"), str(good), str(bad)]
    )
    lines = [line.replace(str(tmp_path) + "/", "") for line in stdout.splitlines()]
    assert [line for line in lines if line.startswith("good_async.py")] == [
        'good_async.py:9: note: Revealed type is "carpenstar_bybit.derivatives.contract.order.cancel_order.'
        'response.CancelOrderResponse | None"'
    ], stdout + stderr
    bad_lines = [line for line in lines if line.startswith("bad_async.py")]
    assert bad_lines[0] == (
        'bad_async.py:8: error: Cannot infer value of type parameter "Q" of "rest" of "AsyncBybitAPI"  [misc]'
    ), stdout
    assert bad_lines[1].startswith(
        'bad_async.py:12: error: "Coroutine[Any, Any, RestResponse[CancelOrderResponse]]"'
    )
