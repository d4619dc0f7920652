"""Agreement between the two readers of the RCT evaluation set, and the final labels they lead to.

    python benchmarks/rct_agreement.py            # Cohen's kappa per language and part
    python benchmarks/rct_agreement.py --build    # also rewrite tests/data/rct/{dev,untouched}.jsonl labels

The set (tests/data/rct/README.md) was written and labelled by a first reader
(src/w*_*.jsonl); a second reader labelled a random sample without seeing the
first labels (src/w*_second_reader.jsonl); an adjudicator settled each
disagreement by the spec (src/adjudication*.jsonl), and a consistency pass
applied two of those rulings to the first round (src/consistency.jsonl). The
final label of a prompt is the first reader's, then the consistency pass's,
then the adjudicator's. Round 1 (w1–w3) is the development split; round 2
(w4, w5), written after the scorer was tuned, is the untouched split.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "rct"
SRC = DATA / "src"
PARTS = ("role", "context", "task", "format")
ROUNDS = {1: ("w1_fr_business", "w2_fr_varied", "w3_en_varied"), 2: ("w4_fr_round2", "w5_en_round2")}


def _lines(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def kappa(pairs: list[tuple[bool, bool]]) -> tuple[float, float]:
    """Cohen's kappa and the raw agreement of two readers' yes/no labels."""
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    yes_a = sum(a for a, _ in pairs) / n
    yes_b = sum(b for _, b in pairs) / n
    chance = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    return ((observed - chance) / (1 - chance) if chance < 1 else 1.0), observed


def _labels(pattern: str) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for path in sorted(SRC.glob(pattern)) for r in _lines(path)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", action="store_true", help="rewrite the labels of the two splits")
    args = parser.parse_args()
    first = {r["id"]: {**r, "round": n} for n, names in ROUNDS.items() for name in names
             if (SRC / f"{name}.jsonl").exists() for r in _lines(SRC / f"{name}.jsonl")}
    second = _labels("w*_second_reader.jsonl")
    print(f"{len(first)} prompts, {len(second)} labelled by both readers")
    print(f"{'round':<7}{'lang':<5}{'part':<9}{'n':>5}{'kappa':>8}{'agree':>8}")
    for n in ROUNDS:
        for lang in ("fr", "en"):
            ids = [i for i in second if first[i]["lang"] == lang and first[i]["round"] == n]
            if not ids:
                continue
            for part in PARTS:
                k, agree = kappa([(first[i][part], second[i][part]) for i in ids])
                print(f"{n:<7}{lang:<5}{part:<9}{len(ids):>5}{k:>8.2f}{agree:>8.2f}")
    disagreements = sum(first[i][p] != second[i][p] for i in second for p in PARTS)
    print(f"{disagreements} disagreements, each settled by the spec (src/adjudication*.jsonl)")
    if not args.build:
        return
    settled = {i: r["decisions"] for i, r in _labels("adjudication*.jsonl").items()}
    consistent = {i: r["decisions"] for i, r in _labels("consistency.jsonl").items()}

    def final(row: dict[str, Any]) -> dict[str, Any]:
        source = first[row["id"]]
        for part in PARTS:
            row[part] = settled.get(row["id"], {}).get(part, consistent.get(row["id"], {}).get(part, source[part]))
        return row

    dev = [final(row) for row in _lines(DATA / "dev.jsonl")]
    untouched = [final({k: first[i][k] for k in ("id", "text", "lang", *PARTS, "style")} | {"source": i.split("-")[0]})
                 for i in sorted(first) if first[i]["round"] == 2]
    for split, rows in (("dev", dev), ("untouched", untouched)):
        with open(DATA / f"{split}.jsonl", "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        print(f"{split}: {len(rows)} prompts written")


if __name__ == "__main__":
    main()
