"""Measure the RCT scorer on labelled prompt sets.

    python benchmarks/rct_accuracy.py                 # every known set, side by side (see SETS)
    python benchmarks/rct_accuracy.py other.jsonl     # one set with the same fields
    python benchmarks/rct_accuracy.py --json          # the same figures as one JSON object
    python benchmarks/rct_accuracy.py --errors        # also list each disagreement
    python benchmarks/rct_accuracy.py dev.jsonl --where "split_2026_12_02=untouched round 1"   # some rows only
    python benchmarks/rct_accuracy.py --word-model    # a trained baseline: why the scorer is made of rules

Each line of a set is a JSON object with `text`, `lang` ("fr" or "en") and
the booleans `role`, `context`, `task`, `format`; other fields are ignored.
Precision, recall and F1 are computed per language and per part, then the
speed of `score_prompt`: throughput on prompts under 1,000 characters (one
core, CPU time, best of five rounds) and the 99th-percentile time of one
10,000-character prompt: the set's own prompts end to end, and a page of
figures (amounts, percentages, dates, head-counts), the worst case for rules
that start at a digit.

With no file, the development split the rules were tuned on is printed beside
the untouched split they never saw, then the two older sets. `--errors`
never lists the untouched split's prompts: reading them would make it a
development set.

`--word-model` cross-validates (five folds, seeded) a logistic regression on
the prompts' words and word pairs, trained on the given file or on the
development split, never on the untouched one: the figures that decided for
rules over a trained model (docs/rct.md, "How it decides").
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.rct.score import PARTS, score_prompt  # noqa: E402
from bot.rct.text import fold_aligned as fold  # noqa: E402

DATA = ROOT / "tests" / "data"
DEV = DATA / "rct" / "dev.jsonl"
UNTOUCHED = DATA / "rct" / "untouched.jsonl"
# (label, path, errors may be listed): pairs printed side by side when no file is given.
SETS: tuple[tuple[tuple[str, Path, bool], ...], ...] = (
    (("development (tuned on)", DEV, True), ("untouched (never tuned on)", UNTOUCHED, False)),
    (("old development set", DATA / "rct_dev.jsonl", True), ("old held-out set", DATA / "rct_holdout.jsonl", True)),
)
LANGS = ("fr", "en")
TYPICAL_MAX_CHARS = 1000
LONG_PROMPT_CHARS = 10_000
ROUNDS = 5
MIN_ROUND_SECONDS = 0.3
LATENCY_RUNS = 300


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
    figures["prompts"] = {lang: sum(1 for r in rows if r["lang"] == lang) for lang in LANGS}
    return figures, errors


def throughput(texts: list[str]) -> int:
    """Prompts scored per second on one core, on the prompts under 1,000 characters.

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


def long_prompt(texts: list[str]) -> str:
    """A 10,000-character prompt made of the set's own prompts, one after the other."""
    parts, size = [], 0
    for text in texts or ["Tu es juriste. Notre SARL de 3 salariés loue un local à Lyon. Relis ce bail."]:
        parts.append(text)
        size += len(text) + 2
        if size >= LONG_PROMPT_CHARS:
            break
    joined = "\n\n".join(parts)
    while len(joined) < LONG_PROMPT_CHARS:
        joined = joined + "\n\n" + joined
    return joined[:LONG_PROMPT_CHARS]


def digit_prompt() -> str:
    """A 10,000-character prompt dense with figures: the same for every set, so runs compare."""
    line = "Calcule 12 345,67 € + 8 % de 1 200 € sur 3 ans pour 15 salariés avant le 12/03, soit 2 x 450 m2 à 9,5 % ; "
    lines, n = [], 0
    while sum(len(x) for x in lines) < LONG_PROMPT_CHARS:
        lines.append(line.replace("12 345", f"{12_345 + 7 * n:,}".replace(",", " ")).replace("15 ", f"{15 + n % 40} "))
        n += 1
    return "".join(lines)[:LONG_PROMPT_CHARS]


