"""Score extracted facts against hand-annotated gold facts (the benchmark contract's rules).

Gold comes in two layouts: a folder of `NAME.gold.jsonl` files beside `NAME.txt` articles
(the benchmark's), or a phrasing suite: `*.jsonl` files whose lines each hold a short
passage (`id`, `text`, `published`, `gold`). Matching follows the contract: labels are
compared after lower-casing and dropping punctuation and company suffixes; value facts
match when their main number is within 2%; a duplicate prediction counts once; optional
gold facts are not counted when missed.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from kg.errors import KGError
from kg.models import ENTITY_PREDICATES, SYMMETRIC_PREDICATES, VALUE_PREDICATES, Document

TOLERANCE = 0.02
DROP_WORDS = frozenset({"inc", "corp", "corporation", "co", "ltd", "llc", "plc", "the"})
MAIN_FIELD = {p: ("gigawatts" if p == "capacity" else "amount_usd") for p in VALUE_PREDICATES}


def normalize_label(label: object) -> str:
    """A label as the contract compares it.

    >>> normalize_label("Meta Platforms, Inc.")
    'meta platforms'
    """
    if not isinstance(label, str):
        return ""
    text = re.sub(r"'s\b", "", label.lower().replace("\u2019", "'"))
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(w for w in text.split() if w not in DROP_WORDS)


def main_number(predicate: str, value: Mapping | None) -> float | tuple[float, float] | None:
    """The number a value fact is judged on: one number, a (min, max) pair, or None."""
    value = value or {}
    try:
        if MAIN_FIELD[predicate] == "amount_usd" and "amount_usd_min" in value and "amount_usd_max" in value:
            return float(value["amount_usd_min"]), float(value["amount_usd_max"])
        field_name = MAIN_FIELD[predicate]
        return float(value[field_name]) if value.get(field_name) is not None else None
    except (TypeError, ValueError):
        return None


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(abs(a), abs(b), 1e-12)


def _numbers_match(gold, pred) -> bool:
    if gold is None or pred is None or isinstance(gold, tuple) != isinstance(pred, tuple):
        return False
    if isinstance(gold, tuple):
        return _close(gold[0], pred[0]) and _close(gold[1], pred[1])
    return _close(gold, pred)


@dataclass(frozen=True)
class GoldFact:
    """One hand-annotated fact: accepted names for each side, the predicate and its value."""

    predicate: str
    subjects: frozenset[str]
    objects: frozenset[str]
    number: float | tuple[float, float] | None
    optional: bool
    label: str

    @classmethod
    def parse(cls, raw: Mapping, where: str) -> GoldFact:
        """Read one gold line; raises `KGError` naming `where` when it is malformed."""
        predicate = raw.get("predicate")
        if predicate not in ENTITY_PREDICATES and predicate not in VALUE_PREDICATES:
            raise KGError(f"{where}: unknown predicate {predicate!r}")
        subjects, objects = raw.get("subject") or [], raw.get("object") or []
        if isinstance(subjects, str):
            subjects = [subjects]
        if isinstance(objects, str):
            objects = [objects]
        number = main_number(predicate, raw.get("value")) if predicate in VALUE_PREDICATES else None
        shown = f"{subjects[0] if subjects else '?'} {predicate} {objects[0] if objects else ''} {raw.get('value') or ''}"
        return cls(predicate, frozenset(map(normalize_label, subjects)), frozenset(map(normalize_label, objects)),
                   number, bool(raw.get("optional")), shown.strip())

    def matches(self, fact: Mapping) -> bool:
        """Whether a predicted fact (a contract dict) states this gold fact."""
        if fact.get("predicate") != self.predicate:
            return False
        s, o = normalize_label(fact.get("subject")), normalize_label(fact.get("object"))
        if self.predicate in VALUE_PREDICATES:
            return s in self.subjects and _numbers_match(self.number, main_number(self.predicate, fact.get("value")))
        if s in self.subjects and o in self.objects:
            return True
        return self.predicate in SYMMETRIC_PREDICATES and o in self.subjects and s in self.objects


@dataclass
class Counts:
    """True positives, false positives and false negatives, with the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Report:
    """Scores per predicate, per document and overall, with the misses and spurious facts."""

    per_predicate: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    per_document: dict[str, Counts] = field(default_factory=dict)
    missed: list[tuple[str, str]] = field(default_factory=list)
    spurious: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def total(self) -> Counts:
        total = Counts()
        for counts in self.per_document.values():
            total.add(counts)
        return total


def _key(fact: Mapping) -> tuple:
    predicate = fact.get("predicate")
    if predicate in VALUE_PREDICATES:
        return normalize_label(fact.get("subject")), predicate, main_number(predicate, fact.get("value"))
    s, o = normalize_label(fact.get("subject")), normalize_label(fact.get("object"))
    if predicate in SYMMETRIC_PREDICATES:
        s, o = sorted((s, o))
    return s, predicate, o


