"""What the V3-over-V5 bridge costs: client CPU per call, bridged against direct, in one run.

::

    python bench/bridge.py            # about half a minute
    python bench/bridge.py --quick    # a few seconds, fewer samples

Three ways to make the same call, each through ``BybitAPI.rest`` with a ``MockTransport`` that answers
at once (no socket, no server: the numbers are the SDK's own work: validation, signing, parsing):

- *V5 direct*: the V5 endpoint class, as a V5 user writes it;
- *V3 over V5*: the V3 endpoint class on a bridging client (translated request, V5 wire, reshaped answer);
- *V3 direct*: the V3 endpoint class sent as written (the V3 route, a V3 answer).

Two calls: a cancel (a small request and a two-field answer) and a list of 50 open orders (the
reshape of every item: ``timeInForce``, ``stopOrderType`` and the trigger types are read back in V3
spelling). Contenders run in interleaved rounds, so machine noise lands on all of them alike; the
ratios are between medians of the same run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from carpenstar_bybit import BybitAPI, Hosts  # noqa: E402
from carpenstar_bybit.core.mock_transport import MockTransport  # noqa: E402
from carpenstar_bybit.core.transport import WireRequest, WireResponse  # noqa: E402
from carpenstar_bybit.derivatives.contract.order import cancel_order as v3_cancel  # noqa: E402
from carpenstar_bybit.derivatives.contract.order import get_open_orders as v3_open  # noqa: E402
from carpenstar_bybit.v5.trade import cancel_order as v5_cancel  # noqa: E402
from carpenstar_bybit.v5.trade import get_open_orders as v5_open  # noqa: E402

KEY, SECRET = "bench-key-0001", "bench-secret-0123456789"


def _order(n: int, v5: bool) -> dict[str, Any]:
    return {
        "orderId": f"1c9e6b1e-7a04-4a3f-9c54-{n:012d}",
        "orderLinkId": f"bench-{n}",
        "symbol": "BTCUSDT",
        "price": "25000.0",
        "qty": "0.010",
        "side": "Buy",
        "positionIdx": 0,
        "orderStatus": "New",
        "cancelType": "UNKNOWN",
        "rejectReason": "EC_NoError",
        "leavesQty": "0.010",
        "leavesValue": "250",
        "cumExecQty": "0.000",
        "cumExecValue": "0",
        "cumExecFee": "0",
        "timeInForce": "GTC" if v5 else "GoodTillCancel",
        "orderType": "Limit",
        "stopOrderType": "" if v5 else "UNKNOWN",
        "triggerPrice": "0.00",
        "takeProfit": "0.00",
        "stopLoss": "0.00",
        "tpslMode": "",
        "tpLimitPrice": "",
        "slLimitPrice": "",
        "tpTriggerBy": "" if v5 else "UNKNOWN",
        "slTriggerBy": "" if v5 else "UNKNOWN",
        "triggerDirection": 0,
        "triggerBy": "" if v5 else "UNKNOWN",
        "lastPriceOnCreated": "30000.0",
        "reduceOnly": False,
        "closeOnTrigger": False,
        "smpType": "None",
        "smpGroup": 0,
        "smpOrderId": "",
        "createdTime": "1700000000000",
        "updatedTime": "1700000000000",
    }


def _answer(result: dict[str, Any]) -> WireResponse:
    return WireResponse.json({"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": 1})


def _exchange(v5: bool) -> Callable[[WireRequest], WireResponse]:
    ids = _answer({"orderId": "1c9e6b1e-7a04-4a3f-9c54-000000000001", "orderLinkId": ""})
    orders = _answer({"list": [_order(n, v5) for n in range(50)], "nextPageCursor": "", "category": "linear"})

    def answer(request: WireRequest) -> WireResponse:
        return ids if request.method == "POST" else orders

    return answer


def contenders() -> dict[str, dict[str, Callable[[], object]]]:
    """Per call, per contender: one call (the clients are made once)."""
    v5_api = BybitAPI(Hosts.MAINNET, KEY, SECRET, transport=MockTransport(_exchange(v5=True)))
    v3_over_v5 = BybitAPI(Hosts.MAINNET, KEY, SECRET, transport=MockTransport(_exchange(v5=True)))
    v3_api = BybitAPI(
        Hosts.MAINNET, KEY, SECRET, transport=MockTransport(_exchange(v5=False)), v3_over_v5=False
    )
    assert v3_over_v5.bridges_v3
    assert not v3_api.bridges_v3
    oid = "1c9e6b1e-7a04-4a3f-9c54-000000000001"
    v5_cancel_request = (
        v5_cancel.CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(oid)
    )
    v3_cancel_request = v3_cancel.CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(oid)
    v5_list = v5_open.GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT").set_limit(50)
    v3_list = v3_open.GetOpenOrdersRequest().set_symbol("BTCUSDT").set_limit(50)
    return {
        "cancel": {
            "V5 direct": lambda: v5_api.rest(v5_cancel.CancelOrder, v5_cancel_request),
            "V3 over V5": lambda: v3_over_v5.rest(v3_cancel.CancelOrder, v3_cancel_request),
            "V3 direct": lambda: v3_api.rest(v3_cancel.CancelOrder, v3_cancel_request),
        },
        "50 open orders": {
            "V5 direct": lambda: v5_api.rest(v5_open.GetOpenOrders, v5_list),
            "V3 over V5": lambda: v3_over_v5.rest(v3_open.GetOpenOrders, v3_list),
            "V3 direct": lambda: v3_api.rest(v3_open.GetOpenOrders, v3_list),
        },
    }


def measure(rounds: int, calls: int) -> dict[str, dict[str, float]]:
    """Median microseconds per call, per call kind and contender."""
    table = contenders()
    samples: dict[str, dict[str, list[float]]] = {k: {c: [] for c in v} for k, v in table.items()}
    for by_name in table.values():
        for call in by_name.values():
            for _ in range(20):  # warm up: the bridge compiles its plan on the first call
                call()
    for round_number in range(rounds):
        for kind, by_name in table.items():
            names = list(by_name)
            shift = round_number % len(names)
            for name in names[shift:] + names[:shift]:  # a rotating order
                call = by_name[name]
                started = time.perf_counter()
                for _ in range(calls):
                    call()
                samples[kind][name].append((time.perf_counter() - started) / calls * 1e6)
    return {k: {c: statistics.median(v) for c, v in by.items()} for k, by in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples")
    parser.add_argument("--json", action="store_true", help="print the medians as JSON")
    args = parser.parse_args(argv)
    medians = measure(rounds=5 if args.quick else 25, calls=50 if args.quick else 200)
    if args.json:
        print(json.dumps(medians, indent=2))
        return 0
    print("| call | V5 direct | V3 over V5 | V3 direct | over V5 / V5 direct | over V5 / V3 direct |")
    print("|---|---|---|---|---|---|")
    for kind, by in medians.items():
        v5, bridged, v3 = by["V5 direct"], by["V3 over V5"], by["V3 direct"]
        times = f"{v5:.1f} µs | {bridged:.1f} µs | {v3:.1f} µs"
        print(f"| {kind} | {times} | {bridged / v5:.2f} | {bridged / v3:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
