"""Values made once per (owner, key) within a block: what `rowfilter` and `gxconfigs` share.

Each memo lives in a context variable set for the block and reset after it, so nothing outlives the
suite run that made it and another thread or context sees none of it. An entry holds its owner, so
the owner's `id` stays its own while the block lasts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class BlockMemo(Generic[T]):
    """`get(owner, key, make)`: `make()` once per owner and key inside a `block()`, every time outside one."""

    def __init__(self, name: str) -> None:
        self._memo: ContextVar[dict[tuple[int, Hashable], tuple[Any, T]] | None] = ContextVar(name, default=None)

    @contextmanager
    def block(self) -> Iterator[None]:
        token = self._memo.set({})
        try:
            yield
        finally:
            self._memo.reset(token)

    def active(self) -> bool:
        return self._memo.get() is not None

    def get(self, owner: Any, key: Hashable, make: Callable[[], T]) -> T:
        memo = self._memo.get()
        if memo is None:
            return make()
        hit = memo.get((id(owner), key))
        if hit is not None and hit[0] is owner:
            return hit[1]
        made = make()
        memo[(id(owner), key)] = (owner, made)
        return made