def score(gold: Mapping[str, list[GoldFact]], predictions: Mapping[str, list[Mapping]]) -> Report:
    """Compare predicted facts with gold facts, document by document.

    >>> g = {"a.txt": [GoldFact.parse({"subject": ["Meta"], "predicate": "investedIn", "object": ["Scale AI"]}, "x")]}
    >>> score(g, {"a.txt": [{"subject": "Meta", "predicate": "investedIn", "object": "Scale AI"}]}).total.f1
    1.0
    """
    report = Report()
    for doc, golds in gold.items():
        doc_counts = Counts()
        matched: set[int] = set()
        seen: set[tuple] = set()
        for fact in predictions.get(doc, []):
            key = _key(fact)
            if key in seen:
                continue
            seen.add(key)
            hit = next((i for i, g in enumerate(golds) if i not in matched and g.matches(fact)), None)
            if hit is None:
                if any(g.matches(fact) for g in golds):
                    continue
                report.per_predicate[str(fact.get("predicate"))].fp += 1
                doc_counts.fp += 1
                report.spurious.append((doc, dict(fact)))
                continue
            matched.add(hit)
            report.per_predicate[golds[hit].predicate].tp += 1
            doc_counts.tp += 1
        for i, g in enumerate(golds):
            if i not in matched and not g.optional:
                report.per_predicate[g.predicate].fn += 1
                doc_counts.fn += 1
                report.missed.append((doc, g.label))
        report.per_document[doc] = doc_counts
    return report


def load_gold_dir(folder: Path) -> tuple[dict[str, list[GoldFact]], list[Path]]:
    """Gold facts of a benchmark folder (`NAME.gold.jsonl` beside `NAME.txt`) and its articles."""
    gold: dict[str, list[GoldFact]] = {}
    articles = []
    for path in sorted(folder.glob("*.gold.jsonl")):
        name = path.name[: -len(".gold.jsonl")] + ".txt"
        facts = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    facts.append(GoldFact.parse(json.loads(line), f"{path.name}:{n}"))
                except json.JSONDecodeError as exc:
                    raise KGError(f"{path.name}:{n}: not JSON ({exc.msg})") from None
        gold[name] = facts
        if (folder / name).is_file():
            articles.append(folder / name)
    if not gold:
        raise KGError(f"{folder}: no *.gold.jsonl files (is it a phrasing suite? it has *.jsonl passages)")
    return gold, articles


@dataclass(frozen=True)
class Passage:
    """One passage of a phrasing suite: its text and its gold facts."""

    id: str
    family: str
    text: str
    published: date | None
    invented: bool
    gold: tuple[GoldFact, ...]
    relation: str

    def document(self) -> Document:
        """The passage as a document the extractor can read."""
        return Document(name=self.id, path=self.id, text=self.text, sha256="", published=self.published)


def load_suite(folder: Path) -> list[Passage]:
    """Every passage of a phrasing suite folder (`RELATION.jsonl`, one passage per line)."""
    passages = []
    for path in sorted(folder.glob("*.jsonl")):
        if path.name.endswith(".gold.jsonl"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name}:{n}"
            try:
                raw = json.loads(line)
                published = date.fromisoformat(raw["published"]) if raw.get("published") else None
                passages.append(Passage(
                    id=str(raw["id"]), family=str(raw.get("family", "")), text=str(raw["text"]),
                    published=published, invented=bool(raw.get("invented")),
                    gold=tuple(GoldFact.parse(g, where) for g in raw.get("gold", [])), relation=path.stem,
                ))
            except (json.JSONDecodeError, KeyError, ValueError, TypeError) as exc:
                raise KGError(f"{where}: malformed passage ({exc})") from None
    if not passages:
        raise KGError(f"{folder}: no passages (*.jsonl) found")
    return passages


def predictions_by_doc(facts: Iterable[Mapping]) -> dict[str, list[Mapping]]:
    """Group contract dicts by their `doc` (base name)."""
    grouped: dict[str, list[Mapping]] = defaultdict(list)
    for fact in facts:
        grouped[Path(str(fact.get("doc"))).name].append(fact)
    return grouped


def format_report(report: Report, *, per_document: bool = True) -> str:
    """The report as text: a table per predicate, one per document, then `micro P= R= F1=`."""
    lines = [f"{'predicate':<15}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}"]
    for name, c in sorted(report.per_predicate.items()):
        lines.append(f"{name:<15}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>7.2f}{c.recall:>7.2f}{c.f1:>7.2f}")
    if per_document:
        lines.append("")
        for doc, c in report.per_document.items():
            lines.append(f"{doc:<40}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>7.2f}{c.recall:>7.2f}{c.f1:>7.2f}")
    t = report.total
    lines.append(f"micro P={t.precision:.3f} R={t.recall:.3f} F1={t.f1:.3f}")
    return "\n".join(lines)


def evaluate_folder(folder: Path, extractor, documents: Iterable[Path] | None = None) -> Report:
    """Extract the articles of a benchmark folder (or `documents`) and score them against its gold."""
    from kg.documents import iter_documents

    gold, articles = load_gold_dir(folder)
    facts = []
    for document in iter_documents(list(documents) if documents else articles):
        facts.extend(f.to_contract() for f in extractor.extract(document).facts)
    return score(gold, predictions_by_doc(facts))


def evaluate_suite(folder: Path, extractor, *, invented_only: bool = False) -> Report:
    """Extract every passage of a phrasing suite and score it; a passage is one document."""
    gold: dict[str, list[GoldFact]] = {}
    predictions: dict[str, list[Mapping]] = {}
    for passage in load_suite(folder):
        if invented_only and not passage.invented:
            continue
        gold[passage.id] = list(passage.gold)
        predictions[passage.id] = [f.to_contract() for f in extractor.extract(passage.document()).facts]
    return score(gold, predictions)


def is_suite(folder: Path) -> bool:
    """True for a phrasing-suite folder, False for a benchmark folder of `*.gold.jsonl` files."""
    return not any(folder.glob("*.gold.jsonl")) and any(folder.glob("*.jsonl"))
