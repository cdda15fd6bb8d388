"""The graph store: Oxigraph on disk, one named graph per document, typed SPARQL results.

Writes go through pyoxigraph, one SPARQL update per document. An update is one
transaction (pyoxigraph's `Store.update`: "either the full operation succeeds, or nothing
is written"), so replacing a document's named graph, and recounting the sources of every
entity it mentions, happens all at once: a build killed at any point leaves each document
either fully old or fully new. (`Store.bulk_extend` and `bulk_load` are not transactional
and are never used here.)

Reads return plain Python values (`select -> list[dict]`, `ask -> bool`,
`construct -> rdflib.Graph`); values reach a query through pyoxigraph `substitutions`
(SEP-0007), never through string formatting. rdflib stays the user-facing RDF API:
`to_rdflib()` gives an `rdflib.Dataset`, and exports are serialized by rdflib.
"""
from __future__ import annotations

import os
import re
import uuid
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import QueryError, StoreError
from kg.rdf import DOCUMENT_GRAPH, PREFIXES, SUMMARY_GRAPH, document_graph_iri, document_name

DEFAULT_PATH = Path("store")
ENV_VAR = "AIKG_STORE"
_SCRATCH = "https://w3id.org/aikg/graph/scratch/"
_OLD_NODES = _SCRATCH + "old-nodes"
_NEW_NODES = _SCRATCH + "new-nodes"
_OLD_GRAPH = _SCRATCH + "old"
_PREFIX_HEADER = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))

# Every write is one SPARQL update (one transaction) made of these steps, in order.
# Scratch graphs exist only inside the transaction.
#
# 1. _COLLECT the entities, events and roles the old version mentions (old-nodes);
# 2. _SAVE_OLD: copy the old version aside, then write the new one;
# 3. _MERGE_NEW / _UNMERGE_OLD: keep the default graph equal to the set union of the
#    document graphs and the summary graph: add the new triples, and drop the old ones
#    that no other graph still states. (Oxigraph's own union default graph repeats a
#    triple once per graph that holds it, so joins on an entity named in many articles
#    grow with the square of their number; a materialized union does not.)
# 4. _COLLECT what the new version mentions (new-nodes) and _COUNT: a source count goes up
#    by one for a node only the new version mentions and down by one for a node only the
#    old version mentioned (the count disappears at zero). Counting incrementally keeps a
#    write's cost independent of how many other articles mention the same entity.
_NODES = "{{ ?n aikg:entityId ?id }} UNION {{ ?n a aikg:Event }} UNION {{ ?n a aikg:Role }}"
_COLLECT = "INSERT {{ GRAPH <{nodes}> {{ ?n aikg:sourceCount 0 }} }} WHERE {{ GRAPH {g} {{ " + _NODES + " }} }}"
_SAVE_OLD = f"ADD SILENT {{g}} TO <{_OLD_GRAPH}> ;\nDROP SILENT GRAPH {{g}}"
_MERGE_NEW = "ADD SILENT {g} TO DEFAULT"
_UNMERGE_OLD = f"""DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{_OLD_GRAPH}> {{ ?s ?p ?o }}
  FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{_OLD_GRAPH}>) }} }}"""
