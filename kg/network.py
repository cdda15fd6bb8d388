"""The graph as a networkx `MultiDiGraph`: entities as nodes, direct relations as edges, with sources.

`to_networkx(store_or_kg)` reads the store with a few SPARQL queries and returns a
graph for centrality, communities, shortest paths or drawing. Events, roles, amounts
and statements are folded into the edges, so the picture stays readable.

Nodes are keyed by the entity IRI (a string) and carry:

- ``id``: the canonical entity id (``"meta"``);
- ``label``: the canonical name (``"Meta"``);
- ``type``: the most specific entity type (``"Company"``, ``"Person"``, ``"Site"``, ...);
- ``types``: every entity type any source gives it, sorted;
- ``aliases``: the other names it goes by, sorted;
- ``source_count``: how many documents mention it.

Edges run subject -> object, keyed by the relation name, and carry:

- ``relation``: the relation (``"investedIn"``, ``"heads"``, ``"subsidiaryOf"``, ...);
- ``amount``: the amount in ``currency`` the most sources give (ties: the larger), or None;
- ``currency``: ISO 4217 code of ``amount`` (``"USD"``), or None;
- ``date``: the event's date (or a role's start date) as the sources give it, or None;
- ``title``: a role's title (``"CEO"``) for ``heads`` and ``worksFor``, or None;
- ``sources``: a list of dicts ``{doc, title, publisher, date, url, sentence}``, one per
  evidence sentence, sorted by document then sentence;
- ``source_count``: the number of distinct documents among ``sources``.

Symmetric relations (``partneredWith``, ``competesWith``) keep the direction the source
wrote them in. Every value is a plain Python value (str, float, list, dict), so the graph
serializes to JSON (``networkx.node_link_data``) as it is.

>>> from kg.store import Store
>>> g = to_networkx(Store(None))
>>> g.number_of_nodes(), g.number_of_edges()
(0, 0)
"""
from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from kg.models import ENTITY_PREDICATES
from kg.rdf import SUMMARY_GRAPH
from kg.vocab import AIKG_IRI

TYPE_ORDER: tuple[str, ...] = (
    "Person", "Site", "Place", "Product", "Project", "ResearchLab", "Division", "Investor", "Company",
)
"""When sources type an entity differently, the first of these it has is its ``type``."""


