"""Documents -> facts: the rule-based extractor (spaCy blank English + gazetteer + patterns)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kg.models import Document, Entity, Fact


@dataclass
class Extraction:
    """What one document yields: its facts and the entities they mention."""

    document: Document
    facts: list[Fact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)


class Extractor:
    """Turns documents into facts. Build once (loads the gazetteer and patterns), reuse."""

    def extract(self, document: Document) -> Extraction:
        """Facts stated in one document (work in progress: filled in by the extractor work)."""
        return Extraction(document)

    def extract_all(self, documents: Iterable[Document]) -> list[Extraction]:
        """Extract every document; entity labels are canonical across documents."""
        return [self.extract(d) for d in documents]
