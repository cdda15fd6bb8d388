"""The Python API: everyday questions about the graph in one call, each answer with its sources.

>>> kg = KnowledgeGraph.example()
>>> [r.person.label for r in kg.leaders("Meta Superintelligence Labs")]
['Alexandr Wang']
>>> inv = kg.investments(investee="Scale AI")[0]
>>> inv.investor.label, inv.amount_usd, inv.sources[0].doc
('Meta', 14300000000.0, 'example.txt')

`KnowledgeGraph.open()` reads the default store (``$AIKG_STORE`` or ``./store``);
`KnowledgeGraph.build(paths)` extracts articles into a new graph. Helpers return
`Results`, a tuple of frozen pydantic records, each carrying its `Source` records (the
document, its metadata and the evidence sentence); `Results.to_dataframe()` gives a
pandas DataFrame when pandas is installed (``pip install 'aikg[pandas]'``).

Every value a caller passes reaches SPARQL as a bound term (pyoxigraph substitutions),
never through string formatting: names are resolved to entity IRIs in Python, and the
IRIs are bound. The entity table (ids, labels, aliases, types, source counts) and the
direct-relation adjacency used by `paths` are read once, on first use; call `refresh()`
after changing the store through another handle.
"""
from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date as _date
from pathlib import Path
from typing import Any, Generic, TypeVar

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict
from rdflib import Graph, Literal, URIRef

from kg.errors import KGError, QueryError
from kg.models import ENTITY_PREDICATES
from kg.network import local_name, number, read_entities, select_values
from kg.store import Store, default_path
from kg.vocab import AIKG_IRI

EVENT_KINDS: tuple[str, ...] = (
    "Acquisition", "AssetSale", "CapexGuidance", "FinancialReport", "FundingRound", "Hiring",
    "Investment", "Partnership", "ProductRelease", "RegulatoryAction", "SupplyDeal",
)
"""The event classes `events(kinds=...)` accepts."""

_FIGURES = ("amount", "minAmount", "maxAmount", "revenue", "netIncome", "valuation")


class EntityNotFound(KGError, LookupError):
    """No entity has this name; `closest` holds the most similar known names."""

    def __init__(self, name: str, closest: list[str]) -> None:
        self.name = name
        self.closest = closest
        hint = f"; closest: {', '.join(closest)}" if closest else ""
        super().__init__(f"no entity named {name!r}{hint}")


# -- result records ------------------------------------------------------------------------


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def row(self) -> dict[str, Any]:
        """The record as one flat row: entities by label, sources as document names."""
        flat: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, EntityRef):
                flat[name] = value.label
            elif isinstance(value, Source):
                flat.update({f"{name}_{k}": v for k, v in value.model_dump().items()})
            elif isinstance(value, tuple) and value and isinstance(value[0], Source):
                flat[name] = "; ".join(sorted({s.doc for s in value}))
                flat["evidence"] = value[0].sentence
            elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel):
                flat[name] = "; ".join(str(v) for v in value)
            elif isinstance(value, tuple):
                flat[name] = "; ".join(str(v) for v in value)
            else:
                flat[name] = value
        return flat


class Source(_Result):
    """One evidence sentence and the article it was read from."""

    doc: str
    sentence: str
    title: str | None = None
    publisher: str | None = None
    date: str | None = None
    url: str | None = None
    start: int | None = None
    end: int | None = None
    confidence: float | None = None
    relation: str | None = None

    def __str__(self) -> str:
        return f"{self.doc}: {self.sentence}"


class EntityRef(_Result):
    """A canonical entity: its IRI, id, label, type, other names and number of sources."""

    iri: str
    id: str
    label: str
    type: str | None = None
    aliases: tuple[str, ...] = ()
    source_count: int = 0

    def __str__(self) -> str:
        return self.label


class Investment(_Result):
    """Money one organization put into another, as one or more sources report it."""

    investor: EntityRef
    investee: EntityRef
    amount_usd: float | None = None
    amount: float | None = None
    currency: str | None = None
    date: str | None = None
    event: str
    sources: tuple[Source, ...] = ()


class Role(_Result):
    """A person's position in an organization."""

    person: EntityRef
    organization: EntityRef
    title: str | None = None
    head: bool = False
    start_date: str | None = None
    end_date: str | None = None
    role: str
    sources: tuple[Source, ...] = ()


class Site(_Result):
    """A site (data center, campus), who operates it, where it is, and its power capacity."""

    site: EntityRef
    operators: tuple[EntityRef, ...] = ()
    places: tuple[EntityRef, ...] = ()
    gigawatts: float | None = None
    capacity_date: str | None = None
    sources: tuple[Source, ...] = ()


class Figure(_Result):
    """A number an event carries (amount, revenue, valuation, ...), as one document gives it."""

    name: str
    value: float
    currency: str | None = None
    doc: str

    def __str__(self) -> str:
        return f"{self.name}={self.value:g}{' ' + self.currency if self.currency else ''} ({self.doc})"


class Participant(_Result):
    """An entity's part in an event (investor, investee, seller, employer, ...)."""

    role: str
    entity: EntityRef

    def __str__(self) -> str:
        return f"{self.role}: {self.entity.label}"


class Event(_Result):
    """Something that happened: its kind, date or period, who took part, its figures."""

    event: str
    kind: str
    date: str | None = None
    period: str | None = None
    participants: tuple[Participant, ...] = ()
    figures: tuple[Figure, ...] = ()
    asset: str | None = None
    sources: tuple[Source, ...] = ()


class Relation(_Result):
    """A direct relation between two entities (subject -> object), with its sources."""

    subject: EntityRef
    relation: str
    object: EntityRef
    hop: int = 1
    sources: tuple[Source, ...] = ()

    def __str__(self) -> str:
        return f"{self.subject.label} {self.relation} {self.object.label}"


class Connection(_Result):
    """A chain of relations linking two entities, each relation in the direction it was stated."""

    nodes: tuple[EntityRef, ...]
    relations: tuple[Relation, ...]

    def __str__(self) -> str:
        parts = [self.nodes[0].label]
        for node, relation in zip(self.nodes[1:], self.relations):
            forward = relation.object.iri == node.iri
            parts.append(f" -{relation.relation}-> " if forward else f" <-{relation.relation}- ")
            parts.append(node.label)
        return "".join(parts)

    @property
    def hops(self) -> int:
        """The number of relations on the path."""
        return len(self.relations)


class Claim(_Result):
    """One source's value in a conflict."""

    value: float
    currency: str | None = None
    sources: tuple[Source, ...] = ()


class Conflict(_Result):
    """Sources that disagree on a figure of the same event or site."""

    about: str
    node: str
    kind: str
    claim: str
    claims: tuple[Claim, ...]


T = TypeVar("T")