_NODES = """
SELECT DISTINCT ?node ?id ?label WHERE { ?node aikg:entityId ?id ; rdfs:label ?label }
"""
_CLASSES = """
SELECT DISTINCT ?node ?class WHERE { ?node aikg:entityId ?id ; a ?class }
"""
_ALIASES = """
SELECT DISTINCT ?node ?alias WHERE { ?node aikg:entityId ?id ; skos:altLabel ?alias }
"""
_COUNTS = f"""
SELECT ?node ?count WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?node aikg:sourceCount ?count }} }}
"""
_EDGES = {p: f"SELECT ?s ?o WHERE {{ ?s aikg:{p} ?o }}" for p in ENTITY_PREDICATES}
# Whole-graph queries, each one basic graph pattern (Oxigraph evaluates OPTIONAL parts on
# their own, so attributes are separate queries joined here by (subject, relation, object)).
_STATEMENT = "?st rdf:predicate ?p ; rdf:subject ?s ; rdf:object ?o ."
_EVIDENCE = f"SELECT ?s ?p ?o ?g ?sentence WHERE {{ GRAPH ?g {{ {_STATEMENT} ?st aikg:evidence ?sentence }} }}"
# the node that cites a statement is the event or role behind the relation (or its subject)
_AMOUNTS = f"""
SELECT ?s ?p ?o ?g ?amount ?currency WHERE {{ GRAPH ?g {{
  {_STATEMENT} ?node aikg:attestedBy ?st ; aikg:amount ?money . ?money aikg:value ?amount ; aikg:currency ?currency
}} }}"""
_DATES = f"SELECT ?s ?p ?o ?g ?date WHERE {{ GRAPH ?g {{ {_STATEMENT} ?node aikg:attestedBy ?st ; aikg:date ?date }} }}"
_START_DATES = f"""
SELECT ?s ?p ?o ?g ?date WHERE {{ GRAPH ?g {{ {_STATEMENT} ?node aikg:attestedBy ?st ; aikg:startDate ?date }} }}"""
_TITLES = f"SELECT ?s ?p ?o ?g ?title WHERE {{ GRAPH ?g {{ {_STATEMENT} ?node aikg:attestedBy ?st ; aikg:title ?title }} }}"
# Value facts (a sale, a capex guidance, a funding round, a financial report) live on event
# nodes; `to_networkx(..., value_events=True)` shows them as nodes linked to their subject.
_VALUE_RELATIONS = ("assetSale", "capex", "revenue", "netIncome", "valuation", "fundingRaised")
_VALUE_EVENTS = f"""
SELECT ?event ?class ?s ?relation ?g ?sentence WHERE {{ GRAPH ?g {{
  VALUES ?relation {{ {" ".join(f'"{r}"' for r in _VALUE_RELATIONS)} }}
  ?st aikg:relation ?relation ; rdf:subject ?s ; aikg:evidence ?sentence .
  ?event aikg:attestedBy ?st ; a ?class .
  FILTER(?class != aikg:Event)
}} }}"""
_EVENT_MONEY = {
    prop: f"SELECT ?event ?value ?currency WHERE {{ ?event aikg:{prop} ?m . ?m aikg:value ?value ; aikg:currency ?currency }}"
    for prop in ("amount", "minAmount", "maxAmount", "revenue", "netIncome", "valuation")
}
_EVENT_WHEN = """
SELECT ?event ?when WHERE { { ?event aikg:date ?when } UNION { ?event aikg:period/rdfs:label ?when } }"""
_ARTICLES = """
SELECT ?g ?file ?title ?publisher ?published ?url WHERE { GRAPH ?g {
  ?article aikg:fileName ?file .
  OPTIONAL { ?article dcterms:title ?title }
  OPTIONAL { ?article aikg:publisherName ?publisher }
  OPTIONAL { ?article aikg:published ?published }
  OPTIONAL { ?article schema:url ?url }
} }"""


def local_name(iri: object) -> str:
    """The part of an aikg IRI after the namespace (other IRIs are returned whole).

    >>> local_name("https://w3id.org/aikg/investedIn")
    'investedIn'
    >>> local_name("http://example.org/x")
    'http://example.org/x'
    """
    text = str(iri)
    return text[len(AIKG_IRI):] if text.startswith(AIKG_IRI) else text


def most_specific_type(types: set[str] | list[str] | tuple[str, ...]) -> str | None:
    """The type shown for an entity typed differently by different sources.

    >>> most_specific_type({"Company", "Organization", "Investor"})
    'Investor'
    >>> most_specific_type({"Organization"})
    'Organization'
    """
    for name in TYPE_ORDER:
        if name in types:
            return name
    return sorted(types)[0] if types else None


def source_dict(row: dict) -> dict:
    """A source (one evidence sentence and its article) as a plain dict, from a query row.

    The row holds rdflib terms (or None) under ``file``, ``title``, ``publisher``,
    ``published``, ``url`` and ``sentence``.

    >>> from rdflib import Literal
    >>> source_dict({"file": Literal("a.txt"), "sentence": Literal("Meta invested.")})
    {'doc': 'a.txt', 'title': None, 'publisher': None, 'date': None, 'url': None, 'sentence': 'Meta invested.'}
    """
    def text(name: str) -> str | None:
        value = row.get(name)
        return None if value is None else str(value)

    return {
        "doc": text("file"), "title": text("title"), "publisher": text("publisher"),
        "date": text("published"), "url": text("url"), "sentence": text("sentence"),
    }


def number(term) -> float | None:
    """A literal's number, or None when it has none."""
    if term is None:
        return None
    try:
        return float(str(term))
    except ValueError:
        return None


def select_values(store, sparql: str, bindings=None) -> list[dict[str, str | None]]:
    """Rows of a SELECT query on a `kg.store.Store`, each value as a plain string (IRI or lexical form).

    The API's own queries read many rows; rdflib terms for each would cost more than the
    query, so this reads pyoxigraph's solutions directly, through the store's checks.

    >>> from kg.store import Store
    >>> select_values(Store(None), "SELECT ?x WHERE { VALUES ?x { 1 'a' } }")
    [{'x': '1'}, {'x': 'a'}]
    """
    solutions = store._query(sparql, bindings, False)  # noqa: SLF001
    names = [v.value for v in solutions.variables]
    return [{name: (None if (term := solution[name]) is None else term.value) for name in names}
            for solution in solutions]