def p99_ms(text: str) -> float:
    """The 99th-percentile CPU time of scoring `text` alone, in milliseconds (advice words included)."""
    times = []
    for _ in range(LATENCY_RUNS):
        started = time.process_time()
        score_prompt(text).words
        times.append(time.process_time() - started)
    times.sort()
    return round(1000 * times[int(0.99 * (len(times) - 1))], 2)


def speed(rows: list[dict[str, Any]]) -> dict[str, float]:
    texts = [r["text"] for r in rows]
    return {"prompts_per_second": throughput(texts), "p99_ms_10k_chars": p99_ms(long_prompt(texts)),
            "p99_ms_10k_digits": p99_ms(digit_prompt())}


def _bag(text: str) -> set[str]:
    tokens = re.findall(r"[a-z0-9']+", fold(text))
    bag = set(tokens) | {f"{a} {b}" for a, b in zip(tokens, tokens[1:])}
    bag.add(f"#len{min(6, int(math.log2(len(tokens) + 1)))}")
    return bag | ({"#question"} if "?" in text else set()) | ({"#lines"} if "\n" in text else set())


def _fit(bags: list[set[str]], labels: list[int], epochs: int = 30, rate: float = 0.2) -> tuple[dict[str, float], float]:
    """Logistic regression by stochastic gradient descent, in a seeded order."""
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(range(len(bags)))
    shuffle = random.Random(0)
    for _ in range(epochs):
        shuffle.shuffle(order)
        for i in order:
            z = max(-30.0, min(30.0, bias + sum(weights.get(w, 0.0) for w in bags[i])))
            gradient = 1 / (1 + math.exp(-z)) - labels[i]
            bias -= rate * gradient
            for w in bags[i]:
                weights[w] = weights.get(w, 0.0) * (1 - rate * 1e-4) - rate * gradient
    return weights, bias


def word_model(rows: list[dict[str, Any]], folds: int = 5) -> dict[str, Any]:
    """F1 per language and part of a word model, each prompt predicted by the folds it was not trained on."""
    bags = [_bag(r["text"]) for r in rows]
    fold_of = [i % folds for i in range(len(rows))]
    random.Random(1).shuffle(fold_of)
    counts = {lang: {part: [0, 0, 0] for part in PARTS} for lang in LANGS}
    for k in range(folds):
        train = [i for i in range(len(rows)) if fold_of[i] != k]
        for part in PARTS:
            weights, bias = _fit([bags[i] for i in train], [int(rows[i][part]) for i in train])
            for i in (i for i in range(len(rows)) if fold_of[i] == k):
                predicted, expected = bias + sum(weights.get(w, 0.0) for w in bags[i]) > 0, rows[i][part]
                cell = counts[rows[i]["lang"]][part]
                if predicted or expected:
                    cell[0 if predicted and expected else 1 if predicted else 2] += 1
    figures: dict[str, Any] = {lang: {part: prf(*counts[lang][part]) for part in PARTS} for lang in LANGS}
    figures["prompts"] = {lang: sum(1 for r in rows if r["lang"] == lang) for lang in LANGS}
    return figures


def table(figures: dict[str, Any], path: Path) -> str:
    """One set's figures as a plain-text table."""
    return side_by_side([(path.name, figures)])


