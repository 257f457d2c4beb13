"""`python -m pipeline.schema`: rewrite pipeline/schema/document.schema.json from the model."""

from __future__ import annotations

from pathlib import Path

from . import SCHEMA_FILE, schema_text

if __name__ == "__main__":
    path = Path(__file__).with_name(SCHEMA_FILE)
    path.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {path}")
