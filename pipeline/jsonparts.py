"""A JSON object's text in pieces, one list element at a time, as `json.dumps(indent=1)` writes it whole.

A long document's model as Python values costs ~5x its JSON (bench/bench_memory.py): document.json
and validation.json are written from pieces so only one element's values exist at a time.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator

from pydantic import BaseModel


class Prerendered(ABC):
    """A list value whose elements are already JSON text, each as `element_json` renders it: a long
    list kept out of memory (`pipeline.validate.resultlog`) is written without being read back as values."""

    @abstractmethod
    def element_texts(self) -> Iterator[str]:
        """Each element's `element_json` text, in order."""


def element_json(item: object) -> str:
    """One element of a list field as `object_parts` writes it (a model dumped with `mode="json"`)."""
    plain = item.model_dump(mode="json") if isinstance(item, BaseModel) else item
    return _nested_json(plain, 2)


def object_parts(fields: Iterable[tuple[str, object]]) -> Iterator[str]:
    """`json.dumps(dict(fields), ensure_ascii=False, indent=1)` and a line end, in pieces.

    A non-empty list value goes one element at a time; a model element is dumped
    (`model_dump(mode="json")`) only when its turn comes. A `Prerendered` value is a list whose
    elements come as text.
    """
    sep = "{\n "
    for name, value in fields:
        yield f"{sep}{json.dumps(name, ensure_ascii=False)}: "
        sep = ",\n "
        if isinstance(value, Prerendered):
            texts: Iterable[str] = value.element_texts()
        elif isinstance(value, list) and value:
            texts = (element_json(item) for item in value)
        else:
            yield _nested_json(value, 1)
            continue
        opened = False
        for text in texts:
            yield (",\n  " if opened else "[\n  ") + text
            opened = True
        yield "\n ]" if opened else "[]"
    yield "{}\n" if sep == "{\n " else "\n}\n"


def _nested_json(value: object, depth: int) -> str:
    """`value` as json.dumps(indent=1) writes it `depth` levels down (a string's line ends are escaped)."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)