def side_by_side(sets: list[tuple[str, dict[str, Any]]]) -> str:
    """Several sets' figures, one block of columns per set."""
    width = 24
    head = f"{'lang':<5} {'part':<8}" + "".join(f" | {label[:width + 2]:<{width + 2}}" for label, _ in sets)
    sub = f"{'':<5} {'':<8}" + "".join(f" | {'precision':>9} {'recall':>7} {'F1':>6}  " for _ in sets)
    lines = [head, sub]
    for lang in LANGS:
        for part in PARTS:
            cells = []
            for _, fig in sets:
                f = fig[lang][part]
                cells.append(f" | {f['precision']:>9.3f} {f['recall']:>7.3f} {f['f1']:>6.3f}  ")
            lines.append(f"{lang:<5} {part:<8}" + "".join(cells))
        counts = "".join(f" | {str(fig['prompts'][lang]) + ' prompts':<{width + 2}}" for _, fig in sets)
        lines.append(f"{lang:<5} {'':<8}" + counts)
    for label, fig in sets:
        if "prompts_per_second" in fig:
            lines.append(
                f"speed on {label}: {fig['prompts_per_second']:,} prompts per second on one core "
                "(prompts under 1,000 characters; CPU time, best of 5 rounds); "
                f"p99 {fig['p99_ms_10k_chars']} ms for one 10,000-character prompt "
                f"({fig['p99_ms_10k_digits']} ms for a page of figures)"
            )
    return "\n".join(lines)


def _errors(rows_errors: list[tuple[dict[str, Any], str, bool]], label: str) -> None:
    for row, part, predicted in rows_errors:
        kind = "false positive" if predicted else "missed"
        name = f"{row['id']} " if "id" in row else ""
        print(f"{label}{name}[{row['lang']}] {part} {kind}: {row['text'][:110]!r}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Precision, recall and F1 of the RCT scorer on labelled JSONL sets.")
    parser.add_argument("path", nargs="?", help="JSONL file (default: every known set, side by side)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--errors", action="store_true", help="list each prompt where a part disagrees with its label")
    parser.add_argument("--where", metavar="FIELD=VALUE",
                        help="with a file: only its rows whose FIELD is VALUE (e.g. a split marker)")
    parser.add_argument("--word-model", action="store_true",
                        help="cross-validate a word model on the file (default: the development split) instead")
    args = parser.parse_args(argv)
    if args.word_model:
        path = Path(args.path) if args.path else DEV
        if not path.is_file() or path.resolve() == UNTOUCHED.resolve():
            parser.error(f"no such file, or a file never to tune on: {path}")
        figures = word_model(load(path))
        if args.json:
            print(json.dumps(figures, ensure_ascii=False))
        else:
            print(f"Word model (logistic regression on words and word pairs, 5-fold cross-validation) on {path}\n")
            print(side_by_side([("word model, cross-validated", figures), ("rules (tuned on this file)", accuracy(load(path))[0])]))
        return 0
    if args.path:
        path = Path(args.path)
        if not path.is_file():
            parser.error(f"no such file: {path}")
        rows = load(path)
        if args.where:
            field, _, value = args.where.partition("=")
            rows = [r for r in rows if str(r.get(field, "")) == value]
            if not rows:
                parser.error(f"no row of {path} has {field}={value}")
        figures, errors = accuracy(rows)
        figures.update(speed(rows))
        if args.json:
            print(json.dumps(figures, ensure_ascii=False))
        else:
            print(f"RCT scorer on {path}" + (f", rows where {args.where}" if args.where else "") + "\n")
            print(table(figures, path))
        if args.errors:
            _errors(errors, "")
        return 0
    everything: dict[str, Any] = {}
    blocks = []
    for pair in SETS:
        shown = []
        for label, path, list_errors in pair:
            if not path.is_file():
                everything[label] = None
                continue
            rows = load(path)
            figures, errors = accuracy(rows)
            if pair is SETS[0]:
                figures.update(speed(rows))
            figures["file"] = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
            everything[label] = figures
            shown.append((label, figures))
            if args.errors and list_errors:
                _errors(errors, f"{label}: ")
        if shown:
            blocks.append(side_by_side(shown))
    if args.json:
        print(json.dumps(everything, ensure_ascii=False))
    else:
        missing = [label for label, fig in everything.items() if fig is None]
        print("RCT scorer, figures per set\n")
        print("\n\n".join(blocks))
        if missing:
            print("\nnot found: " + ", ".join(missing))
    return 0


if __name__ == "__main__":
    sys.exit(main())
