"""Normalize stage building blocks: text forms, numbers, headings, typed columns, indicators, facts.

Pure functions over the document model; the flow wires them in after the tables stage.
"""
