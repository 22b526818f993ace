"""Following ``nextPageCursor`` to the end of a list, bounded: the rules once, for sync and async.

``PageWalk`` holds the walk (sans I/O): which page to ask for next, which items of an answer to hand
out, when to stop. ``iterate_pages`` drives it with a sync call; the asyncio client drives the same
walk with an ``await``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.rest_response import RestResponse

__all__ = ["PageWalk", "iterate_pages"]

Q = TypeVar("Q", bound=AbstractParameters)
T = TypeVar("T")


class PageWalk(Generic[Q]):
    """One walk over the pages of a cursor-paged endpoint.

    Ask ``next_page()`` for the request of the next page (``None``: the walk is over), send it, and
    give the answer to ``items_of()``, which returns the items to hand out (cut at ``max_items``).
    The caller's request is never modified. A cursor that repeats ends the walk with
    ``SDKException`` rather than looping forever.
    """

    __slots__ = ("_done", "_max_items", "_max_pages", "_next", "_pages", "_repeated", "_seen", "_yielded")

    def __init__(self, parameters: Q, *, max_items: int | None = None, max_pages: int = 100) -> None:
        if max_items is not None and (
            isinstance(max_items, bool) or not isinstance(max_items, int) or max_items < 1
        ):
            raise SDKException(f"max_items must be a positive int or None, got {max_items!r}")
        if isinstance(max_pages, bool) or not isinstance(max_pages, int) or max_pages < 1:
            raise SDKException(f"max_pages must be a positive int, got {max_pages!r}")
        if not parameters.has_field("cursor"):
            raise SDKException(f"{type(parameters).__name__} has no cursor: the endpoint does not page")
        self._next: Q | None = parameters.copy()
        self._max_items = max_items
        self._max_pages = max_pages
        self._pages = 0
        self._yielded = 0
        self._seen: set[str] = set()
        self._done = False
        self._repeated: str | None = None

    def next_page(self) -> Q | None:
        """The request of the next page, or ``None`` when the walk is over."""
        if self._done or self._next is None or self._pages >= self._max_pages:
            return None
        self._pages += 1
        return self._next

    def items_of(self, response: RestResponse[T]) -> list[T]:
        """The items of ``response`` to hand out; prepares the next page from its cursor."""
        items = list(response.get_body())
        if self._max_items is not None and self._yielded + len(items) >= self._max_items:
            items = items[: self._max_items - self._yielded]
            self._done = True
        self._yielded += len(items)
        cursor = response.get_next_page_cursor()
        if self._done or not cursor:
            self._done = True
            return items
        if cursor in self._seen:
            self._done = True
            self._repeated = cursor
            return items
        self._seen.add(cursor)
        assert self._next is not None
        self._next = self._next.with_field("cursor", cursor)
        return items

    def check(self) -> None:
        """Raise ``SDKException`` if the walk ended on a repeated cursor."""
        if self._repeated is not None:
            raise SDKException(f"the exchange returned the cursor {self._repeated!r} twice; stopping")


def iterate_pages(
    call: Callable[[Q], RestResponse[T]],
    parameters: Q,
    *,
    max_items: int | None = None,
    max_pages: int = 100,
) -> Iterator[T]:
    """Yield the items of every page: call, then call again with ``cursor`` = the previous
    ``nextPageCursor``, until there is none, ``max_items`` items were yielded or ``max_pages`` pages
    were fetched (see ``PageWalk``)."""
    walk: PageWalk[Q] = PageWalk(parameters, max_items=max_items, max_pages=max_pages)
    return _pages(walk, call)


def _pages(walk: PageWalk[Q], call: Callable[[Q], RestResponse[Any]]) -> Iterator[Any]:
    while (page := walk.next_page()) is not None:
        yield from walk.items_of(call(page))
        walk.check()