def _store_of(store_or_kg):
    # a KnowledgeGraph holds its store as `.store`; anything with `select` is a store
    return getattr(store_or_kg, "store", store_or_kg)


def read_entities(store) -> dict[str, dict]:
    """Every entity of a store by IRI: ``id``, ``label``, ``type``, ``types``, ``aliases`` and
    ``source_count``, as the nodes of `to_networkx` carry them (also what `kg.graph` indexes)."""
    labels: dict[str, str] = {}
    ids: dict[str, str] = {}
    for row in select_values(store, _NODES):
        node = str(row["node"])
        label = str(row["label"])
        # one label per entity; if sources disagree, the smallest is kept (deterministic)
        if node not in labels or label < labels[node]:
            labels[node] = label
        ids.setdefault(node, str(row["id"]))
    types: dict[str, set[str]] = defaultdict(set)
    for row in select_values(store, _CLASSES):
        types[str(row["node"])].add(local_name(row["class"]))
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in select_values(store, _ALIASES):
        aliases[str(row["node"])].add(str(row["alias"]))
    counts = {str(r["node"]): int(r["count"]) for r in select_values(store, _COUNTS)}
    entities = {}
    for node, label in labels.items():
        kinds = types.get(node, set()) - {"Organization"} or types.get(node, set())
        entities[node] = {"id": ids[node], "label": label, "type": most_specific_type(kinds),
                          "types": sorted(kinds), "aliases": sorted(aliases.get(node, set()) - {label}),
                          "source_count": counts.get(node, 0)}
    return entities


def to_networkx(store_or_kg, *, value_events: bool = False) -> nx.MultiDiGraph:
    """The entities and direct relations of a store (or a `KnowledgeGraph`) as a MultiDiGraph.

    Node and edge attributes are listed in the module docstring. Every direct relation
    triple of the store is one edge; every entity with an ``aikg:entityId`` is one node.
    With `value_events`, each asset sale, capex guidance, funding round and financial report
    is also a node (``type`` its event class, ``amount`` a number or ``{min, max}``,
    ``currency``, ``date``, ``sources``) with an edge from its subject named after the fact
    (``assetSale``, ``capex`` ...), so the page can show the figures.

    >>> from kg.store import Store
    >>> from kg.rdf import to_graph
    >>> from kg.example import example_extraction
    >>> store = Store(None)
    >>> store.write_document(to_graph(example_extraction()))
    >>> g = to_networkx(store)
    >>> meta = "https://w3id.org/aikg/id/org/meta"
    >>> g.nodes[meta]["label"], g.nodes[meta]["type"], g.nodes[meta]["aliases"]
    ('Meta', 'Company', ['Meta Platforms'])
    >>> edge = g.edges[meta, "https://w3id.org/aikg/id/org/scale-ai", "investedIn"]
    >>> edge["amount"], edge["currency"], edge["date"], edge["sources"][0]["doc"]
    (14300000000.0, 'USD', '2025-06', 'example.txt')
    """
    store = _store_of(store_or_kg)
    graph = nx.MultiDiGraph()
    for node, attributes in read_entities(store).items():
        graph.add_node(node, **attributes)

    articles = {str(r["g"]): r for r in select_values(store, _ARTICLES)}
    evidence: dict[tuple[str, str, str], dict] = defaultdict(
        lambda: {"sources": {}, "amounts": Counter(), "dates": Counter(), "titles": Counter()})

    def key(row) -> tuple[str, str, str]:
        return str(row["s"]), local_name(row["p"]), str(row["o"])

    for row in select_values(store, _EVIDENCE):
        source = source_dict({**articles.get(str(row["g"]), {"file": row["g"]}), "sentence": row["sentence"]})
        evidence[key(row)]["sources"][(source["doc"], source["sentence"])] = source
    for row in select_values(store, _AMOUNTS):
        amount = number(row["amount"])
        if amount is not None:
            evidence[key(row)]["amounts"][(amount, str(row["currency"]))] += 1
    for query in (_DATES, _START_DATES):
        for row in select_values(store, query):
            evidence[key(row)]["dates"][str(row["date"])] += 1
    for row in select_values(store, _TITLES):
        evidence[key(row)]["titles"][str(row["title"])] += 1

    edges = [(row["s"], relation, row["o"]) for relation, query in _EDGES.items() for row in select_values(store, query)]
    for s, relation, o in edges:
        for end in (s, o):
            if end not in graph:  # an end without an entity id (should not happen): keep it visible
                graph.add_node(end, id=None, label=end, type=None, types=[], aliases=[], source_count=0)
        found = evidence.get((s, relation, o))
        sources = sorted(found["sources"].values(), key=lambda x: (x["doc"] or "", x["sentence"] or "")) if found else []
        amount = currency = date = title = None
        if found and found["amounts"]:
            (amount, currency), _ = max(found["amounts"].items(), key=lambda kv: (kv[1], kv[0][0]))
        if found and found["dates"]:
            date = max(found["dates"].items(), key=lambda kv: (kv[1], kv[0]))[0]
        if found and found["titles"]:
            title = max(found["titles"].items(), key=lambda kv: (kv[1], kv[0]))[0]
        graph.add_edge(
            s, o, key=relation, relation=relation, amount=amount, currency=currency, date=date,
            title=title, sources=sources, source_count=len({x["doc"] for x in sources}),
        )
    if value_events:
        _add_value_events(store, graph, articles)
    return graph


