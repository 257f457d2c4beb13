"""The package's public Python API and the shipped JSON Schema of document.json."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

import pipeline
from pipeline.model import Document
from pipeline.schema import document_schema, schema_text, shipped_schema_text

from .paths import REPORT, processed

PUBLIC = (
    "process_pdf",
    "run_stages",
    "Work",
    "STAGES",
    "Settings",
    "validate_document",
    "write_outputs",
    "open_warehouse",
    "Document",
)


def test_shipped_schema_is_the_one_the_model_generates():
    assert shipped_schema_text() == schema_text(), "run `python -m pipeline.schema` after changing pipeline/model.py"
    assert json.loads(shipped_schema_text())["properties"]["tables"]["type"] == "array"


def test_public_report_document_json_validates_against_the_schema():
    data = json.loads(processed(REPORT).model_dump_json())
    jsonschema.Draft202012Validator.check_schema(document_schema())
    jsonschema.validate(data, json.loads(shipped_schema_text()), cls=jsonschema.Draft202012Validator)
    assert Document.model_validate(data).doc_id == "12215-2022"
    broken = {**data, "tables": [{**data["tables"][0], "rows": "not a grid"}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, json.loads(shipped_schema_text()), cls=jsonschema.Draft202012Validator)


def test_public_names_import_from_the_package():
    from pipeline.process import process_pdf
    from pipeline.stages import STAGES
    from pipeline.warehouse import open_warehouse

    assert set(pipeline.__all__) == {*PUBLIC, "__version__"} and set(PUBLIC) <= set(dir(pipeline))
    assert pipeline.process_pdf is process_pdf and pipeline.STAGES is STAGES
    assert pipeline.open_warehouse is open_warehouse and pipeline.Document is Document
    assert all(callable(getattr(pipeline, n)) for n in PUBLIC if n != "STAGES")
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        pipeline.nope  # noqa: B018


def test_import_pipeline_stays_light():
    heavy = ("pandas", "great_expectations", "prefect", "duckdb", "pdfplumber")
    code = f"import sys, pipeline; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
