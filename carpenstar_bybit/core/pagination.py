"""Following ``nextPageCursor`` to the end of a list, bounded."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.rest_response import RestResponse

__all__ = ["iterate_pages"]

Q = TypeVar("Q", bound=AbstractParameters)
T = TypeVar("T")


def iterate_pages(
    call: Callable[[Q], RestResponse[T]],
    parameters: Q,
    *,
    max_items: int | None = None,
    max_pages: int = 100,
) -> Iterator[T]:
    """Yield the items of every page: call, then call again with ``cursor`` = the previous
    ``nextPageCursor``, until there is none, ``max_items`` items were yielded or ``max_pages`` pages
    were fetched. The caller's request is never modified. A cursor that repeats ends the walk with
    ``SDKException`` rather than looping forever.
    """
    if max_items is not None and (
        isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1
    ):
        raise SDKException(f"max_items must be a positive int or None, got {max_items!r}")
    if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
        raise SDKException(f"max_pages must be a positive int, got {max_pages!r}")
    if not parameters.has_field("cursor"):
        raise SDKException(f"{type(parameters).__name__} has no cursor: the endpoint does not page")
    seen: set[str] = set()
    page = parameters.copy()
    yielded = 0
    for _ in range(max_pages):
        response = call(page)
        for item in response.get_body():
            yield item
            yielded += 1
            if max_items is not None and yielded >= max_items:
                return
        cursor = response.get_next_page_cursor()
        if not cursor:
            return
        if cursor in seen:
            raise SDKException(f"the exchange returned the cursor {cursor!r} twice; stopping")
        seen.add(cursor)
        page = page.with_field("cursor", cursor)
