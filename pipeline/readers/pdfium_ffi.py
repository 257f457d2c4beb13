"""pdfium's C functions called at pypdfium2's own addresses with a prototype of ours.

pypdfium2's typed prototypes convert every argument on every call (~0.2-0.5 µs; a `POINTER` argument
given a `byref` is the dearest); the per-character calls of the reader and of the review's page
render run ~50,000 times on a 70-page report, the per-object ones ~20,000 times. Given no argument
types, ctypes converts nothing: handles go as `c_void_p`s (`handle`, `Pointer` results), indexes as
plain ints (C ints), results by `byref` (~0.15 µs a call). pypdfium2's own functions stay as they are.
"""

from __future__ import annotations

import ctypes
from typing import Any

import pypdfium2.raw as raw


def c_function(name: str, restype: Any, *argtypes: Any) -> Any:
    """pdfium's `name` at pypdfium2's address, returning `restype`; with no `argtypes` its arguments
    are unchecked: pass only ctypes instances, `byref`s and small ints."""
    address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value or 0
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


class Pointer(ctypes.c_void_p):
    """A pointer result kept as a ctypes instance (a `c_void_p` result comes back as an int, which an
    unchecked call would pass as a 32-bit C int), to pass on to unchecked calls as it is."""


def handle(pointer: Any) -> ctypes.c_void_p:
    """A pypdfium2 handle (a typed pointer) as the `c_void_p` the unchecked functions take."""
    return ctypes.c_void_p(ctypes.cast(pointer, ctypes.c_void_p).value or 0)
