"""A tiny hand-made graph (one article about Meta) for doctests and first steps, no extractor needed.

>>> extraction = example_extraction()
>>> extraction.document.name, len(extraction.facts)
('example.txt', 13)
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from kg.models import Document, Entity, Fact, FactValue

EXAMPLE_TEXT = (
    "Meta Platforms made a $14.3 billion investment in Scale AI in June 2025. "
    "Meta hired Scale AI's CEO Alexandr Wang. "
    "Alexandr Wang heads Meta Superintelligence Labs, a new division of Meta. "
    "CEO Mark Zuckerberg plans AI superclusters. "
    "Meta is building Hyperion in Louisiana, a site that will grow to 5 gigawatts. "
    "Meta is selling $2 billion of data center assets."
)

_ENTITIES = {
    "meta": Entity(id="meta", label="Meta", type="Company", aliases=("Meta Platforms",)),
    "scale-ai": Entity(id="scale-ai", label="Scale AI", type="Company"),
    "alexandr-wang": Entity(id="alexandr-wang", label="Alexandr Wang", type="Person", aliases=("Alex Wang",)),
    "msl": Entity(id="msl", label="Meta Superintelligence Labs", type="ResearchLab"),
    "mark-zuckerberg": Entity(id="mark-zuckerberg", label="Mark Zuckerberg", type="Person"),
    "hyperion": Entity(id="hyperion", label="Hyperion", type="Site"),
    "louisiana": Entity(id="louisiana", label="Louisiana", type="Place"),
}


@dataclass
class ExampleExtraction:
    """The shape of `kg.extract.Extraction`: a document, its facts and the entities they name."""

    document: Document
    facts: list[Fact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)


def _fact(doc: Document, sentence_no: int, subject: str, predicate: str, obj: str | None = None,
          **value) -> Fact:
    sentences = [s if s.endswith(".") else s + "." for s in doc.text.split(". ")]
    sentence = sentences[sentence_no]
    start = doc.text.index(sentence)
    s = _ENTITIES[subject]
    o = _ENTITIES[obj] if obj else None
    return Fact(doc=doc.name, subject=s.label, subject_id=s.id, subject_type=s.type, predicate=predicate,
                object=o.label if o else None, object_id=o.id if o else None,
                object_type=o.type if o else None, value=FactValue(**value), evidence=sentence,
                start=start, end=start + len(sentence), confidence=0.9, pattern=f"example-{predicate}")


def example_extraction() -> ExampleExtraction:
    """The facts of the example article, as the extractor would give them."""
    doc = Document(name="example.txt", path="example.txt", text=EXAMPLE_TEXT,
                   sha256=hashlib.sha256(EXAMPLE_TEXT.encode()).hexdigest(),
                   title="Meta bets on superintelligence", publisher="Example News",
                   published=date(2025, 7, 1), published_text="2025-07", url="https://example.org/meta")
    facts = [
        _fact(doc, 0, "meta", "investedIn", "scale-ai", amount_usd=14.3e9, amount=14.3e9, currency="USD",
              date="2025-06"),
        _fact(doc, 1, "meta", "hired", "alexandr-wang"),
        _fact(doc, 1, "alexandr-wang", "heads", "scale-ai", role="CEO"),
        _fact(doc, 2, "alexandr-wang", "heads", "msl", role="head"),
        _fact(doc, 2, "msl", "subsidiaryOf", "meta"),
        _fact(doc, 3, "mark-zuckerberg", "heads", "meta", role="CEO"),
        _fact(doc, 4, "meta", "operates", "hyperion"),
        _fact(doc, 4, "hyperion", "locatedIn", "louisiana"),
        _fact(doc, 4, "hyperion", "capacity", gigawatts=5.0),
        _fact(doc, 5, "meta", "assetSale", amount_usd=2e9, amount=2e9, currency="USD",
              asset="data center assets"),
        _fact(doc, 4, "meta", "capex", amount_usd_min=66e9, amount_usd_max=72e9, period="2025"),
        _fact(doc, 0, "scale-ai", "fundingRaised", amount_usd=14.3e9, date="2025-06"),
        _fact(doc, 0, "scale-ai", "valuation", amount_usd=29e9, date="2025-06"),
    ]
    entities = {e: _ENTITIES[e] for f in facts for e in (f.subject_id, f.object_id) if e}
    return ExampleExtraction(doc, facts, entities)


__all__ = ["EXAMPLE_TEXT", "example_extraction"]