def _add_value_events(store, graph: nx.MultiDiGraph, articles: dict) -> None:
    """Add the event nodes of value facts, and an edge from each fact's subject to its event."""
    found: dict[str, dict] = {}
    for row in select_values(store, _VALUE_EVENTS):
        event = str(row["event"])
        item = found.setdefault(event, {"class": local_name(row["class"]), "links": defaultdict(dict)})
        source = source_dict({**articles.get(str(row["g"]), {"file": row["g"]}), "sentence": row["sentence"]})
        item["links"][(str(row["s"]), str(row["relation"]))][(source["doc"], source["sentence"])] = source
    if not found:
        return
    money: dict[str, dict] = defaultdict(dict)
    for prop, query in _EVENT_MONEY.items():
        for row in select_values(store, query):
            if str(row["event"]) in found and number(row["value"]) is not None:
                money[str(row["event"])][prop] = (number(row["value"]), str(row["currency"]))
    when: dict[str, str] = {}
    for row in select_values(store, _EVENT_WHEN):
        if str(row["event"]) in found:
            when.setdefault(str(row["event"]), str(row["when"]))
    for event, item in sorted(found.items()):
        figures = money.get(event, {})
        amount = currency = None
        if "minAmount" in figures and "maxAmount" in figures:
            (low, currency), (high, _) = figures["minAmount"], figures["maxAmount"]
            amount = {"min": low, "max": high, "currency": currency}
        else:
            for prop in ("amount", "revenue", "netIncome", "valuation"):
                if prop in figures:
                    amount, currency = figures[prop]
                    break
        subjects = sorted({s for s, _ in item["links"]})
        label = graph.nodes[subjects[0]]["label"] if subjects and subjects[0] in graph else item["class"]
        sources = sorted({k: v for link in item["links"].values() for k, v in link.items()}.values(),
                         key=lambda x: (x["doc"] or "", x["sentence"] or ""))
        graph.add_node(event, id=None, label=f"{label} {item['class']}", type=item["class"], types=[item["class"]],
                       aliases=[], source_count=len({x["doc"] for x in sources}), amount=amount,
                       currency=currency, date=when.get(event), sources=sources)
        for (subject, relation), link in sorted(item["links"].items()):
            if subject not in graph:
                continue
            edge_sources = sorted(link.values(), key=lambda x: (x["doc"] or "", x["sentence"] or ""))
            graph.add_edge(subject, event, key=relation, relation=relation, amount=None, currency=None,
                           date=when.get(event), title=None, sources=edge_sources,
                           source_count=len({x["doc"] for x in edge_sources}))


__all__ = ["to_networkx", "read_entities", "source_dict", "select_values", "local_name", "most_specific_type", "TYPE_ORDER"]
