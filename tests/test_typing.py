"""Static typing as users see it: a typed user script passes ``mypy --strict``; a request of the wrong
endpoint class, or a misuse of a result, fails it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mypy import api as mypy_api

GOOD = """
    from decimal import Decimal

    from carpenstar_bybit import BybitAPI, EnumOutputMode, Hosts, OrderNotFoundException
    from carpenstar_bybit.derivatives.contract.order.cancel_order import (
        CancelOrder,
        CancelOrderRequest,
        CancelOrderResponse,
        ICancelOrderRequestInterface,
    )
    from carpenstar_bybit.derivatives.market_data.order_book import OrderBook, OrderBookRequest


    def cancel(api: BybitAPI, order_id: str) -> str | None:
        request: ICancelOrderRequestInterface = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id)
        assert isinstance(request, CancelOrderRequest)
        try:
            response = api.rest(CancelOrder, request)
        except OrderNotFoundException as exc:
            return str(exc.ret_code)
        result = response.get_result()
        reveal_type(result)
        if result is None:
            return None
        same: CancelOrderResponse = result
        return same.get_order_id()


    def five_x(api: BybitAPI) -> list[str]:
        bound = api.private_endpoint(CancelOrder, CancelOrderRequest().set_symbol("X").set_order_link_id("l"))
        return [item.get_order_link_id() for item in bound.execute().get_body()]


    def best_bid(api: BybitAPI) -> Decimal | None:
        book = api.public_endpoint(OrderBook, OrderBookRequest().set_symbol("BTCUSDT")).execute().get_result()
        if book is None or not book.get_bid():
            return None
        return book.get_bid()[0].get_price()


    def raw(api: BybitAPI) -> str:
        return api.rest(CancelOrder, None, EnumOutputMode.MODE_JSON).get_body()[0]


    with BybitAPI(Hosts.TESTNET, "key", "secret") as client:
        pass
"""

BAD = """
    from carpenstar_bybit import BybitAPI
    from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder
    from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrderRequest


    def wrong(api: BybitAPI) -> None:
        api.rest(CancelOrder, PlaceOrderRequest().set_symbol("BTCUSDT"))


    def wrong_result(api: BybitAPI) -> int:
        result = api.rest(CancelOrder).get_result()
        assert result is not None
        return result.get_order_id()
"""


def test_user_scripts_are_checked_by_mypy_strict(tmp_path: Path) -> None:
    good = tmp_path / "good_user.py"
    bad = tmp_path / "bad_user.py"
    good.write_text(textwrap.dedent(GOOD))
    bad.write_text(textwrap.dedent(BAD))
    stdout, stderr, _ = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".cache"), str(good), str(bad)]
    )
    lines = [line.replace(str(tmp_path) + "/", "") for line in stdout.splitlines()]
    good_lines = [line for line in lines if line.startswith("good_user.py")]
    bad_lines = [line for line in lines if line.startswith("bad_user.py")]
    assert good_lines == [
        'good_user.py:22: note: Revealed type is "carpenstar_bybit.derivatives.contract.order.cancel_order.'
        'response.CancelOrderResponse | None"'
    ], stdout + stderr
    assert len(bad_lines) == 2, stdout
    # The request's class must be the endpoint's: mypy cannot solve Q for CancelOrder + PlaceOrderRequest.
    assert (
        bad_lines[0]
        == 'bad_user.py:8: error: Cannot infer value of type parameter "Q" of "rest" of "BybitAPI"  [misc]'
    )

    assert bad_lines[1].startswith(
        'bad_user.py:14: error: Incompatible return value type (got "str", expected "int")'
    )