_COUNT = f"""
DELETE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?n aikg:sourceCount ?c }} ?n aikg:sourceCount ?c }}
INSERT {{ GRAPH <{SUMMARY_GRAPH}> {{ ?n aikg:sourceCount ?up }} ?n aikg:sourceCount ?up }}
WHERE {{
  GRAPH <{_NEW_NODES}> {{ ?n aikg:sourceCount 0 }}
  FILTER NOT EXISTS {{ GRAPH <{_OLD_NODES}> {{ ?n aikg:sourceCount 0 }} }}
  OPTIONAL {{ GRAPH <{SUMMARY_GRAPH}> {{ ?n aikg:sourceCount ?c }} }}
  BIND(COALESCE(?c, 0) + 1 AS ?up)
}} ;
DELETE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?n aikg:sourceCount ?c }} ?n aikg:sourceCount ?c }}
INSERT {{ GRAPH <{SUMMARY_GRAPH}> {{ ?n aikg:sourceCount ?down }} ?n aikg:sourceCount ?down }}
WHERE {{
  GRAPH <{_OLD_NODES}> {{ ?n aikg:sourceCount 0 }}
  FILTER NOT EXISTS {{ GRAPH <{_NEW_NODES}> {{ ?n aikg:sourceCount 0 }} }}
  GRAPH <{SUMMARY_GRAPH}> {{ ?n aikg:sourceCount ?c }}
  BIND(IF(?c > 1, ?c - 1, ?unbound) AS ?down)
}} ;
DROP SILENT GRAPH <{_OLD_NODES}> ;
DROP SILENT GRAPH <{_NEW_NODES}> ;
DROP SILENT GRAPH <{_OLD_GRAPH}>
"""
_UPDATE_KEYWORDS = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)
_PROLOGUE = re.compile(r"^\s*(?:(?:#[^\n]*\n)|(?:PREFIX\s+[^\s:]*:\s*<[^>]*>)|(?:BASE\s*<[^>]*>)|\s+)*", re.IGNORECASE)
_SYNTAX_POSITION = re.compile(r"error at (\d+):(\d+)")


def default_path() -> Path:
    """Where the store lives: $AIKG_STORE, else ./store."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_PATH)


def is_update(sparql: str) -> bool:
    """True when the text is a SPARQL update (INSERT, DELETE, LOAD, DROP, ...) rather than a query.

    >>> is_update("PREFIX ex: <http://ex/> # c\\nINSERT DATA { ex:a ex:b ex:c }")
    True
    >>> is_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    prologue = _PROLOGUE.match(sparql)
    rest = sparql[prologue.end():] if prologue else sparql
    return bool(_UPDATE_KEYWORDS.match(rest))


def _syntax_error(exc: SyntaxError) -> QueryError:
    message = str(exc)
    found = _SYNTAX_POSITION.search(message)
    if found:
        detail = message[found.end():].lstrip(": ").strip()
        return QueryError(f"malformed SPARQL at line {found.group(1)}, column {found.group(2)}: {detail}")
    return QueryError(f"malformed SPARQL: {message}")


