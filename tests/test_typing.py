"""Static typing as users see it: a typed user script passes ``mypy --strict``; a request of the wrong
endpoint class, or a misuse of a result, fails it."""

from __future__ import annotations

import json
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


V5_SPEC = Path(__file__).resolve().parent.parent / "spec" / "v5_api.json"

V5_BAD = """
    from carpenstar_bybit import BybitAPI
    from carpenstar_bybit.v5.trade.batch_cancel_order import BatchCancelOrderRequestItem
    from carpenstar_bybit.v5.trade.batch_place_order import BatchPlaceOrder, BatchPlaceOrderRequest


    def wrong_item(api: BybitAPI) -> None:
        api.rest(BatchPlaceOrder, BatchPlaceOrderRequest().add_request(BatchCancelOrderRequestItem()))


    def wrong_code(api: BybitAPI) -> str:
        item = api.rest(BatchPlaceOrder, BatchPlaceOrderRequest()).get_result()
        assert item is not None
        return item.get_code()
"""


def test_mypy_infers_the_result_of_every_v5_endpoint(tmp_path: Path) -> None:
    entries = json.loads(V5_SPEC.read_text(encoding="utf-8"))["endpoints"]
    lines = ["from carpenstar_bybit import BybitAPI"]
    calls = []
    expected = []
    for entry in entries:
        name, package = entry["endpoint_class"], entry["python_package"]
        lines.append(f"from {package} import {name}, {name}Request")
        calls.append(f"    reveal_type(api.rest({name}, {name}Request()).get_result())")
        (main,) = (c for c in entry["response"] if c["class"] == f"{name}Response")
        if any(isinstance(r["key"], int) for r in main.get("reads", [])):
            # an array item (a kline): a typed tuple, with the class as the tuple's fallback
            expected.append(f'fallback={package}.response.{name}Response] | None"')
        else:
            expected.append(f'Revealed type is "{package}.response.{name}Response | None"')
    calls.append(
        "    reveal_type(api.rest(GetOpenOrders, GetOpenOrdersRequest()).get_list_info().get_category())"
    )
    expected.append('Revealed type is "str"')
    script = "\n".join([*lines, "", "", "def every(api: BybitAPI) -> None:", *calls, ""])
    good, bad = tmp_path / "v5_user.py", tmp_path / "v5_bad.py"
    good.write_text(script)
    bad.write_text(textwrap.dedent(V5_BAD))
    stdout, stderr, _ = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".cache"), str(good), str(bad)]
    )
    notes = [
        line.split(": note: ", 1)[1]
        for line in stdout.splitlines()
        if "v5_user.py" in line and ": note: " in line
    ]
    errors = [line for line in stdout.splitlines() if "v5_user.py" in line and ": error: " in line]
    assert errors == [], stdout + stderr
    assert len(notes) == len(expected)
    for note, want in zip(notes, expected, strict=True):
        assert note.startswith('Revealed type is "'), note
        assert note.endswith(want), note
    bad_lines = [line.split(": error: ", 1)[1] for line in stdout.splitlines() if line.startswith(str(bad))]
    assert len(bad_lines) == 2, stdout
    assert bad_lines[0].startswith(
        'Argument 1 to "add_request" of "BatchPlaceOrderRequest" has incompatible type'
    )
    assert bad_lines[1].startswith('Incompatible return value type (got "int | None", expected "str")')
