"""The benchmarks still run: each at a tiny size, printing its figures and its targets.

Their figures are not checked here (the machines are shared and noisy); what
is checked is that `make bench` would not stop on an error, and that each
prints the lines its readers look for.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(script: str, *args: str) -> str:
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), *args], capture_output=True,
                         text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-3000:]
    return out.stdout


@pytest.mark.slow
def test_engine_latency_runs_on_the_embedded_store() -> None:
    text = run("engine_latency.py", "--backend", "tinydb", "--sizes", "2000", "--rounds", "5")
    assert "/ia-log p99" in text and "peak RSS" in text


@pytest.mark.slow
def test_slack_http_overhead_runs_both_apps() -> None:
    text = run("slack_http_overhead.py", "--requests", "24", "--rounds", "1")
    assert "bare slack-bolt (ack only)" in text and "sobria" in text
    assert "every command stored exactly once" in text and "NOT met every request" not in text


@pytest.mark.slow
def test_summaries_at_scale_runs_both_passes() -> None:
    text = run("summaries_at_scale.py", "--workspaces", "2")
    assert "first, after an import" in text and "usual, last month's totals saved" in text
    assert "1,000 monthly summaries" in text
