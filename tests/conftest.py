"""Shared fixtures: hand-built extractions of two seed-like articles (no extractor needed)."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

import pytest

from kg.models import Document, Entity, Fact, FactValue


@dataclass
class Extraction:
    """Same shape as `kg.extract.Extraction`; kept here so these fixtures need no extractor."""

    document: Document
    facts: list[Fact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)

ENTITIES = {
    "meta": Entity(id="meta", label="Meta", type="Company", aliases=("Meta Platforms", "Meta Platforms Inc.")),
    "susan-li": Entity(id="susan-li", label="Susan Li", type="Person"),
    "mark-zuckerberg": Entity(id="mark-zuckerberg", label="Mark Zuckerberg", type="Person", aliases=("Zuckerberg",)),
    "hyperion": Entity(id="hyperion", label="Hyperion", type="Site"),
    "prometheus": Entity(id="prometheus", label="Prometheus", type="Site"),
    "louisiana": Entity(id="louisiana", label="Louisiana", type="Place"),
    "ohio": Entity(id="ohio", label="Ohio", type="Place"),
    "scale-ai": Entity(id="scale-ai", label="Scale AI", type="Company", aliases=("Scale",)),
    "alexandr-wang": Entity(id="alexandr-wang", label="Alexandr Wang", type="Person"),
    "openai": Entity(id="openai", label="OpenAI", type="Company"),
    "instagram": Entity(id="instagram", label="Instagram", type="Division"),
    "facebook": Entity(id="facebook", label="Facebook", type="Division"),
    "llama-4": Entity(id="llama-4", label="Llama 4", type="Product"),
}


def make_document(name: str, text: str, **meta) -> Document:
    return Document(name=name, path=f"/data/{name}", text=text,
                    sha256=hashlib.sha256(text.encode()).hexdigest(), **meta)


def make_fact(doc: Document, sentence: str, subject_id: str, predicate: str, object_id: str | None = None,
              confidence: float = 0.9, **value) -> Fact:
    """A fact whose evidence is `sentence`, located in the document text."""
    start = doc.text.index(sentence)
    s, o = ENTITIES[subject_id], ENTITIES[object_id] if object_id else None
    return Fact(doc=doc.name, subject=s.label, subject_id=s.id, subject_type=s.type, predicate=predicate,
                object=o.label if o else None, object_id=o.id if o else None, object_type=o.type if o else None,
                value=FactValue(**value), evidence=sentence, start=start, end=start + len(sentence),
                confidence=confidence, pattern=f"test-{predicate}")


DOC_A_TEXT = (
    "Meta reclassified $2.04 billion of data center assets into held-for-sale. "
    "Meta raised its capital expenditure forecast to a range of $66B to $72B. "
    "Chief Financial Officer Susan Li spoke at the call. "
    "CEO Mark Zuckerberg plans AI superclusters. "
    "Meta built a second site named Hyperion in Louisiana that is to grow to 5 gigawatts. "
    "Prometheus in Ohio will reach 1 gigawatt in 2026. "
    "Meta made a $14.3B investment in Scale AI and hired its CEO Alexandr Wang. "
    "Meta competes with OpenAI. "
    "Meta reported revenue of $47.52 billion in Q2 2025."
)
DOC_B_TEXT = (
    "Meta Platforms, the parent company of Facebook and Instagram, is selling non-essential assets worth around $2 billion. "
    "CEO Mark Zuckerberg has repeatedly emphasized that AI remains Meta's key priority."
)


def _doc_a() -> Extraction:
    doc = make_document("000_meta_asset_sale.txt", DOC_A_TEXT, title="Meta $2 Billion AI Infrastructure Asset Sale",
                        publisher="Businesstimes", published=date(2025, 8, 1), published_text="2025-08")
    sentences = [s + "." for s in DOC_A_TEXT.split(". ")]
    sentences[-1] = sentences[-1][:-1]
    s = dict(enumerate(sentences))
    facts = [
        make_fact(doc, s[0], "meta", "assetSale", amount_usd=2.04e9, asset="data center assets"),
        make_fact(doc, s[1], "meta", "capex", amount_usd_min=66e9, amount_usd_max=72e9, period="2025"),
        make_fact(doc, s[2], "susan-li", "worksFor", "meta", role="CFO"),
        make_fact(doc, s[3], "mark-zuckerberg", "heads", "meta", role="CEO"),
        make_fact(doc, s[4], "meta", "operates", "hyperion"),
        make_fact(doc, s[4], "hyperion", "locatedIn", "louisiana"),
        make_fact(doc, s[4], "hyperion", "capacity", gigawatts=5),
        make_fact(doc, s[5], "prometheus", "locatedIn", "ohio"),
        make_fact(doc, s[5], "prometheus", "capacity", gigawatts=1, date="2026"),
        make_fact(doc, s[6], "meta", "investedIn", "scale-ai", amount_usd=14.3e9, date="2025-06"),
        make_fact(doc, s[6], "meta", "hired", "alexandr-wang"),
        make_fact(doc, s[6], "alexandr-wang", "heads", "scale-ai", role="CEO"),
        make_fact(doc, s[7], "meta", "competesWith", "openai"),
        make_fact(doc, s[8], "meta", "revenue", amount_usd=47.52e9, period="2025-Q2"),
    ]
    entities = {e: ENTITIES[e] for f in facts for e in (f.subject_id, f.object_id) if e}
    return Extraction(doc, facts, entities)


def _doc_b() -> Extraction:
    doc = make_document("001_meta_sells_assets.txt", DOC_B_TEXT, title="Meta Platforms is selling non-essential assets",
                        publisher="TECH TIMES NEWS", published=date(2025, 8, 1), published_text="2025-08")
    first, second = DOC_B_TEXT.split(". ")
    first += "."
    facts = [
        make_fact(doc, first, "meta", "assetSale", amount_usd=2e9, asset="non-essential assets", confidence=0.7),
        make_fact(doc, first, "facebook", "subsidiaryOf", "meta"),
        make_fact(doc, first, "instagram", "subsidiaryOf", "meta"),
        make_fact(doc, second, "mark-zuckerberg", "heads", "meta", role="CEO"),
    ]
    entities = {e: ENTITIES[e] for f in facts for e in (f.subject_id, f.object_id) if e}
    return Extraction(doc, facts, entities)


@pytest.fixture
def doc_a() -> Extraction:
    return _doc_a()


@pytest.fixture
def doc_b() -> Extraction:
    return _doc_b()


@pytest.fixture
def extractions() -> list[Extraction]:
    return [_doc_a(), _doc_b()]


@pytest.fixture
def seed_store(extractions):
    """An in-memory store holding both seed-like documents."""
    from kg.rdf import to_graph
    from kg.store import Store

    store = Store(None)
    for extraction in extractions:
        store.write_document(to_graph(extraction))
    return store
