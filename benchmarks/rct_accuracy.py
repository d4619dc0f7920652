"""Measure the RCT scorer on a labelled prompt set.

    python benchmarks/rct_accuracy.py                 # the development set
    python benchmarks/rct_accuracy.py other.jsonl     # any set with the same fields
    python benchmarks/rct_accuracy.py --json          # the same figures as one JSON object
    python benchmarks/rct_accuracy.py --errors        # also list each disagreement

Each line of the set is a JSON object with `text`, `lang` ("fr" or "en") and
the booleans `role`, `context`, `task`, `format`; other fields are ignored.
Precision, recall and F1 are computed per language and per part, then the
throughput of `score_prompt` on the set's prompts (one core, prompts under
1,000 characters only, as in the target; CPU time, best of five rounds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.rct.score import PARTS, score_prompt  # noqa: E402

DEFAULT_SET = ROOT / "tests" / "data" / "rct_dev.jsonl"
LANGS = ("fr", "en")
TYPICAL_MAX_CHARS = 1000
ROUNDS = 5
MIN_ROUND_SECONDS = 0.3


def load(path: Path) -> list[dict[str, Any]]:
    """The labelled prompts of a JSONL file; a malformed line is an error naming its number."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row.get("text"), str) or row.get("lang") not in LANGS:
                    raise ValueError("needs a string 'text' and 'lang' fr or en")
                for part in PARTS:
                    if not isinstance(row.get(part), bool):
                        raise ValueError(f"'{part}' must be true or false")
            except ValueError as err:
                raise SystemExit(f"{path}:{number}: {err}") from None
            rows.append(row)
    return rows


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1; an empty denominator counts as perfect (nothing to find, nothing claimed)."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def accuracy(rows: list[dict[str, Any]]) -> tuple[dict[str, Any], list[tuple[dict[str, Any], str, bool]]]:
    """Precision, recall and F1 per language and part, plus every disagreement (row, part, predicted)."""
    counts = {lang: {part: [0, 0, 0] for part in PARTS} for lang in LANGS}
    errors = []
    for row in rows:
        result = score_prompt(row["text"])
        for part in PARTS:
            predicted, expected = getattr(result, part), row[part]
            cell = counts[row["lang"]][part]
            if predicted and expected:
                cell[0] += 1
            elif predicted:
                cell[1] += 1
                errors.append((row, part, predicted))
            elif expected:
                cell[2] += 1
                errors.append((row, part, predicted))
    figures: dict[str, Any] = {lang: {part: prf(*counts[lang][part]) for part in PARTS} for lang in LANGS}
    return figures, errors


def throughput(texts: list[str]) -> int:
    """Prompts scored per second on one core, on the set's prompts under 1,000 characters.

    Time is this process's CPU time, and, as `timeit` does, the best of several
    rounds is kept: time spent waiting while other programs use the machine
    measures them, not the scorer.
    """
    typical = [t for t in texts if len(t) < TYPICAL_MAX_CHARS] or ["Rédige un post pour ma boulangerie."]
    best = 0.0
    for _ in range(ROUNDS):
        done, started = 0, time.process_time()
        while True:
            for text in typical:
                score_prompt(text)
            done += len(typical)
            elapsed = time.process_time() - started
            if elapsed >= MIN_ROUND_SECONDS:
                break
        best = max(best, done / elapsed)
    return int(best)


def table(figures: dict[str, Any], path: Path, rows: list[dict[str, Any]]) -> str:
    """The figures as a plain-text table."""
    lines = [f"RCT scorer on {path} ", ""]
    lines.append(f"{'lang':<5} {'part':<8} {'precision':>9} {'recall':>7} {'F1':>6}")
    for lang in LANGS:
        for part in PARTS:
            f = figures[lang][part]
            lines.append(f"{lang:<5} {part:<8} {f['precision']:>9.3f} {f['recall']:>7.3f} {f['f1']:>6.3f}")
        lines.append(f"{lang:<5} ({sum(1 for r in rows if r['lang'] == lang)} prompts)")
    lines.append("")
    lines.append(
        f"throughput: {figures['prompts_per_second']:,} prompts per second on one core "
        "(prompts under 1,000 characters; CPU time, best of 5 rounds)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision, recall and F1 of the RCT scorer on a labelled JSONL set.")
    parser.add_argument("path", nargs="?", default=str(DEFAULT_SET), help="JSONL file (default: the development set)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--errors", action="store_true", help="list each prompt where a part disagrees with its label")
    args = parser.parse_args(argv)
    path = Path(args.path)
    if not path.is_file():
        parser.error(f"no such file: {path}")
    rows = load(path)
    figures, errors = accuracy(rows)
    figures["prompts_per_second"] = throughput([r["text"] for r in rows])
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(table(figures, path, rows))
    if args.errors:
        for row, part, predicted in errors:
            kind = "false positive" if predicted else "missed"
            print(f"[{row['lang']}] {part} {kind}: {row['text'][:110]!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
