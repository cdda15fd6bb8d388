"""Extraction benchmark: quality on annotated articles and the phrasing suite, and speed.

    python bench/extract_bench.py [--dev ../shared/benchmark/dev] [--extra DIR ...] [--write]

Quality uses the benchmark contract's rules (`kg.evaluate`, which prints the same figures
as ../shared/benchmark/score.py). Speed is measured on one core over >= 1 MB of news-like
text made from the seed articles and the phrasing-suite passages. `--write` replaces the
"Extraction" section of docs/benchmarks.md with the figures of this run.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sections import write_section  # noqa: E402
from kg.documents import iter_documents  # noqa: E402
from kg.evaluate import Report, evaluate_folder, evaluate_suite, load_suite  # noqa: E402
from kg.extract import Extractor  # noqa: E402
from kg.models import Document  # noqa: E402

SUITE = ROOT / "tests" / "phrasings"
BEGIN, END = "<!-- extraction:begin -->", "<!-- extraction:end -->"


def corpus(min_bytes: int = 1_100_000) -> list[Document]:
    """News-like documents of about 3 KB each, at least `min_bytes` in all."""
    pieces = [d.text for d in iter_documents([ROOT / "data" / "documents"])]
    pieces += [p.text for p in load_suite(SUITE)]
    docs, buffer, size, i = [], [], 0, 0
    while size < min_bytes:
        buffer.append(pieces[i % len(pieces)])
        i += 1
        if sum(len(b) for b in buffer) > 3000:
            text = "\n\n".join(buffer)
            docs.append(Document(name=f"bench{len(docs)}.txt", path="bench", text=text, sha256="",
                                 published=date(2025, 8, 1)))
            size += len(text.encode())
            buffer = []
    return docs


def speed(extractor: Extractor, passes: int = 5) -> dict:
    """Words per second over the corpus, `passes` times with a warm extractor: the median pass,
    and the slowest and fastest (this machine's speed drifts from minute to minute)."""
    docs = corpus()
    words = sum(len(re.findall(r"\S+", d.text)) for d in docs)
    megabytes = sum(len(d.text.encode()) for d in docs) / 1e6
    runs = []
    for _ in range(passes):
        start, cpu = time.perf_counter(), time.process_time()
        facts = sum(len(extractor.extract(d).facts) for d in docs)
        runs.append((time.perf_counter() - start, time.process_time() - cpu))
    seconds, cpu_seconds = sorted(runs)[passes // 2]
    return {"words": words, "mb": megabytes, "seconds": seconds, "words_per_s": words / seconds,
            "words_per_cpu_s": words / cpu_seconds, "facts": facts, "passes": passes,
            "slowest": words / max(r[0] for r in runs), "fastest": words / min(r[0] for r in runs)}


def startup() -> float:
    code = ("import time; t = time.perf_counter(); from kg.extract import Extractor; Extractor(); "
            "print(time.perf_counter() - t)")
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                 cwd=ROOT).stdout) for _ in range(3)]
    return sorted(runs)[1]


def table(report: Report, *, per_document: bool, title: str) -> list[str]:
    lines = [f"**{title}**", "", "| | tp | fp | fn | P | R | F1 |", "|---|---:|---:|---:|---:|---:|---:|"]
    rows = report.per_document.items() if per_document else sorted(report.per_predicate.items())
    for name, c in rows:
        lines.append(f"| {name} | {c.tp} | {c.fp} | {c.fn} | {c.precision:.2f} | {c.recall:.2f} | {c.f1:.2f} |")
    t = report.total
    lines.append(f"| **micro** | {t.tp} | {t.fp} | {t.fn} | **{t.precision:.3f}** | **{t.recall:.3f}** | **{t.f1:.3f}** |")
    return lines + [""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=ROOT.parent / "shared" / "benchmark" / "dev")
    parser.add_argument("--extra", type=Path, nargs="*", default=[],
                        help="more benchmark folders (NAME.txt + NAME.gold.jsonl), reported by total only")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()

    extractor = Extractor()
    out = [BEGIN, "## Extraction", "",
           f"Measured {date.today().isoformat()} on {platform.machine()}, Python {platform.python_version()}, "
           "one process. Reproduce with `python bench/extract_bench.py --write` (the development articles "
           "are read from `../shared/benchmark/dev`).", ""]
    if args.dev.is_dir():
        dev = evaluate_folder(args.dev, extractor)
        seeds = {"000_6f085b1229485e89.txt", "001_787ab11ed9f2d698.txt"}
        seed_report, other_report = Report(), Report()
        for doc, counts in dev.per_document.items():
            (seed_report if doc in seeds else other_report).per_document[doc] = counts
        out += table(dev, per_document=True, title=f"Development articles ({args.dev.name}), per article")
        out += [f"Seed articles: P={seed_report.total.precision:.3f} R={seed_report.total.recall:.3f} "
                f"F1={seed_report.total.f1:.3f}; other articles: P={other_report.total.precision:.3f} "
                f"R={other_report.total.recall:.3f} F1={other_report.total.f1:.3f}.", ""]
        out += table(dev, per_document=False, title="Development articles, per relation")
    for folder in args.extra:
        extra = evaluate_folder(folder, extractor)
        t = extra.total
        out += [f"Held-out folder `{folder.name}` ({len(extra.per_document)} articles): "
                f"P={t.precision:.3f} R={t.recall:.3f} F1={t.f1:.3f}.", ""]
    suite = evaluate_suite(SUITE, extractor)
    invented = evaluate_suite(SUITE, extractor, invented_only=True)
    negatives = [p for p in load_suite(SUITE) if p.relation == "negatives"]
    negative_facts = sum(len(extractor.extract(p.document()).facts) for p in negatives)
    out += table(suite, per_document=False, title=f"Phrasing suite (`tests/phrasings`, {len(load_suite(SUITE))} passages), per relation")
    out += [f"Invented-name passages only: P={invented.total.precision:.3f} R={invented.total.recall:.3f} "
            f"F1={invented.total.f1:.3f}. Facts produced on the {len(negatives)} hard negatives: {negative_facts}.", ""]
    s = speed(extractor)
    out += ["**Speed**", "",
            f"- {s['words']:,} words ({s['mb']:.2f} MB) in {s['seconds']:.2f} s (median of {s['passes']} passes): "
            f"**{s['words_per_s']:,.0f} words/s** wall clock on one core (passes from {s['slowest']:,.0f} "
            f"to {s['fastest']:,.0f}), {s['words_per_cpu_s']:,.0f} words per CPU-second; {s['facts']:,} facts. "
            f"Load average when measured: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
            f"- Pipeline start-up (import + gazetteer + patterns, median of 3 fresh processes): "
            f"**{startup():.2f} s**.", "", END]
    text = "\n".join(out)
    print(text)
    if args.write:
        write_section(text, BEGIN, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
