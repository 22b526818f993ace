"""One BybitAPI used from many threads at once: every caller gets the answer to its own request."""

from __future__ import annotations

import json
import threading

from carpenstar_bybit import BybitAPI
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import Recorded, RecordingServer, Reply, envelope


def echo(recorded: Recorded) -> Reply:
    body = json.loads(recorded.body)
    return Reply(envelope({"orderId": body["orderId"], "orderLinkId": recorded.headers["X-BAPI-TIMESTAMP"]}))


def test_one_client_many_threads_no_mixed_responses(server: RecordingServer) -> None:
    server.default = echo
    api = BybitAPI(server.url, API_KEY, SECRET)
    mismatches: list[tuple[str, str]] = []
    failures: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(25):
                order_id = f"t{n}-{i}"
                result = api.rest(
                    CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id)
                )
                got = result.get_result()
                if got is None or got.get_order_id() != order_id:
                    mismatches.append((order_id, got.get_order_id() if got else "<none>"))
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    assert mismatches == []
    assert len(server.requests) == 200
    assert all(r.headers["X-BAPI-SIGN"] == r.expected_signature(SECRET) for r in server.requests)
