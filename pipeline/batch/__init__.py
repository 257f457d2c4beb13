"""Batches of reports: what to skip (plan), how one document runs in isolation (worker), and what is reported (results).

Everything here is plain library code, importable without Prefect: `flows/batch.py` only
orchestrates these functions, and the CLI calls `plan_batch` before it decides whether
Prefect needs starting at all. Import the modules themselves (`pipeline.batch.plan`, `.results`,
`.lifeline`, ...): the package imports none of them, so `lifeline`, which the hand-off of every
warm `nianbao ingest` needs, comes without the plan's and the settings' imports (~0.02 s).
"""
