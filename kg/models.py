"""Typed records that flow through the pipeline: documents, entities and facts."""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EntityType = Literal[
    "Company", "Investor", "ResearchLab", "Division", "Product", "Person", "Site", "Place", "Project"
]

ENTITY_PREDICATES: tuple[str, ...] = (
    "investedIn", "acquired", "partneredWith", "supplies", "competesWith", "subsidiaryOf",
    "heads", "worksFor", "hired", "operates", "locatedIn", "develops",
)
VALUE_PREDICATES: tuple[str, ...] = (
    "assetSale", "capex", "revenue", "netIncome", "valuation", "fundingRaised", "capacity",
)
SYMMETRIC_PREDICATES: frozenset[str] = frozenset({"partneredWith", "competesWith"})
Predicate = Literal[
    "investedIn", "acquired", "partneredWith", "supplies", "competesWith", "subsidiaryOf",
    "heads", "worksFor", "hired", "operates", "locatedIn", "develops",
    "assetSale", "capex", "revenue", "netIncome", "valuation", "fundingRaised", "capacity",
]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Document(_Record):
    """One source article: its text and what is known about where it came from."""

    name: str = Field(description="File base name, the document's id in every output.")
    path: str
    text: str
    sha256: str
    title: str | None = None
    publisher: str | None = None
    published: date | None = None
    published_text: str | None = Field(None, description="The publication date as given (may be YYYY-MM).")
    url: str | None = None


class Entity(_Record):
    """A real-world thing with one canonical label and the names it goes by."""

    id: str = Field(description="Stable key, e.g. 'meta'; the IRI is minted from it.")
    label: str
    type: EntityType
    aliases: tuple[str, ...] = ()
    kinds: tuple[str, ...] = Field((), description="Common nouns that can refer to it: 'chipmaker'.")
    known: bool = Field(True, description="False when discovered in text rather than in the gazetteer.")


class FactValue(_Record):
    """Numbers and qualifiers attached to a fact; every field is optional."""

    amount_usd: float | None = None
    amount_usd_min: float | None = None
    amount_usd_max: float | None = None
    amount: float | None = Field(None, description="The amount in its own currency.")
    currency: str | None = None
    gigawatts: float | None = None
    percent: float | None = None
    role: str | None = None
    asset: str | None = None
    period: str | None = None
    date: str | None = None


class Fact(_Record):
    """One statement read from one sentence of one document."""

    doc: str
    subject: str
    subject_id: str
    subject_type: EntityType
    predicate: Predicate
    object: str | None = None
    object_id: str | None = None
    object_type: EntityType | None = None
    value: FactValue = FactValue()
    evidence: str
    start: int = Field(description="Character offset of the evidence sentence in the document text.")
    end: int
    confidence: float = 0.9
    pattern: str = Field("", description="Id of the rule that produced the fact.")

    def to_contract(self) -> dict:
        """The fact as one line of the benchmark contract (extra keys are ignored by the scorer)."""
        return {
            "doc": self.doc,
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "value": self.value.model_dump(exclude_none=True),
            "evidence": self.evidence,
            "subject_id": self.subject_id,
            "object_id": self.object_id,
            "start": self.start,
            "end": self.end,
            "confidence": self.confidence,
            "pattern": self.pattern,
        }
