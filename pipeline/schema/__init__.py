"""The JSON Schema of document.json, generated from the pydantic model and shipped in the package.

`document.schema.json` beside this file is what other tools validate a document.json against
without Python; `python -m pipeline.schema` rewrites it after a change to `pipeline/model.py`
(a test fails while the shipped file and the model disagree).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from ..model import SCHEMA_VERSION, Document

SCHEMA_FILE = "document.schema.json"


def document_schema() -> dict[str, Any]:
    """`Document.model_json_schema()` with its dialect, a title and the schema_version it describes."""
    schema = Document.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **schema,
        "title": f"nianbao document.json, schema_version {SCHEMA_VERSION}",
    }


def schema_text() -> str:
    """The schema as the shipped file holds it (sorted keys, so a regeneration diffs cleanly)."""
    return json.dumps(document_schema(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def shipped_schema_text() -> str:
    """The schema file installed with the package."""
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
