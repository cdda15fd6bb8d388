"""Facts -> RDF: one named graph per document, with stable IRIs and PROV-O provenance.

What one document states becomes one rdflib `Graph` whose identifier is the document's
named-graph IRI. It holds:

- the article (`aikg:Article`: title, publisher, date, URL, SHA-256 of the file);
- every entity the document's facts mention (types, label, aliases, canonical id);
- for each fact, the direct relation (`meta aikg:investedIn scale-ai`) and, where the
  relation is an event or a role, the n-ary node behind it (`aikg:Investment` with
  investor, investee, amount, date);
- for each fact one `aikg:Statement`, the provenance record: the evidence sentence, its
  character offsets, the extractor version, the confidence and the rule id, linked to the
  article with `prov:wasQuotedFrom` and from the node it supports with `aikg:attestedBy`.
  Statements use plain reification (`rdf:subject`, `rdf:predicate`, `rdf:object`), no
  RDF-star, so every SPARQL 1.1 store and serializer can hold them.

IRIs are minted from keys, never from counters, so the same thing gets the same IRI in
every build: entities from their canonical id, events from what identifies the event
(relation, subject, object, and the period for financial figures) but not from the
amount or the asset description. Two articles reporting one asset sale with different
amounts therefore share one event node, and each amount stays in its own document's
named graph: that is what makes a conflict queryable.
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal, InvalidOperation
from typing import Protocol
from urllib.parse import quote, unquote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

from kg.models import Document, Entity, Fact
from kg.vocab import AIKG, AIKG_IRI

ID = AIKG_IRI + "id/"
DOCUMENT_GRAPH = AIKG_IRI + "graph/doc/"
SUMMARY_GRAPH = URIRef(AIKG_IRI + "graph/summary")
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"

PREFIXES: dict[str, str] = {
    "aikg": AIKG_IRI,
    "dcterms": str(DCTERMS),
    "org": ORG,
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": SCHEMA,
    "skos": str(SKOS),
    "time": str(TIME),
    "xsd": str(XSD),
}

ORGANIZATION_TYPES = frozenset({"Company", "Investor", "ResearchLab", "Division"})
# The IRI path segment per entity type. Organization types share one segment so an entity
# typed Company in one article and Investor in another still gets one IRI.
_TYPE_SEGMENT = {
    "Company": "org", "Investor": "org", "ResearchLab": "org", "Division": "org",
    "Person": "person", "Product": "product", "Site": "site", "Place": "place",
    "Project": "project",
}
# Relations that are backed by an event node: relation -> (event class, subject role, object role).
_EVENT_RELATIONS = {
    "investedIn": (AIKG.Investment, AIKG.investor, AIKG.investee),
    "acquired": (AIKG.Acquisition, AIKG.acquirer, AIKG.acquiree),
    "partneredWith": (AIKG.Partnership, AIKG.partner, AIKG.partner),
    "supplies": (AIKG.SupplyDeal, AIKG.supplier, AIKG.customer),
    "hired": (AIKG.Hiring, AIKG.employer, AIKG.hiree),
}
# Value facts backed by an event node: relation -> (event class, key group, subject role).
# Relations in one key group share a node: revenue and net income of one period are one report.
_VALUE_EVENTS = {
    "assetSale": (AIKG.AssetSale, "assetSale", AIKG.seller),
    "capex": (AIKG.CapexGuidance, "capex", AIKG.organization),
    "revenue": (AIKG.FinancialReport, "financialReport", AIKG.organization),
    "netIncome": (AIKG.FinancialReport, "financialReport", AIKG.organization),
    "fundingRaised": (AIKG.FundingRound, "fundingRound", AIKG.organization),
    "valuation": (AIKG.FundingRound, "fundingRound", AIKG.organization),
}
_AMOUNT_PROPERTY = {"revenue": AIKG.revenue, "netIncome": AIKG.netIncome, "valuation": AIKG.valuation}


def _key(*parts: object) -> str:
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _segment(text: str) -> str:
    return quote(text, safe="-._~")


def entity_iri(entity_id: str, entity_type: str) -> URIRef:
    """The IRI of an entity, from its canonical id.

    >>> entity_iri("scale-ai", "Company")
    rdflib.term.URIRef('https://w3id.org/aikg/id/org/scale-ai')
    """
    return URIRef(f"{ID}{_TYPE_SEGMENT.get(entity_type, 'thing')}/{_segment(entity_id)}")


def document_graph_iri(name: str) -> URIRef:
    """The named graph that holds what the document `name` states.

    >>> document_graph_iri("000_meta.txt")
    rdflib.term.URIRef('https://w3id.org/aikg/graph/doc/000_meta.txt')
    """
    return URIRef(DOCUMENT_GRAPH + _segment(name))


def document_name(graph_iri: str) -> str | None:
    """The document name behind a named-graph IRI, or None for graphs that are not documents."""
    text = str(graph_iri)
    return unquote(text[len(DOCUMENT_GRAPH):]) if text.startswith(DOCUMENT_GRAPH) else None


def article_iri(name: str) -> URIRef:
    """The IRI of the article (the source) a document graph was read from."""
    return URIRef(f"{ID}article/{_segment(name)}")


def event_key(fact: Fact) -> tuple[str, ...] | None:
    """What identifies the event or role a fact belongs to, or None when it has none.

    Amounts and asset descriptions are not part of the key, so reports of one event that
    disagree on a figure share a node. Financial figures and guidance are keyed by period,
    funding rounds by date, because a company reports many quarters and raises many rounds.
    """
    p = fact.predicate
    if p in _EVENT_RELATIONS:
        ends = [fact.subject_id, fact.object_id or ""]
        if p == "partneredWith":
            ends.sort()
        return (p, *ends)
    if p in ("heads", "worksFor"):
        return ("role", fact.subject_id, fact.object_id or "")
    if p in _VALUE_EVENTS:
        group = _VALUE_EVENTS[p][1]
        if group == "fundingRound":
            return (group, fact.subject_id, fact.value.date or "")
        if group in ("capex", "financialReport"):
            return (group, fact.subject_id, fact.value.period or "")
        return (group, fact.subject_id)
    return None


def event_iri(fact: Fact) -> URIRef | None:
    """The IRI of the event or role node behind a fact (None for plain relations)."""
    key = event_key(fact)
    if key is None:
        return None
    kind = "role" if key[0] == "role" else "event"
    return URIRef(f"{ID}{kind}/{key[0].lower()}-{_key(*key)}")


def statement_iri(fact: Fact) -> URIRef:
    """The IRI of the provenance record of one fact as one document states it.

    The rule id and confidence are part of the key: two rules that read the same fact from
    one sentence make two statements, each with its own confidence.
    """
    value = fact.value.model_dump_json(exclude_none=True)
    key = _key(fact.doc, fact.predicate, fact.subject_id, fact.object_id, value, fact.start, fact.end,
               fact.pattern, repr(fact.confidence))
    return URIRef(f"{ID}statement/{key}")


def decimal_literal(number: float | int | Decimal) -> Literal:
    """An xsd:decimal literal in plain notation (no exponent, no trailing zeros).

    >>> decimal_literal(2.04e9)
    rdflib.term.Literal('2040000000', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    """
    try:
        text = format(Decimal(repr(number)) if isinstance(number, float) else Decimal(number), "f")
    except (InvalidOperation, ValueError):
        text = str(number)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal(text, datatype=XSD.decimal)


def date_literal(text: str) -> Literal:
    """A date as precise as given: YYYY -> xsd:gYear, YYYY-MM -> xsd:gYearMonth, YYYY-MM-DD -> xsd:date."""
    if re.fullmatch(r"\d{4}", text):
        return Literal(text, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return Literal(text, datatype=XSD.gYearMonth)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return Literal(text, datatype=XSD.date)
    return Literal(text)


def amount_iri(value: Literal, currency: str) -> URIRef:
    """Monetary amounts are values: one IRI per (currency, value), shared by every mention."""
    return URIRef(f"{ID}amount/{_segment(currency.lower())}/{_segment(str(value))}")


class Extraction(Protocol):
    """What `to_graph` needs from an extraction (`kg.extract.Extraction` has it)."""

    document: Document
    facts: list[Fact]
    entities: dict[str, Entity]


_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_QUARTER_BOUNDS = {1: ("01-01", "03-31"), 2: ("04-01", "06-30"), 3: ("07-01", "09-30"), 4: ("10-01", "12-31")}


class _DocumentGraph:
    """Accumulates the triples of one document's named graph."""

    def __init__(self, document: Document, entities: dict[str, Entity], version: str) -> None:
        self.document = document
        self.entities = entities
        self.version = version
        self.graph = Graph(identifier=document_graph_iri(document.name))
        for prefix, iri in PREFIXES.items():
            self.graph.bind(prefix, iri)
        self.article = article_iri(document.name)

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def add_article(self) -> None:
        doc, a = self.document, self.article
        self.add(a, RDF.type, AIKG.Article)
        self.add(a, AIKG.fileName, Literal(doc.name))
        self.add(a, AIKG.sha256, Literal(doc.sha256))
        if doc.title:
            self.add(a, DCTERMS.title, Literal(doc.title))
        if doc.publisher:
            self.add(a, AIKG.publisherName, Literal(doc.publisher))
        published = doc.published_text or (doc.published.isoformat() if doc.published else None)
        if published:
            self.add(a, AIKG.published, date_literal(published))
        if doc.url:
            self.add(a, URIRef(SCHEMA + "url"), Literal(doc.url, datatype=XSD.anyURI))

    def add_entity(self, entity_id: str, label: str, entity_type: str) -> URIRef:
        entity = self.entities.get(entity_id)
        if entity is not None:
            label, entity_type = entity.label, entity.type
        iri = entity_iri(entity_id, entity_type)
        self.add(iri, RDF.type, AIKG[entity_type])
        if entity_type in ORGANIZATION_TYPES:
            self.add(iri, RDF.type, AIKG.Organization)
        self.add(iri, RDFS.label, Literal(label))
        self.add(iri, AIKG.entityId, Literal(entity_id))
        if entity is not None:
            for alias in entity.aliases:
                if alias != label:
                    self.add(iri, SKOS.altLabel, Literal(alias))
        return iri

    def add_amount(self, node: URIRef, prop: URIRef, number: float | None, currency: str = "USD") -> None:
        if number is None:
            return
        value = decimal_literal(number)
        amount = amount_iri(value, currency)
        self.add(node, prop, amount)
        self.add(amount, RDF.type, AIKG.MonetaryAmount)
        self.add(amount, AIKG.value, value)
        self.add(amount, AIKG.currency, Literal(currency))

    def add_period(self, node: URIRef, text: str) -> None:
        period = URIRef(f"{ID}period/{_segment(text)}")
        self.add(node, AIKG.period, period)
        self.add(period, RDF.type, AIKG.Period)
        self.add(period, RDFS.label, Literal(text))
        quarter = _QUARTER.fullmatch(text)
        if quarter:
            year, q = quarter.group(1), int(quarter.group(2))
            bounds = (f"{year}-{_QUARTER_BOUNDS[q][0]}", f"{year}-{_QUARTER_BOUNDS[q][1]}")
        elif re.fullmatch(r"\d{4}", text):
            bounds = (f"{text}-01-01", f"{text}-12-31")
        else:
            return
        for prop, day in zip((TIME.hasBeginning, TIME.hasEnd), bounds):
            instant = URIRef(f"{ID}instant/{day}")
            self.add(period, prop, instant)
            self.add(instant, RDF.type, TIME.Instant)
            self.add(instant, TIME.inXSDDate, Literal(day, datatype=XSD.date))

    def add_fact(self, fact: Fact) -> None:
        v = fact.value
        subject = self.add_entity(fact.subject_id, fact.subject, fact.subject_type)
        obj = None
        if fact.object_id is not None:
            obj = self.add_entity(fact.object_id, fact.object or fact.object_id, fact.object_type or "Company")
            self.add(subject, AIKG[fact.predicate], obj)

        statement = statement_iri(fact)
        node = event_iri(fact)
        p = fact.predicate
        if p in _EVENT_RELATIONS and obj is not None:
            cls, subject_role, object_role = _EVENT_RELATIONS[p]
            self.add(node, RDF.type, cls)
            self.add(node, RDF.type, AIKG.Event)
            self.add(node, subject_role, subject)
            self.add(node, object_role, obj)
            self.add_amount(node, AIKG.amount, v.amount_usd)
        elif p in ("heads", "worksFor") and obj is not None:
            self.add(node, RDF.type, AIKG.Role)
            self.add(node, AIKG.holder, subject)
            self.add(node, AIKG.organization, obj)
            if v.role:
                self.add(node, AIKG.title, Literal(v.role))
            if p == "heads":
                self.add(node, AIKG.isHead, Literal(True))
        elif p in _VALUE_EVENTS:
            cls, _, subject_role = _VALUE_EVENTS[p]
            self.add(node, RDF.type, cls)
            self.add(node, RDF.type, AIKG.Event)
            self.add(node, subject_role, subject)
            self.add_amount(node, _AMOUNT_PROPERTY.get(p, AIKG.amount), v.amount_usd)
            self.add_amount(node, AIKG.minAmount, v.amount_usd_min)
            self.add_amount(node, AIKG.maxAmount, v.amount_usd_max)
            if v.asset:
                self.add(node, AIKG.asset, Literal(v.asset))
        elif p == "capacity":
            node = subject
            if v.gigawatts is not None:
                self.add(subject, AIKG.capacityGW, decimal_literal(v.gigawatts))
            if v.date:
                self.add(subject, AIKG.capacityDate, date_literal(v.date))
        else:
            node = subject

        if node != subject and node is not None:
            if v.amount is not None and v.currency and v.currency.upper() != "USD":
                self.add_amount(node, _AMOUNT_PROPERTY.get(p, AIKG.amount), v.amount, v.currency.upper())
            elif v.amount is not None and v.amount_usd is None and v.currency:
                self.add_amount(node, _AMOUNT_PROPERTY.get(p, AIKG.amount), v.amount, v.currency.upper())
            if v.percent is not None:
                self.add(node, AIKG.percent, decimal_literal(v.percent))
            if v.period:
                self.add_period(node, v.period)
            if v.date:
                self.add(node, AIKG.startDate if p in ("heads", "worksFor") else AIKG.date, date_literal(v.date))

        self.add(node, AIKG.attestedBy, statement)
        self.add(statement, RDF.type, AIKG.Statement)
        self.add(statement, AIKG.relation, Literal(p))
        self.add(statement, RDF.subject, subject)
        if obj is not None:
            self.add(statement, RDF.predicate, AIKG[p])
            self.add(statement, RDF.object, obj)
        self.add(statement, AIKG.evidence, Literal(fact.evidence))
        self.add(statement, AIKG.startOffset, Literal(fact.start))
        self.add(statement, AIKG.endOffset, Literal(fact.end))
        self.add(statement, AIKG.confidence, decimal_literal(fact.confidence))
        self.add(statement, AIKG.extractorVersion, Literal(self.version))
        if fact.pattern:
            self.add(statement, AIKG.pattern, Literal(fact.pattern))
        self.add(statement, PROV.wasQuotedFrom, self.article)


def to_graph(extraction: Extraction, *, extractor_version: str | None = None) -> Graph:
    """The named graph of one document: its article, entities, events, roles and statements.

    The graph's identifier is `document_graph_iri(document.name)`. The same extraction
    always gives the same triples (no timestamps, no blank nodes).
    """
    if extractor_version is None:
        from kg import __version__ as extractor_version
    builder = _DocumentGraph(extraction.document, extraction.entities, extractor_version)
    builder.add_article()
    for fact in extraction.facts:
        builder.add_fact(fact)
    return builder.graph