class Results(tuple, Generic[T]):
    """The records a helper returns: a tuple, plus `rows()` and `to_dataframe()`.

    >>> kg = KnowledgeGraph.example()
    >>> kg.leaders("Meta").rows()[0]["person"]
    'Mark Zuckerberg'
    """

    def rows(self) -> list[dict[str, Any]]:
        """Each record as a flat dict (entities by label, sources as document names)."""
        return [item.row() if isinstance(item, _Result) else dict(item) for item in self]

    def to_dataframe(self):
        """The rows as a pandas DataFrame (needs the pandas extra).

        >>> frame = KnowledgeGraph.example().investments().to_dataframe()  # doctest: +SKIP
        >>> list(frame.columns)[:3]  # doctest: +SKIP
        ['investor', 'investee', 'amount_usd']
        """
        try:
            import pandas as pd
        except ImportError:
            raise KGError("to_dataframe needs pandas: pip install 'aikg[pandas]'") from None
        return pd.DataFrame(self.rows())


# -- small helpers -------------------------------------------------------------------------


def _text(term) -> str | None:
    return None if term is None else str(term)


def date_bounds(value: str | _date | None) -> tuple[str, str] | None:
    """The first and last day a date as precise as given covers (ISO strings), or None.

    >>> date_bounds("2025")
    ('2025-01-01', '2025-12-31')
    >>> date_bounds("2025-06")
    ('2025-06-01', '2025-06-31')
    >>> date_bounds("2025-Q3")
    ('2025-07-01', '2025-09-31')
    >>> date_bounds(_date(2025, 6, 15))
    ('2025-06-15', '2025-06-15')
    >>> date_bounds("soon") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, _date):
        text = value.isoformat()
        return text, text
    text = str(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text, text
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return f"{text}-01", f"{text}-31"  # string order only: "-31" sorts after any day
    quarter = re.fullmatch(r"(\d{4})-?Q([1-4])", text, re.IGNORECASE)
    if quarter:
        first = (int(quarter.group(2)) - 1) * 3 + 1
        return f"{quarter.group(1)}-{first:02d}-01", f"{quarter.group(1)}-{first + 2:02d}-31"
    if re.fullmatch(r"\d{4}", text):
        return f"{text}-01-01", f"{text}-12-31"
    return None


def within(when: str | None, since: str | _date | None, until: str | _date | None) -> bool:
    """True when the date or period `when` overlaps [since, until] (an undated thing never does).

    >>> within("2025-06", "2025", None), within("2024", "2025", None), within(None, None, None)
    (True, False, True)
    """
    if since is None and until is None:
        return True
    bounds = date_bounds(when)
    if bounds is None:
        return False
    low, high = date_bounds(since), date_bounds(until)
    if since is not None and low is None:
        raise KGError(f"since={since!r}: expected a date like 2025, 2025-06 or 2025-06-15")
    if until is not None and high is None:
        raise KGError(f"until={until!r}: expected a date like 2025, 2025-06 or 2025-06-15")
    if low is not None and bounds[1] < low[0]:
        return False
    if high is not None and bounds[0] > high[1]:
        return False
    return True


def mentions(sentence: str, value: float) -> bool:
    """Whether a sentence writes the number `value` (as is, or in thousands, millions, billions, trillions).

    >>> mentions("Meta sells $2.04 billion of assets", 2.04e9), mentions("a $2B sale", 2.04e9)
    (True, False)
    >>> mentions("a $2B sale", 2e9), mentions("5 gigawatts", 5.0)
    (True, True)
    """
    for scale in (1, 1e3, 1e6, 1e9, 1e12):
        number = value / scale
        if number < 1 and scale > 1:
            break
        text = f"{number:.6f}".rstrip("0").rstrip(".")
        if re.search(rf"(?<![\d.,]){re.escape(text)}(?:\.0+)?(?![\d]|[.,]\d)", sentence):
            return True
    return False


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


# -- SPARQL ---------------------------------------------------------------------------------
# Query texts are constants; the entity IRIs they need are bound through `bindings=`.

_ARTICLES = """
SELECT ?g ?file ?title ?publisher ?published ?url WHERE { GRAPH ?g {
  ?article a aikg:Article ; aikg:fileName ?file .
  OPTIONAL { ?article dcterms:title ?title }
  OPTIONAL { ?article aikg:publisherName ?publisher }
  OPTIONAL { ?article aikg:published ?published }
  OPTIONAL { ?article schema:url ?url }
} }"""
_ADJACENCY = {p: f"SELECT ?s ?o WHERE {{ ?s aikg:{p} ?o }}" for p in ENTITY_PREDICATES}
# Oxigraph plans a query before the bound values are substituted: among equally constant
# triple patterns it keeps the written order, and it evaluates OPTIONAL, UNION and
# subqueries on their own before joining them. So each query below is one basic graph
# pattern that starts with the pattern holding the bound entity (there is one variant per
# anchor where two are possible), with no OPTIONAL; the helpers combine a few in Python.
_SRC_COLUMNS = "?g ?sentence ?rel ?start ?end ?confidence"
_SRC = ("?st aikg:evidence ?sentence ; aikg:relation ?rel ; aikg:startOffset ?start ; "
        "aikg:endOffset ?end ; aikg:confidence ?confidence .")


# only Investments have an investor and an investee; only Roles have a holder
_INVESTMENT = {
    "investor": "?node aikg:investor ?investor . ?node aikg:investee ?investee .",
    "investee": "?node aikg:investee ?investee . ?node aikg:investor ?investor .",
}
_ROLE = {
    "org": "?node aikg:organization ?org . ?node aikg:holder ?person .",
    "person": "?node aikg:holder ?person . ?node aikg:organization ?org .",
}
_INVESTMENT_AMOUNTS = {anchor: f"""
SELECT ?investor ?investee ?node ?g ?amount ?currency WHERE {{ GRAPH ?g {{
  {pattern} ?node aikg:amount ?money . ?money aikg:value ?amount ; aikg:currency ?currency
}} }}""" for anchor, pattern in _INVESTMENT.items()}
_INVESTMENT_DATES = {anchor: f"""
SELECT ?investor ?investee ?node ?g ?date WHERE {{ GRAPH ?g {{ {pattern} ?node aikg:date ?date }} }}"""
                     for anchor, pattern in _INVESTMENT.items()}
_INVESTMENT_SOURCES = {anchor: f"""
SELECT ?investor ?investee ?node {_SRC_COLUMNS} WHERE {{ GRAPH ?g {{
  {pattern} ?node aikg:attestedBy ?st . {_SRC}
}} }}""" for anchor, pattern in _INVESTMENT.items()}
_ROLE_FACTS = {
    (anchor, name): f"SELECT ?person ?org ?node ?g ?value WHERE {{ GRAPH ?g {{ {pattern} ?node aikg:{name} ?value }} }}"
    for anchor, pattern in _ROLE.items() for name in ("title", "isHead", "startDate", "endDate")
}
_ROLE_SOURCES = {anchor: f"""
SELECT ?person ?org ?node {_SRC_COLUMNS} WHERE {{ GRAPH ?g {{
  {pattern} ?node aikg:attestedBy ?st . {_SRC}
}} }}""" for anchor, pattern in _ROLE.items()}

_SITES = {
    "operator": "SELECT DISTINCT ?operator ?site WHERE { ?operator aikg:operates ?site . ?site a aikg:Site }",
    "place": "SELECT DISTINCT ?place ?site WHERE { ?site aikg:locatedIn ?place ; a aikg:Site }",
    "none": "SELECT DISTINCT ?site WHERE { ?site a aikg:Site }",
}
_SITE_CAPACITY = "SELECT ?site ?g ?gw WHERE { GRAPH ?g { ?site aikg:capacityGW ?gw } }"
_SITE_CAPACITY_DATE = "SELECT ?site ?g ?cdate WHERE { GRAPH ?g { ?site aikg:capacityDate ?cdate } }"
_SITE_OPERATORS = "SELECT DISTINCT ?site ?op WHERE { ?op aikg:operates ?site }"
_SITE_PLACES = "SELECT DISTINCT ?site ?pl WHERE { ?site aikg:locatedIn ?pl }"

# statements about an entity, as subject or as object of the fact
_SUBJECT_SOURCES = f"""
SELECT ?entity {_SRC_COLUMNS} WHERE {{ GRAPH ?g {{ ?st rdf:subject ?entity . {_SRC} }} }}"""
# (the bound end is ?entity: each pattern fewer is a join fewer per statement of a hub)
_SUBJECT_RELATIONS = f"""
SELECT ?entity ?p ?o {_SRC_COLUMNS} WHERE {{ GRAPH ?g {{
  ?st rdf:subject ?entity ; rdf:predicate ?p ; rdf:object ?o . {_SRC}
}} }}"""
_OBJECT_SOURCES = f"""
SELECT ?entity ?s ?p {_SRC_COLUMNS} WHERE {{ GRAPH ?g {{
  ?st rdf:object ?entity ; rdf:subject ?s ; rdf:predicate ?p . {_SRC}
}} }}"""
_EDGE_SOURCES = {  # from the end with fewer statements
    "s": f"""SELECT ?s ?p ?o {_SRC_COLUMNS} WHERE {{ GRAPH ?g {{
  ?st rdf:subject ?s ; rdf:object ?o ; rdf:predicate ?p . {_SRC} }} }}""",
    "o": f"""SELECT ?s ?p ?o {_SRC_COLUMNS} WHERE {{ GRAPH ?g {{
  ?st rdf:object ?o ; rdf:subject ?s ; rdf:predicate ?p . {_SRC} }} }}""",
}
_NODE_SOURCES = f"SELECT ?node {_SRC_COLUMNS} WHERE {{ GRAPH ?g {{ ?node aikg:attestedBy ?st . {_SRC} }} }}"

# the events an entity takes part in, through one of the parts events have (kg.rdf); the
# VALUES table makes `?node ?part ?entity` the most constant pattern
_PART = ("VALUES ?part { aikg:investor aikg:investee aikg:acquirer aikg:acquiree aikg:partner aikg:supplier "
         "aikg:customer aikg:employer aikg:hiree aikg:seller aikg:organization }")
_EVENT_CLASSES = f"SELECT ?entity ?node ?class WHERE {{ {_PART} GRAPH ?g {{ ?node ?part ?entity ; a ?class }} }}"
_EVENT_DATES = f"SELECT ?entity ?node ?g ?date WHERE {{ {_PART} GRAPH ?g {{ ?node ?part ?entity ; aikg:date ?date }} }}"
_EVENT_PERIODS = f"""
SELECT ?entity ?node ?g ?period WHERE {{ {_PART} GRAPH ?g {{
  ?node ?part ?entity ; aikg:period ?p . ?p rdfs:label ?period }} }}"""
_EVENT_FIGURES = f"""
SELECT ?entity ?node ?g ?figure ?value ?currency WHERE {{ {_PART} GRAPH ?g {{
  ?node ?part ?entity ; ?figure ?money . ?money aikg:value ?value ; aikg:currency ?currency }} }}"""
_EVENT_ASSETS = f"SELECT ?entity ?node ?asset WHERE {{ {_PART} GRAPH ?g {{ ?node ?part ?entity ; aikg:asset ?asset }} }}"
_EVENT_PARTICIPANTS = f"""
SELECT DISTINCT ?entity ?node ?role ?other WHERE {{ {_PART} GRAPH ?g {{
  ?node ?part ?entity ; ?role ?other . ?other aikg:entityId ?otherId }} }}"""
_EVENT_SOURCES = f"""
SELECT ?entity ?node {_SRC_COLUMNS} WHERE {{ {_PART} GRAPH ?g {{
  ?node ?part ?entity ; aikg:attestedBy ?st . {_SRC} }} }}"""

_FIGURE_VALUES = "SELECT ?node ?p ?g ?value ?currency WHERE { GRAPH ?g { ?node ?p ?m . ?m aikg:value ?value ; aikg:currency ?currency } }"
_CAPACITY_VALUES = "SELECT ?node ?g ?value WHERE { GRAPH ?g { ?node aikg:capacityGW ?value } }"
_NODE_CLASS = "SELECT ?node ?class WHERE { ?node a ?class }"
_NODE_PARTY = """
SELECT ?node ?party WHERE {
  ?node aikg:seller|aikg:investor|aikg:organization|aikg:acquirer|aikg:supplier|aikg:employer ?party .
}"""

_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _rows(store: Store, sparql: str, bindings: Mapping[str, object] | None = None) -> list[dict[str, str | None]]:
    # plain strings, not rdflib terms: a hub's answer has thousands of rows
    return select_values(store, sparql, bindings)


class _Index:
    """What every helper needs about entities and articles, read once."""

    def __init__(self, store: Store) -> None:
        self.refs: dict[str, EntityRef] = {}
        self.by_name: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.by_id: dict[str, str] = {}
        for node, e in read_entities(store).items():
            ref = EntityRef(iri=node, id=e["id"], label=e["label"], type=e["type"],
                            aliases=tuple(e["aliases"]), source_count=e["source_count"])
            self.refs[node] = ref
            self.by_name[_norm(e["label"])].append((0, node))
            for alias in e["aliases"]:
                self.by_name[_norm(alias)].append((1, node))
            self.by_id.setdefault(e["id"], node)
        self.articles: dict[str, dict[str, str | None]] = {}
        for row in _rows(store, _ARTICLES):
            self.articles[str(row["g"])] = {
                "doc": str(row["file"]), "title": _text(row["title"]), "publisher": _text(row["publisher"]),
                "date": _text(row["published"]), "url": _text(row["url"]),
            }
        self._adjacency: dict[str, list[tuple[str, str, str]]] | None = None
        self._display: dict[str, str] | None = None
        self._by_word: dict[str, list[str]] | None = None
        self._store = store

    @property
    def display_names(self) -> dict[str, str]:
        """Every label and alias, normalized -> as written (for suggesting names)."""
        if self._display is None:
            self._display = {}
            for ref in self.refs.values():
                for text in (ref.label, *ref.aliases):
                    self._display.setdefault(_norm(text), text)
        return self._display

    @property
    def names_by_word(self) -> dict[str, list[str]]:
        """word -> the normalized names that contain it."""
        if self._by_word is None:
            self._by_word = defaultdict(list)
            for key in self.display_names:
                for word in set(key.split()):
                    self._by_word[word].append(key)
        return self._by_word

    def ref(self, iri) -> EntityRef:
        key = str(iri)
        found = self.refs.get(key)
        if found is None:  # a node without an entity id: show its IRI
            return EntityRef(iri=key, id=local_name(key).rsplit("/", 1)[-1], label=local_name(key))
        return found

    def source(self, row: Mapping[str, Any]) -> Source:
        article = self.articles.get(str(row["g"]), {"doc": str(row["g"])})
        return Source(
            sentence=str(row["sentence"]), start=None if row.get("start") is None else int(row["start"]),
            end=None if row.get("end") is None else int(row["end"]), confidence=number(row.get("confidence")),
            relation=_text(row.get("rel")), **article,
        )

    @property
    def adjacency(self) -> dict[str, list[tuple[str, str, str]]]:
        """node -> [(subject, relation, object)] for every direct relation touching it."""
        if self._adjacency is None:
            adjacency: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
            for relation, query in _ADJACENCY.items():
                for row in _rows(self._store, query):
                    edge = (str(row["s"]), relation, str(row["o"]))
                    adjacency[edge[0]].append(edge)
                    if edge[2] != edge[0]:
                        adjacency[edge[2]].append(edge)
            self._adjacency = dict(adjacency)
        return self._adjacency


def _sorted_sources(sources: Iterable[Source]) -> tuple[Source, ...]:
    unique = {(s.doc, s.start, s.sentence, s.relation): s for s in sources}
    return tuple(sorted(unique.values(), key=lambda s: (s.doc, s.start or 0, s.relation or "")))


class KnowledgeGraph:
    """A read view of an aikg store with one method per everyday question.

    >>> kg = KnowledgeGraph.example()
    >>> kg.entity("meta platforms").label
    'Meta'
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._index: _Index | None = None

    # -- opening -----------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | str | None = None, *, read_only: bool = True) -> KnowledgeGraph:
        """The graph in the store at `path` (default: ``$AIKG_STORE``, else ``./store``).

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     KnowledgeGraph.open(tmp + "/none")
        Traceback (most recent call last):
        kg.errors.StoreError: .../none: no store here yet; run `kg build` first
        """
        return cls(Store(default_path() if path is None else path, read_only=read_only))

    @classmethod
    def build(cls, paths: Iterable[Path | str] | Path | str, *, path: Path | str | None = None,
              extractor=None) -> KnowledgeGraph:
        """Extract the articles under `paths` into a graph: in memory, or in a store at `path`.

        >>> kg = KnowledgeGraph.build([])
        >>> len(kg.store)
        0
        """
        from kg.build import build as run_build

        if isinstance(paths, (str, Path)):
            paths = [paths]
        store = Store(path)
        run_build(list(paths), store, extractor=extractor, exports=None, validate=False)
        return cls(store)

    @classmethod
    def example(cls) -> KnowledgeGraph:
        """A tiny in-memory graph of one hand-made article about Meta (`kg.example`), for trying the API.

        >>> len(KnowledgeGraph.example().store) > 100
        True
        """
        from kg.example import example_extraction
        from kg.rdf import to_graph

        store = Store(None)
        store.write_document(to_graph(example_extraction()))
        return cls(store)

    def close(self) -> None:
        """Release the store (and its lock on disk); `with KnowledgeGraph.open() as kg:` does it for you.

        >>> kg = KnowledgeGraph.example()
        >>> kg.close()
        """
        self.store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def refresh(self) -> None:
        """Forget what was read from the store (entity table, adjacency); read it again on next use.

        >>> from kg.rdf import to_graph
        >>> from kg.example import example_extraction
        >>> kg = KnowledgeGraph.build([])
        >>> kg.entities()
        ()
        >>> kg.store.write_document(to_graph(example_extraction()))
        >>> kg.refresh()
        >>> kg.entity("Meta").label
        'Meta'
        """
        self._index = None

    @property
    def _idx(self) -> _Index:
        if self._index is None:
            self._index = _Index(self.store)
        return self._index

    def _select(self, sparql: str, **bindings) -> list[dict[str, str | None]]:
        return _rows(self.store, sparql, bindings)

    # -- entities ----------------------------------------------------------------------------

    def entity(self, name: str | EntityRef) -> EntityRef:
        """The canonical entity for a name, alias, entity id or IRI (case and spacing ignored).

        Several entities with one name: a label beats an alias, then more sources win.
        An unknown name raises `EntityNotFound`, whose message lists the closest names.

        >>> kg = KnowledgeGraph.example()
        >>> kg.entity("Alex Wang").label, kg.entity("msl").label
        ('Alexandr Wang', 'Meta Superintelligence Labs')
        >>> kg.entity("Meta Platfroms")
        Traceback (most recent call last):
        kg.graph.EntityNotFound: no entity named 'Meta Platfroms'; closest: Meta Platforms, Meta
        """
        if isinstance(name, EntityRef):
            name = name.iri
        if not isinstance(name, str):
            raise TypeError(f"entity() expects a name, got {type(name).__name__}")
        name = str(name)  # an rdflib URIRef is a str, but does not compare equal to one
        index = self._idx
        if name in index.refs:
            return index.refs[name]
        candidates = index.by_name.get(_norm(name))
        if candidates:
            best = min(candidates, key=lambda c: (c[0], -index.refs[c[1]].source_count, c[1]))
            return index.refs[best[1]]
        if name in index.by_id:
            return index.refs[index.by_id[name]]
        raise EntityNotFound(name, self.closest_names(name))

    def closest_names(self, name: str, *, n: int = 5) -> list[str]:
        """The known names (labels and aliases) most similar to `name`, best first.

        >>> KnowledgeGraph.example().closest_names("Scale", n=1)
        ['Scale AI']
        """
        display = self._idx.display_names
        query = _norm(name)
        # names sharing a word with the query first (fast on big graphs), then all names
        by_word = self._idx.names_by_word
        sharing = sorted({k for word in query.split() for k in by_word.get(word, ())})
        found = difflib.get_close_matches(query, sharing, n=n, cutoff=0.5)
        if not found:
            found = difflib.get_close_matches(query, list(display), n=n, cutoff=0.5)
        if len(found) < n:  # names that contain the query, or that the query contains
            extra = sorted((k for k in display if k not in found and query and (query in k or k in query)),
                           key=lambda k: (abs(len(k) - len(query)), k))
            found += extra[: n - len(found)]
        return [display[k] for k in found]

    def entities(self, *, type: str | None = None) -> Results[EntityRef]:
        """Every entity (of one type, if given), most-cited first.

        >>> [e.label for e in KnowledgeGraph.example().entities(type="Site")]
        ['Hyperion']
        """
        refs = [r for r in self._idx.refs.values() if type is None or r.type == type]
        return Results(sorted(refs, key=lambda r: (-r.source_count, r.label)))

    def _iri(self, name) -> URIRef:
        return URIRef(self.entity(name).iri)

    # -- helpers -----------------------------------------------------------------------------

    def investments(self, investor: str | EntityRef | None = None, investee: str | EntityRef | None = None, *,
                    since: str | _date | None = None, until: str | _date | None = None,
                    min_amount_usd: float | None = None) -> Results[Investment]:
        """Investments, optionally by one investor and/or into one investee, in a date range, above an amount.

        One record per event and distinct claim: two articles giving the same amount share a
        record (two sources); an article giving another amount gets its own record.
        `since`/`until` keep investments whose date overlaps the range (undated ones are
        then left out); `min_amount_usd` keeps those with a USD amount at least that large.

        >>> kg = KnowledgeGraph.example()
        >>> [(i.investor.label, i.investee.label, i.amount_usd, i.date) for i in kg.investments("Meta")]
        [('Meta', 'Scale AI', 14300000000.0, '2025-06')]
        >>> kg.investments(min_amount_usd=2e10), kg.investments(since="2026")
        ((), ())
        """
        bindings = {}
        if investor is not None:
            bindings["investor"] = self._iri(investor)
        if investee is not None:
            bindings["investee"] = self._iri(investee)
        claims: dict[tuple[str, str], dict] = {}

        def claim_of(row) -> dict:
            return claims.setdefault((str(row["node"]), str(row["g"])), {
                "investor": row["investor"], "investee": row["investee"], "money": {}, "date": None, "sources": []})

        anchor = "investor" if investor is not None or investee is None else "investee"
        for row in self._select(_INVESTMENT_AMOUNTS[anchor], **bindings):
            claim_of(row)["money"][str(row["currency"])] = number(row["amount"])
        for row in self._select(_INVESTMENT_DATES[anchor], **bindings):
            claim_of(row)["date"] = str(row["date"])
        for row in self._select(_INVESTMENT_SOURCES[anchor], **bindings):
            claim_of(row)["sources"].append(self._idx.source(row))
        merged: dict[tuple, dict] = {}
        for (node, _), claim in claims.items():
            money = claim["money"]
            native = next(((c, v) for c, v in sorted(money.items()) if c != "USD"), (None, None))
            usd = money.get("USD")
            amount, currency = (native[1], native[0]) if native[0] else (usd, "USD" if usd is not None else None)
            key = (node, usd, amount, currency, claim["date"])
            entry = merged.setdefault(key, {"claim": claim, "sources": []})
            entry["sources"].extend(claim["sources"])
        results = []
        for (node, usd, amount, currency, when), entry in merged.items():
            if not within(when, since, until):
                continue
            if min_amount_usd is not None and (usd is None or usd < min_amount_usd):
                continue
            claim = entry["claim"]
            results.append(Investment(
                investor=self._idx.ref(claim["investor"]), investee=self._idx.ref(claim["investee"]),
                amount_usd=usd, amount=amount, currency=currency, date=when, event=node,
                sources=_sorted_sources(entry["sources"])))
        results.sort(key=lambda i: (i.date or "9999", i.investor.label, i.investee.label, -(i.amount_usd or 0)))
        return Results(results)

    def _roles(self, **bindings) -> list[Role]:
        found: dict[str, dict] = {}

        def entry_of(row) -> dict:
            return found.setdefault(str(row["node"]), {"person": row["person"], "org": row["org"], "titles": Counter(),
                                                       "head": False, "start": None, "end": None, "sources": []})

        anchor = "org" if "org" in bindings else "person"
        for row in self._select(_ROLE_SOURCES[anchor], **bindings):
            entry_of(row)["sources"].append(self._idx.source(row))
        for row in self._select(_ROLE_FACTS[anchor, "title"], **bindings):
            entry_of(row)["titles"][str(row["value"])] += 1
        for row in self._select(_ROLE_FACTS[anchor, "isHead"], **bindings):
            entry_of(row)["head"] |= str(row["value"]).lower() == "true"
        for name, key in (("startDate", "start"), ("endDate", "end")):
            for row in self._select(_ROLE_FACTS[anchor, name], **bindings):
                entry = entry_of(row)
                entry[key] = min(entry[key] or str(row["value"]), str(row["value"]))
        roles = []
        for node, e in found.items():
            title = max(e["titles"].items(), key=lambda kv: (kv[1], kv[0]))[0] if e["titles"] else None
            roles.append(Role(person=self._idx.ref(e["person"]), organization=self._idx.ref(e["org"]),
                              title=title, head=e["head"], start_date=e["start"], end_date=e["end"], role=node,
                              sources=_sorted_sources(e["sources"])))
        roles.sort(key=lambda r: (not r.head, -len({s.doc for s in r.sources}), r.person.label, r.organization.label))
        return roles

    def leaders(self, org: str | EntityRef) -> Results[Role]:
        """Who heads an organization, with title and dates, best-supported first.

        >>> [(r.person.label, r.title) for r in KnowledgeGraph.example().leaders("Meta")]
        [('Mark Zuckerberg', 'CEO')]
        """
        return Results([r for r in self._roles(org=self._iri(org)) if r.head])

    def roles(self, person: str | EntityRef) -> Results[Role]:
        """Every position a person holds (heads first), with organization, title and dates.

        >>> [(r.organization.label, r.title, r.head) for r in KnowledgeGraph.example().roles("Alexandr Wang")]
        [('Meta Superintelligence Labs', 'head', True), ('Scale AI', 'CEO', True)]
        """
        return Results(self._roles(person=self._iri(person)))

    def _about(self, iri: str) -> list[tuple[tuple[str, str, str | None], Source]]:
        """Every statement whose subject or object is `iri`: ((subject, relation, object or None), source)."""
        node = URIRef(iri)
        found = []
        for row in self._select(_SUBJECT_SOURCES, entity=node):
            found.append(((iri, str(row["rel"]), None), self._idx.source(row)))
        for row in self._select(_OBJECT_SOURCES, entity=node):
            if str(row["s"]) != iri:  # a statement about the entity and itself is already there
                found.append(((str(row["s"]), str(row["rel"]), iri), self._idx.source(row)))
        return found

    def sites(self, operator: str | EntityRef | None = None, place: str | EntityRef | None = None, *,
              min_gigawatts: float | None = None) -> Results[Site]:
        """Sites, optionally of one operator and/or in one place, at least `min_gigawatts` large.

        `gigawatts` is the largest capacity any source gives (`conflicts()` shows disagreements).

        >>> [(s.site.label, s.gigawatts, [p.label for p in s.places]) for s in KnowledgeGraph.example().sites("Meta")]
        [('Hyperion', 5.0, ['Louisiana'])]
        """
        chosen: set[str] | None = None
        if operator is not None:
            chosen = {str(r["site"]) for r in self._select(_SITES["operator"], operator=self._iri(operator))}
        if place is not None:
            in_place = {str(r["site"]) for r in self._select(_SITES["place"], place=self._iri(place))}
            chosen = in_place if chosen is None else chosen & in_place
        if chosen is None:
            chosen = {str(r["site"]) for r in self._select(_SITES["none"])}
        found = {site: {"ops": set(), "places": set(), "gw": None, "cdate": None, "sources": []} for site in chosen}
        # a few sites: one anchored query each; many: one pass over the (small) relation
        few = len(chosen) <= 64
        per_site = [{"site": URIRef(s)} for s in chosen] if few else [{}]
        for bindings in per_site:
            dates = {(str(r["site"]), str(r["g"])): str(r["cdate"]) for r in self._select(_SITE_CAPACITY_DATE, **bindings)}
            for row in self._select(_SITE_CAPACITY, **bindings):
                e = found.get(str(row["site"]))
                gw = number(row["gw"])
                if e is not None and gw is not None and (e["gw"] is None or gw > e["gw"]):
                    e["gw"], e["cdate"] = gw, dates.get((str(row["site"]), str(row["g"])))
            for row in self._select(_SITE_OPERATORS, **bindings):
                if str(row["site"]) in found:
                    found[str(row["site"])]["ops"].add(str(row["op"]))
            for row in self._select(_SITE_PLACES, **bindings):
                if str(row["site"]) in found:
                    found[str(row["site"])]["places"].add(str(row["pl"]))
        if min_gigawatts is not None:
            found = {s: e for s, e in found.items() if e["gw"] is not None and e["gw"] >= min_gigawatts}
        for site, e in found.items():
            e["sources"] = [source for _, source in self._about(site)]
        idx = self._idx
        results = [
            Site(site=idx.ref(site), operators=tuple(sorted((idx.ref(o) for o in e["ops"]), key=lambda r: r.label)),
                 places=tuple(sorted((idx.ref(p) for p in e["places"]), key=lambda r: r.label)),
                 gigawatts=e["gw"], capacity_date=e["cdate"], sources=_sorted_sources(e["sources"]))
            for site, e in found.items()
        ]
        results.sort(key=lambda s: (-(s.gigawatts or 0), s.site.label))
        return Results(results)

    def events(self, entity: str | EntityRef, kinds: Iterable[str] | str | None = None, *,
               since: str | _date | None = None, until: str | _date | None = None) -> Results[Event]:
        """The events an entity takes part in, in date order (undated last): a timeline.

        `kinds` keeps only some event classes (`EVENT_KINDS`, any case); `since`/`until`
        keep events whose date or period overlaps the range.

        >>> [(e.kind, e.date or e.period) for e in KnowledgeGraph.example().events("Meta")]
        [('CapexGuidance', '2025'), ('Investment', '2025-06'), ('AssetSale', None), ('Hiring', None)]
        >>> [e.kind for e in KnowledgeGraph.example().events("Scale AI", kinds="FundingRound")]
        ['FundingRound']
        """
        wanted = None
        if kinds is not None:
            known = {k.lower(): k for k in EVENT_KINDS}
            names = [kinds] if isinstance(kinds, str) else list(kinds)
            unknown = [k for k in names if str(k).lower() not in known]
            if unknown:
                raise KGError(f"unknown event kind {unknown[0]!r}; choose from {', '.join(EVENT_KINDS)}")
            wanted = {known[str(k).lower()] for k in names}
        iri = self._iri(entity)
        found: dict[str, dict] = {}
        classes: dict[str, set[str]] = defaultdict(set)
        for row in self._select(_EVENT_CLASSES, entity=iri):
            classes[str(row["node"])].add(local_name(row["class"]))
        for node, kinds_of_node in classes.items():
            if "Event" in kinds_of_node:  # roles have an organization too
                found[node] = {"kinds": kinds_of_node - {"Event"} or {"Event"}, "dates": Counter(),
                               "periods": Counter(), "figures": set(), "asset": None, "parts": set(), "sources": []}
        if wanted is not None:
            found = {n: e for n, e in found.items() if e["kinds"] & wanted}
        if not found:
            return Results([])
        docs = self._idx.articles

        def rows(query: str):
            for row in self._select(query, entity=iri):
                if str(row["node"]) in found:
                    yield found[str(row["node"])], row

        for e, row in rows(_EVENT_DATES):
            e["dates"][str(row["date"])] += 1
        for e, row in rows(_EVENT_PERIODS):
            e["periods"][str(row["period"])] += 1
        for e, row in rows(_EVENT_FIGURES):
            name = local_name(row["figure"])
            if name in _FIGURES and number(row["value"]) is not None:
                doc = docs.get(str(row["g"]), {}).get("doc") or str(row["g"])
                e["figures"].add((name, number(row["value"]), _text(row["currency"]), doc))
        for e, row in rows(_EVENT_ASSETS):
            e["asset"] = min(e["asset"] or str(row["asset"]), str(row["asset"]))
        for e, row in rows(_EVENT_PARTICIPANTS):
            e["parts"].add((local_name(row["role"]), str(row["other"])))
        for e, row in rows(_EVENT_SOURCES):
            e["sources"].append(self._idx.source(row))
        results = []
        for node, e in found.items():
            when = max(e["dates"].items(), key=lambda kv: (kv[1], kv[0]))[0] if e["dates"] else None
            period = max(e["periods"].items(), key=lambda kv: (kv[1], kv[0]))[0] if e["periods"] else None
            if not within(when or period, since, until):
                continue
            results.append(Event(
                event=node, kind=sorted(e["kinds"])[0], date=when, period=period,
                participants=tuple(sorted((Participant(role=r, entity=self._idx.ref(o)) for r, o in e["parts"]),
                                          key=lambda p: (p.role, p.entity.label))),
                figures=tuple(sorted((Figure(name=n, value=v, currency=c, doc=d) for n, v, c, d in e["figures"]),
                                     key=lambda f: (f.name, f.doc, f.value))),
                asset=e["asset"], sources=_sorted_sources(e["sources"])))

        def order(event: Event):
            bounds = date_bounds(event.date or event.period)
            return (bounds is None, bounds or ("", ""), event.kind, event.event)

        results.sort(key=order)
        return Results(results)

    def _relations_filter(self, relations: Iterable[str] | str | None) -> set[str] | None:
        if relations is None:
            return None
        names = [relations] if isinstance(relations, str) else list(relations)
        unknown = [r for r in names if r not in ENTITY_PREDICATES]
        if unknown:
            raise KGError(f"unknown relation {unknown[0]!r}; choose from {', '.join(ENTITY_PREDICATES)}")
        return set(names)

    def neighbors(self, entity: str | EntityRef, hops: int = 1, *,
                  relations: Iterable[str] | str | None = None, with_sources: bool = True) -> Results[Relation]:
        """The direct relations around an entity, up to `hops` relations away, with sources.

        Returns every relation with an end at most `hops - 1` relations from the entity
        (`hop` says how far out the relation is), nearest first. `relations` keeps only
        some relation names (and follows only them). Two hops around a hub can be tens of
        thousands of relations; `with_sources=False` leaves their sources out (empty tuples),
        which is many times faster.

        >>> kg = KnowledgeGraph.example()
        >>> [str(r) for r in kg.neighbors("Hyperion")]
        ['Hyperion locatedIn Louisiana', 'Meta operates Hyperion']
        >>> len(kg.neighbors("Hyperion", hops=2)) > 2
        True
        >>> kg.neighbors("Hyperion", with_sources=False)[0].sources
        ()
        """
        if not isinstance(hops, int) or hops < 1 or hops > 4:
            raise KGError(f"hops must be 1 to 4, got {hops!r}")
        allowed = self._relations_filter(relations)
        start = str(self._iri(entity))
        adjacency = self._idx.adjacency
        # breadth-first over the cached adjacency: which relations, how far out
        distance = {start: 0}
        edges: dict[tuple[str, str, str], int] = {}
        frontier = [start]
        for hop in range(1, hops + 1):
            nxt = []
            for node in frontier:
                for edge in adjacency.get(node, ()):
                    if allowed is not None and edge[1] not in allowed:
                        continue
                    edges.setdefault(edge, hop)
                    other = edge[2] if edge[0] == node else edge[0]
                    if other not in distance:
                        distance[other] = hop
                        nxt.append(other)
            frontier = nxt
        # the sources: each relation's statements, read from its subject when the subject is
        # inside the neighborhood (one query per inner node), else from its object
        inner = {node for node, d in distance.items() if d < hops} if with_sources else set()
        sources: dict[tuple[str, str, str], list[Source]] = defaultdict(list)
        for node in sorted(inner):
            for row in self._select(_SUBJECT_RELATIONS, entity=URIRef(node)):
                key = (node, local_name(row["p"]), str(row["o"]))
                if key in edges:
                    sources[key].append(self._idx.source(row))
        for node in sorted({e[2] for e in edges if e[0] not in inner} if with_sources else ()):
            for row in self._select(_OBJECT_SOURCES, entity=URIRef(node)):
                key = (str(row["s"]), local_name(row["p"]), node)
                if key in edges and key[0] not in inner:
                    sources[key].append(self._idx.source(row))
        idx = self._idx
        results = [Relation(subject=idx.ref(s), relation=r, object=idx.ref(o), hop=hop,
                            sources=_sorted_sources(sources.get((s, r, o), ())))
                   for (s, r, o), hop in edges.items()]
        results.sort(key=lambda r: (r.hop, r.subject.label, r.relation, r.object.label))
        return Results(results)

    def _edge_sources(self, edge: tuple[str, str, str]) -> tuple[Source, ...]:
        s, relation, o = edge
        adjacency = self._idx.adjacency
        anchor = "s" if len(adjacency.get(s, ())) <= len(adjacency.get(o, ())) else "o"
        rows = self._select(_EDGE_SOURCES[anchor], s=URIRef(s), p=URIRef(AIKG_IRI + relation), o=URIRef(o))
        return _sorted_sources(self._idx.source(row) for row in rows)

    def paths(self, a: str | EntityRef, b: str | EntityRef, *, max_hops: int = 3, limit: int = 25,
              relations: Iterable[str] | str | None = None) -> Results[Connection]:
        """How two entities connect: simple chains of direct relations, shortest first.

        Relations are followed in either direction (each keeps the direction its source
        stated). At most `limit` paths of at most `max_hops` relations are returned.

        >>> for p in KnowledgeGraph.example().paths("Alexandr Wang", "Meta"):
        ...     print(p)
        Alexandr Wang <-hired- Meta
        Alexandr Wang -heads-> Meta Superintelligence Labs -subsidiaryOf-> Meta
        Alexandr Wang -heads-> Scale AI <-investedIn- Meta
        """
        if not isinstance(max_hops, int) or max_hops < 1 or max_hops > 6:
            raise KGError(f"max_hops must be 1 to 6, got {max_hops!r}")
        allowed = self._relations_filter(relations)
        start, goal = str(self._iri(a)), str(self._iri(b))
        adjacency = self._idx.adjacency

        def steps(node: str):
            for edge in adjacency.get(node, ()):
                if allowed is None or edge[1] in allowed:
                    yield edge, (edge[2] if edge[0] == node else edge[0])

        # distance of every node to `goal` (up to max_hops - 1), to prune the search from `start`
        to_goal = {goal: 0}
        frontier = [goal]
        for depth in range(1, max_hops):
            nxt = []
            for node in frontier:
                for _, other in steps(node):
                    if other not in to_goal:
                        to_goal[other] = depth
                        nxt.append(other)
            frontier = nxt
        # the relations into `goal`, by the node at their other end
        into_goal: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for edge, other in steps(goal):
            into_goal[other].append(edge)
        # paths of length 1, then 2, ...: depth-first, never past a node too far from `goal`,
        # and stop at `limit` (two hubs can have millions of 3-relation paths between them)
        found: list[tuple[list[str], list[tuple[str, str, str]]]] = []
        for length in range(1, max_hops + 1):
            if start == goal:
                break
            stack = [(start, [start], [])]
            while stack and len(found) < limit:
                node, nodes, used = stack.pop()
                if len(used) == length - 1:
                    found.extend((nodes + [goal], used + [edge]) for edge in into_goal.get(node, ()))
                    continue
                for edge, other in steps(node):
                    if other not in nodes and other != goal and to_goal.get(other, max_hops + 1) <= length - len(used) - 1:
                        stack.append((other, nodes + [other], used + [edge]))
            if len(found) >= limit:
                break
        idx = self._idx
        found.sort(key=lambda p: (len(p[1]), [idx.ref(n).label for n in p[0]], [e[1] for e in p[1]]))
        results = []
        cache: dict[tuple[str, str, str], tuple[Source, ...]] = {}
        for nodes, used in found[:limit]:
            relations_on_path = []
            for hop, edge in enumerate(used, 1):
                if edge not in cache:
                    cache[edge] = self._edge_sources(edge)
                relations_on_path.append(Relation(subject=idx.ref(edge[0]), relation=edge[1],
                                                  object=idx.ref(edge[2]), hop=hop, sources=cache[edge]))
            results.append(Connection(nodes=tuple(idx.ref(n) for n in nodes), relations=tuple(relations_on_path)))
        return Results(results)

    def sources(self, entity_or_fact) -> Results[Source]:
        """The evidence behind an entity (every statement about it) or behind a result record.

        Accepts a name, an `EntityRef`, a record any helper returned (its sources, or for a
        `Connection` the sources of each relation), or the IRI of an event or role node.

        >>> kg = KnowledgeGraph.example()
        >>> sorted({s.relation for s in kg.sources("Hyperion")})
        ['capacity', 'locatedIn', 'operates']
        >>> kg.sources(kg.leaders("Meta")[0])[0].sentence
        'CEO Mark Zuckerberg plans AI superclusters.'
        """
        if isinstance(entity_or_fact, Connection):
            return Results(_sorted_sources(s for r in entity_or_fact.relations for s in r.sources))
        if isinstance(entity_or_fact, _Result) and "sources" in type(entity_or_fact).model_fields:
            return Results(entity_or_fact.sources)
        if isinstance(entity_or_fact, Conflict):
            return Results(_sorted_sources(s for c in entity_or_fact.claims for s in c.sources))
        if isinstance(entity_or_fact, str) and entity_or_fact.startswith(AIKG_IRI + "id/") \
                and str(entity_or_fact) not in self._idx.refs:
            node = self._node(str(entity_or_fact))
            if node is not None:
                rows = self._select(_NODE_SOURCES, node=node)
                return Results(_sorted_sources(self._idx.source(r) for r in rows))
        iri = self.entity(entity_or_fact).iri
        return Results(_sorted_sources(source for _, source in self._about(iri)))

    def _node(self, iri: str) -> URIRef | None:
        """`iri` as a node of the store (an event, a role, a statement), or None."""
        try:
            ox.NamedNode(iri)  # a string that is not a valid IRI is no node
        except ValueError:
            return None
        node = URIRef(iri)
        return node if self._select(_NODE_CLASS + " LIMIT 1", node=node) else None

    def conflicts(self) -> Results[Conflict]:
        """Figures that sources disagree on (one event or site, different values), each claim with its sources.

        >>> KnowledgeGraph.example().conflicts()
        ()
        """
        # (node, figure, currency) -> value -> the graphs (documents) that give it
        values: dict[tuple[str, str, str | None], dict[float, set[str]]] = defaultdict(lambda: defaultdict(set))
        for row in self._select(_FIGURE_VALUES):
            figure, value = local_name(row["p"]), number(row["value"])
            if figure in _FIGURES and value is not None:
                values[(str(row["node"]), figure, _text(row["currency"]))][value].add(str(row["g"]))
        for row in self._select(_CAPACITY_VALUES):
            value = number(row["value"])
            if value is not None:
                values[(str(row["node"]), "capacityGW", None)][value].add(str(row["g"]))
        results = []
        for (node, claim, currency), by_value in values.items():
            if len(by_value) < 2:
                continue
            by_graph: dict[str, list[Source]] = defaultdict(list)
            for row in self._select(_NODE_SOURCES, node=URIRef(node)):
                if claim != "capacityGW" or str(row["rel"]) == "capacity":
                    by_graph[str(row["g"])].append(self._idx.source(row))
            about, kind = self._describe(node)
            claims = []
            for value, graphs in sorted(by_value.items()):
                sources = []
                for g in graphs:
                    said = by_graph[g]
                    if sum(g in gs for gs in by_value.values()) > 1:
                        # the document gives several values: each keeps the sentences that write it
                        said = [s for s in said if mentions(s.sentence, value)] or said
                    sources += said
                claims.append(Claim(value=value, currency=currency, sources=_sorted_sources(sources)))
            results.append(Conflict(about=about, node=node, kind=kind, claim=claim, claims=tuple(claims)))
        results.sort(key=lambda c: (c.about, c.kind, c.claim))
        return Results(results)

    def _describe(self, node: str) -> tuple[str, str]:
        if node in self._idx.refs:
            ref = self._idx.refs[node]
            return ref.label, ref.type or "Entity"
        classes = {local_name(r["class"]) for r in self._select(_NODE_CLASS, node=URIRef(node))}
        kind = sorted(classes - {"Event", "Organization"} or classes or {"Event"})[0]
        parties = sorted(self._idx.ref(r["party"]).label for r in self._select(_NODE_PARTY, node=URIRef(node)))
        return (parties[0] if parties else node), kind

    def sparql(self, query: str, **bindings) -> Results[dict] | bool | Graph:
        """Run a SPARQL query with values bound to its variables (never pasted into the text).

        SELECT gives `Results` of rows (dicts of rdflib terms), ASK a bool, CONSTRUCT an
        rdflib Graph. Prefixes aikg, rdfs, skos, prov, ... are predeclared; updates are refused.
        A binding value may be a str (a plain literal), a number, an rdflib term or an
        `EntityRef` (its IRI); each variable must appear in the SELECT clause.

        >>> kg = KnowledgeGraph.example()
        >>> rows = kg.sparql("SELECT ?name ?e WHERE { ?e rdfs:label ?name }", name="Scale AI")
        >>> str(rows[0]["e"])
        'https://w3id.org/aikg/id/org/scale-ai'
        >>> kg.sparql("ASK { ?e aikg:investedIn ?x }", x=kg.entity("Scale AI"))
        True
        """
        values = {}
        for name, value in bindings.items():
            if not _VARIABLE.fullmatch(name):
                raise QueryError(f"{name!r} is not a SPARQL variable name")
            if isinstance(value, EntityRef):
                value = URIRef(value.iri)
            elif not isinstance(value, (str, int, float, bool, URIRef, Literal)):
                raise QueryError(f"cannot bind ?{name} to a {type(value).__name__}")
            values[name] = value
        try:
            result = self.store.query(query, bindings=values)
        except (RuntimeError, ValueError) as exc:  # pyoxigraph: a bound variable not in the projection
            raise QueryError(f"cannot bind the values: {exc}") from None
        if result.kind == "select":
            return Results(result.rows)
        if result.kind == "ask":
            return bool(result.boolean)
        return result.graph

    def to_networkx(self):
        """The entities and direct relations as a networkx MultiDiGraph (see `kg.network`).

        >>> g = KnowledgeGraph.example().to_networkx()
        >>> g.nodes["https://w3id.org/aikg/id/org/meta"]["label"]
        'Meta'
        """
        from kg.network import to_networkx

        return to_networkx(self.store)


__all__ = [
    "KnowledgeGraph", "Results", "EntityNotFound", "EntityRef", "Source", "Investment", "Role", "Site",
    "Event", "Figure", "Participant", "Relation", "Connection", "Conflict", "Claim", "EVENT_KINDS",
    "date_bounds", "within", "mentions",
]