def to_oxigraph(term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as the equivalent pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return term
    raise TypeError(f"not an RDF term: {term!r}")


def to_rdflib(term) -> URIRef | BNode | Literal | None:
    """A pyoxigraph term as the equivalent rdflib term (None stays None)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")


def _binding_term(value) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(value, (URIRef, BNode, Literal, ox.NamedNode, ox.BlankNode, ox.Literal)):
        return to_oxigraph(value)
    if isinstance(value, bool):
        return to_oxigraph(Literal(value))
    if isinstance(value, (int, float)):
        return to_oxigraph(Literal(value))
    return ox.Literal(str(value))


def _scratch(parts: list[str], *, data: str = "") -> str:
    """Join the steps of one update, giving its scratch graphs names of their own.

    Deleted keys leave tombstones in RocksDB until compaction; reusing one scratch graph
    name in every write would make each scan of it walk past the tombstones of all the
    writes before it. `data` (the INSERT DATA step, placed after the first two steps) is
    left untouched: it is the document's text, which may quote anything.
    """
    own = f"{_SCRATCH}{uuid.uuid4().hex}/"
    steps = [part.replace(_SCRATCH, own) for part in parts]
    if data:
        steps.insert(2, data)
    return ";\n".join(steps)


def write_update(graph: Graph) -> str:
    """The one SPARQL update that replaces a document's named graph with `graph` and recounts sources.

    `Store.write_document` runs it in one transaction; `kg.remote.RemoteStore` sends it as one request.
    """
    name = URIRef(str(graph.identifier))
    if document_name(name) is None:
        raise StoreError(f"{name}: not a document graph IRI (expected {DOCUMENT_GRAPH}...)")
    g = f"<{name}>"
    body = "\n".join(
        f"{to_oxigraph(s)} {to_oxigraph(p)} {to_oxigraph(o)} ." for s, p, o in graph
    )
    return _scratch([
        _PREFIX_HEADER + _COLLECT.format(nodes=_OLD_NODES, g=g),
        _SAVE_OLD.format(g=g),
        _MERGE_NEW.format(g=g),
        _UNMERGE_OLD,
        _COLLECT.format(nodes=_NEW_NODES, g=g),
        _COUNT,
    ], data=f"INSERT DATA {{ GRAPH {g} {{\n{body}\n}} }}")


def remove_update(name: str) -> str:
    """The one SPARQL update that removes what the document `name` stated and recounts sources."""
    g = f"<{document_graph_iri(name)}>"
    return _scratch([
        _PREFIX_HEADER + _COLLECT.format(nodes=_OLD_NODES, g=g),
        _SAVE_OLD.format(g=g),
        _UNMERGE_OLD,
        _COUNT,
    ])


@dataclass(frozen=True)
class QueryResult:
    """The result of any SPARQL query: rows for SELECT, a boolean for ASK, a graph for CONSTRUCT/DESCRIBE."""

    kind: str  # "select", "ask" or "construct"
    variables: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None


class TypedQueries:
    """`query`, `select`, `ask` and `construct` over a `_query(sparql, bindings, union)` that
    returns pyoxigraph results: shared by the embedded store and the remote one."""

    def query(self, sparql: str, *, bindings: Mapping[str, object] | None = None,
              union: bool = False) -> QueryResult:
        """Run any SPARQL query; the result says which form it was.

        The default graph is the merged graph (the set union of every document graph and the
        summary graph, kept up to date by every write), so a query without GRAPH sees
        everything once; `GRAPH ?g { ... }` still tells which document said what.
        `union=True` makes pyoxigraph use its own union of the named graphs instead (embedded
        store only). The prefixes of `PREFIXES` (aikg, prov, rdfs, schema, ...) are predeclared.
        """
        result = self._query(sparql, bindings, union)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [{name: to_rdflib(solution[name]) for name in variables} for solution in result]
            return QueryResult("select", variables=variables, rows=rows)
        graph = Graph()
        for prefix, iri in PREFIXES.items():
            graph.bind(prefix, iri)
        for triple in result:
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
        return QueryResult("construct", graph=graph)

    def select(self, sparql: str, *, bindings: Mapping[str, object] | None = None,
               union: bool = False) -> list[dict]:
        """Rows of a SELECT query, each a dict of variable name -> rdflib term (None when unbound)."""
        result = self.query(sparql, bindings=bindings, union=union)
        if result.kind != "select":
            raise QueryError(f"expected a SELECT query, got {result.kind.upper()}")
        return result.rows

    def ask(self, sparql: str, *, bindings: Mapping[str, object] | None = None, union: bool = False) -> bool:
        """The answer of an ASK query."""
        result = self.query(sparql, bindings=bindings, union=union)
        if result.kind != "ask":
            raise QueryError(f"expected an ASK query, got {result.kind.upper()}")
        return bool(result.boolean)

    def construct(self, sparql: str, *, bindings: Mapping[str, object] | None = None,
                  union: bool = False) -> Graph:
        """The graph a CONSTRUCT (or DESCRIBE) query builds."""
        result = self.query(sparql, bindings=bindings, union=union)
        if result.kind != "construct":
            raise QueryError(f"expected a CONSTRUCT query, got {result.kind.upper()}")
        return result.graph


class Store(TypedQueries):
    """An aikg graph store on disk (or in memory when `path` is None).

    >>> store = Store(None)
    >>> store.ask("ASK { ?s ?p ?o }")
    False
    """

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._store = self._open()

    def _open(self) -> ox.Store:
        path = self.path
        if path is None:
            return ox.Store()
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: is a file, not a store folder")
        looks_like_store = (path / "CURRENT").is_file()
        if path.is_dir() and any(path.iterdir()) and not looks_like_store:
            raise StoreError(
                f"{path}: not a store (the folder has other files); choose a new or empty folder with --store"
            )
        if self.read_only and not looks_like_store:
            raise StoreError(f"{path}: no store here yet; run `kg build` first")
        try:
            if not self.read_only:
                path.mkdir(parents=True, exist_ok=True)
            return ox.Store.read_only(str(path)) if self.read_only else ox.Store(str(path))
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreError(
                    f"{path}: the store is in use by another process (locked); wait for it to finish"
                ) from None
            raise StoreError(f"{path}: cannot open the store ({exc})") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release the store (and its lock on disk)."""
        if self._store is not None:
            if not self.read_only and self.path is not None:
                try:
                    self._store.flush()
                except OSError:
                    pass
            self._store = None

    def __len__(self) -> int:
        return len(self._store)

    # -- writing ---------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: opened read-only")

    def write_document(self, graph: Graph) -> None:
        """Replace a document's named graph with `graph` (its identifier names the graph), atomically.

        The sources of every entity, event and role mentioned by the old or the new version
        are recounted in the same transaction.
        """
        self._require_writable()
        self._update(write_update(graph))

    def remove_document(self, name: str) -> None:
        """Remove what the document `name` stated, and recount its entities' sources, atomically."""
        self._require_writable()
        self._update(remove_update(name))

    def _update(self, update: str) -> None:
        try:
            self._store.update(update)
        except SyntaxError as exc:  # a bug in the generated update, not user input
            raise StoreError(f"internal error writing the store: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write the store ({exc})") from None

    def update(self, sparql: str) -> None:
        """Run a user's SPARQL update (one transaction)."""
        self._require_writable()
        try:
            self._store.update(sparql, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise _syntax_error(exc) from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write the store ({exc})") from None

    def clear(self) -> None:
        """Remove everything."""
        self._require_writable()
        self._store.update("DROP ALL")

    def documents(self) -> dict[str, str | None]:
        """The documents in the store: name -> SHA-256 of the file they were read from."""
        found: dict[str, str | None] = {}
        for graph in self._store.named_graphs():
            name = document_name(graph.value) if isinstance(graph, ox.NamedNode) else None
            if name is not None:
                found[name] = None
        rows = self.select(
            "SELECT ?g ?sha WHERE { GRAPH ?g { ?a a aikg:Article ; aikg:sha256 ?sha } }",
            union=False,
        )
        for row in rows:
            name = document_name(row["g"])
            if name is not None:
                found[name] = str(row["sha"])
        return dict(sorted(found.items()))

    # -- reading ---------------------------------------------------------------------------

    def _query(self, sparql: str, bindings: Mapping[str, object] | None, union: bool):
        if is_update(sparql):
            raise QueryError("this is a SPARQL update, not a query; run it with --update")
        substitutions = {ox.Variable(k): _binding_term(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(
                sparql,
                prefixes=PREFIXES,
                use_default_graph_as_union=union,
                substitutions=substitutions or None,
            )
        except SyntaxError as exc:
            raise _syntax_error(exc) from None
        except OSError as exc:
            raise QueryError(f"query failed: {exc}") from None
        except RuntimeError as exc:  # e.g. a bound variable the SELECT does not project
            message = str(exc)
            found = re.search(r"variable \?(\w+) in its SELECT projection", message)
            if found:
                raise QueryError(
                    f"a value is bound to ?{found.group(1)}, so the query must select it "
                    f"(SELECT ?{found.group(1)} ...) or, in an ASK, declare it with VALUES ?{found.group(1)} {{ UNDEF }}"
                ) from None
            raise QueryError(f"query failed: {message}") from None

    def quads(self) -> Iterable[tuple]:
        """Every quad as rdflib terms (graph last; None for the default graph)."""
        for q in self._store:
            g = None if isinstance(q.graph_name, ox.DefaultGraph) else to_rdflib(q.graph_name)
            yield to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), g

    def to_rdflib(self) -> Dataset:
        """The whole store as an rdflib Dataset: the document graphs, the summary graph, and
        the merged default graph (so rdflib queries see what `kg query` sees)."""
        data = self._store.dump(format=ox.RdfFormat.N_QUADS)
        dataset = Dataset()
        for prefix, iri in PREFIXES.items():
            dataset.bind(prefix, iri)
        if data:
            with warnings.catch_warnings():
                # rdflib 7.x's N-Quads parser uses its own deprecated Dataset.default_context
                warnings.simplefilter("ignore", DeprecationWarning)
                dataset.parse(data=data.decode("utf-8"), format="nquads")
        return dataset


EXPORT_FORMATS = {
    "trig": ("trig", "graph.trig"),
    "ttl": ("turtle", "graph.ttl"),
    "nt": ("nt", "graph.nt"),
    "nq": ("nquads", "graph.nq"),
    "jsonld": ("json-ld", "graph.jsonld"),
}


def export(dataset: Dataset, folder: Path | str, *, fmt: str) -> Path:
    """Serialize a dataset into `folder` as graph.<ext>; returns the file written.

    Formats with named graphs (trig, nq, jsonld) hold one graph per document plus the
    summary graph; the triple formats (ttl, nt) hold the merged (default) graph.
    """
    if fmt not in EXPORT_FORMATS:
        raise StoreError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    rdflib_format, file_name = EXPORT_FORMATS[fmt]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name
    if fmt in ("ttl", "nt"):
        merged = Graph()
        for prefix, iri in PREFIXES.items():
            merged.bind(prefix, iri)
        for triple in dataset.default_graph:
            merged.add(triple)
        data = merged.serialize(format=rdflib_format)
    else:
        # the default graph is derived (the union of the others): named graphs only
        named = Dataset()
        for prefix, iri in PREFIXES.items():
            named.bind(prefix, iri)
        for graph in dataset.graphs():
            if isinstance(graph.identifier, URIRef) and graph.identifier != DATASET_DEFAULT_GRAPH_ID:
                target_graph = named.graph(graph.identifier)
                for triple in graph:
                    target_graph.add(triple)
        data = named.serialize(format=rdflib_format)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(data, encoding="utf-8")
    tmp.replace(target)  # readers never see a half-written export
    return target


__all__ = ["Store", "QueryResult", "GraphStats", "stats", "default_path", "export", "is_update", "to_oxigraph", "to_rdflib",
           "EXPORT_FORMATS"]


@dataclass(frozen=True)
class GraphStats:
    """Counts that summarize a store: documents, quads, and entities, events and triples by type."""

    documents: int
    quads: int
    triples: int
    statements: int
    roles: int
    entities: dict[str, int]
    events: dict[str, int]
    predicates: dict[str, int]


def compact(iri: str) -> str:
    """An IRI as prefix:name when one of `PREFIXES` covers it.

    >>> compact("https://w3id.org/aikg/investedIn")
    'aikg:investedIn'
    """
    for prefix, base in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(base) and "/" not in iri[len(base):] and "#" not in iri[len(base):]:
            return f"{prefix}:{iri[len(base):]}"
    return iri


def _counts(store: Store, sparql: str) -> dict[str, int]:
    return {str(r["key"]): int(r["n"]) for r in store.select(sparql)}


def stats(store: Store) -> GraphStats:
    """Count what the store holds (entities and events by class, distinct triples by predicate)."""
    entities = _counts(store, """
        SELECT (STRAFTER(STR(?class), STR(aikg:)) AS ?key) (COUNT(DISTINCT ?e) AS ?n)
        WHERE { ?e aikg:entityId ?id ; a ?class . FILTER(?class != aikg:Organization) }
        GROUP BY ?class ORDER BY DESC(?n) ?key""")
    events = _counts(store, """
        SELECT (STRAFTER(STR(?class), STR(aikg:)) AS ?key) (COUNT(DISTINCT ?e) AS ?n)
        WHERE { ?e a aikg:Event , ?class . FILTER(?class != aikg:Event) }
        GROUP BY ?class ORDER BY DESC(?n) ?key""")
    predicates = {compact(k): n for k, n in _counts(store, """
        SELECT (?p AS ?key) (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } }
        GROUP BY ?p ORDER BY DESC(?n) ?p""").items()}
    single = store.select("""
        SELECT (COUNT(DISTINCT ?st) AS ?statements) (COUNT(DISTINCT ?r) AS ?roles) WHERE {
          { ?st a aikg:Statement } UNION { ?r a aikg:Role } }""")[0]
    return GraphStats(
        documents=len(store.documents()),
        quads=len(store),
        triples=sum(predicates.values()),
        statements=int(single["statements"]),
        roles=int(single["roles"]),
        entities=entities,
        events=events,
        predicates=predicates,
    )
