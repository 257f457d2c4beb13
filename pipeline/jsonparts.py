"""A JSON object's text in pieces, one list element at a time, as `json.dumps(indent=1)` writes it whole.

A long document's model as Python values costs ~5x its JSON (bench/bench_memory.py): document.json
and validation.json are written from pieces so only one element's values exist at a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from pydantic import BaseModel


def object_parts(fields: Iterable[tuple[str, object]]) -> Iterator[str]:
    """`json.dumps(dict(fields), ensure_ascii=False, indent=1)` and a line end, in pieces.

    A non-empty list value goes one element at a time; a model element is dumped
    (`model_dump(mode="json")`) only when its turn comes.
    """
    sep = "{\n "
    for name, value in fields:
        yield f"{sep}{json.dumps(name, ensure_ascii=False)}: "
        sep = ",\n "
        if isinstance(value, list) and value:
            for i, item in enumerate(value):
                plain = item.model_dump(mode="json") if isinstance(item, BaseModel) else item
                yield ("[\n  " if i == 0 else ",\n  ") + _nested_json(plain, 2)
            yield "\n ]"
        else:
            yield _nested_json(value, 1)
    yield "{}\n" if sep == "{\n " else "\n}\n"


def _nested_json(value: object, depth: int) -> str:
    """`value` as json.dumps(indent=1) writes it `depth` levels down (a string's line ends are escaped)."""
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)
