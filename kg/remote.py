"""Remote graph stores: any SPARQL 1.1 store over HTTP, with the same methods as `kg.store.Store`.

`open_store(location)` gives a `Store` for a folder (or None, in memory) and a
`RemoteStore` for an ``http(s)://`` URL, so every command, query and helper runs against
either. A URL names the store's base: queries go to ``BASE/query`` and updates to
``BASE/update`` (the layout of Oxigraph's server and of Apache Jena Fuseki's
``http://host:3030/DATASET``); other layouts pass both endpoints to `RemoteStore`.

Each document is written by one SPARQL update request: the same update `Store` runs in
one transaction (the new named graph, the merged default graph and the source counts),
which a SPARQL 1.1 store applies atomically per request. A request that fails leaves
the document as it was. (The Graph Store Protocol replaces one graph per request, so it
cannot keep the merged graph and the counts in step; updates can.)

Bound values reach a remote query as a VALUES block of serialized RDF terms
(`kg.sparqltext.bind_values`), never as pasted text.
"""
from __future__ import annotations

import io
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kg.errors import QueryError, StoreError
from kg.rdf import PREFIXES, document_name
from kg.sparqltext import bind_values
from kg.store import Store, TypedQueries, default_path, is_update, remove_update, write_update

_PREFIX_HEADER = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in sorted(PREFIXES.items()))
_ACCEPT = ("application/sparql-results+json, application/n-triples;q=0.9, "
           "application/sparql-results+xml;q=0.5, text/turtle;q=0.5")
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_QUADS = "SELECT ?s ?p ?o ?g WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def is_remote(location: str | Path | None) -> bool:
    """True for an http(s) URL.

    >>> is_remote("https://example.org/sparql"), is_remote("store")
    (True, False)
    """
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


def open_store(location: str | Path | None = None, *, read_only: bool = False) -> Store | RemoteStore:
    """The store at `location`: a folder (default: $AIKG_STORE, else ./store) or an http(s) URL.

    >>> open_store("http://127.0.0.1:7878").query_url
    'http://127.0.0.1:7878/query'
    """
    if location is None:
        location = default_path()
    if is_remote(str(location)):
        return RemoteStore(str(location), read_only=read_only)
    return Store(Path(location), read_only=read_only)


class RemoteStore(TypedQueries):
    """An aikg graph store behind SPARQL 1.1 query and update endpoints.

    >>> store = RemoteStore("http://127.0.0.1:7878/")
    >>> store.query_url, store.update_url
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update')
    """

    def __init__(self, url: str, *, query_url: str | None = None, update_url: str | None = None,
                 read_only: bool = False, timeout: float = 60.0) -> None:
        base = url.rstrip("/")
        if not is_remote(base):
            raise StoreError(f"{url}: not an http(s) URL")
        self.url = base
        self.path = base  # what messages name, like Store.path
        self.query_url = query_url or base + "/query"
        self.update_url = update_url or base + "/update"
        self.read_only = read_only
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to release: every request is its own connection."""

    # -- HTTP ------------------------------------------------------------------------------

    def _post(self, url: str, field: str, text: str, *, accept: str) -> tuple[str, bytes]:
        data = urllib.parse.urlencode({field: text}).encode("utf-8")
        request = urllib.request.Request(url, data=data, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
            "User-Agent": "aikg"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as exc:
            detail = _first_line(exc.read().decode("utf-8", "replace")) or exc.reason
            if exc.code == 400:
                raise QueryError(f"{url}: the store rejected the SPARQL ({detail})") from None
            raise StoreError(f"{url}: the store refused the request ({exc.code} {exc.reason}: {detail})") from None
        except urllib.error.URLError as exc:
            raise StoreError(f"{url}: cannot reach the SPARQL store ({_reason(exc.reason)})") from None
        except (TimeoutError, OSError) as exc:
            raise StoreError(f"{url}: the SPARQL store did not answer ({_reason(exc)})") from None

    # -- writing ---------------------------------------------------------------------------

    def _require_writable(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.url}: opened read-only")

    def _update(self, update: str) -> None:
        try:
            self._post(self.update_url, "update", update, accept="*/*")
        except QueryError as exc:  # a bug in the generated update, or a store that reads SPARQL differently
            raise StoreError(str(exc)) from None

    def write_document(self, graph: Graph) -> None:
        """Replace a document's named graph with `graph`, in one update request (applied whole or not at all)."""
        self._require_writable()
        self._update(write_update(graph))

    def remove_document(self, name: str) -> None:
        """Remove what the document `name` stated, in one update request."""
        self._require_writable()
        self._update(remove_update(name))

    def update(self, sparql: str) -> None:
        """Run a user's SPARQL update (the `PREFIXES` are predeclared)."""
        self._require_writable()
        self._post(self.update_url, "update", _PREFIX_HEADER + sparql, accept="*/*")

    def clear(self) -> None:
        """Remove everything."""
        self._require_writable()
        self._update("DROP ALL")

    def documents(self) -> dict[str, str | None]:
        """The documents in the store: name -> SHA-256 of the file they were read from."""
        found: dict[str, str | None] = {}
        for row in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            name = document_name(row["g"])
            if name is not None:
                found[name] = None
        for row in self.select("SELECT ?g ?sha WHERE { GRAPH ?g { ?a a aikg:Article ; aikg:sha256 ?sha } }"):
            name = document_name(row["g"])
            if name is not None:
                found[name] = str(row["sha"])
        return dict(sorted(found.items()))

    # -- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        return int(rows[0]["n"])

    def _query(self, sparql: str, bindings: Mapping[str, object] | None, union: bool):
        """The query's answer as pyoxigraph values (`QuerySolutions`, `QueryBoolean` or an iterator of
        triples), like `Store._query`: `kg.network.select_values` reads them without rdflib terms."""
        if is_update(sparql):
            raise QueryError("this is a SPARQL update, not a query; run it with --update")
        if union:
            raise QueryError("union=True (the union of the named graphs) is not available on a remote store")
        text = _PREFIX_HEADER + bind_values(sparql, bindings or {})
        content_type, body = self._post(self.query_url, "query", text, accept=_ACCEPT)
        try:
            if content_type in _RESULT_FORMATS:
                return ox.parse_query_results(io.BytesIO(body), format=_RESULT_FORMATS[content_type])
            if content_type in _GRAPH_FORMATS:
                return ox.parse(io.BytesIO(body), format=_GRAPH_FORMATS[content_type])
        except SyntaxError as exc:
            raise StoreError(f"{self.query_url}: unreadable answer ({exc})") from None
        raise StoreError(f"{self.query_url}: unexpected answer of type {content_type!r}")

    def quads(self) -> Iterable[tuple]:
        """Every quad as rdflib terms (graph last; None for the default graph)."""
        for row in self.select(_QUADS):
            yield row["s"], row["p"], row["o"], row["g"]

    def to_rdflib(self) -> Dataset:
        """The whole store as an rdflib Dataset (see `Store.to_rdflib`)."""
        dataset = Dataset()
        for prefix, iri in PREFIXES.items():
            dataset.bind(prefix, iri)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            for s, p, o, g in self.quads():
                dataset.add((s, p, o, g) if g is not None else (s, p, o, DATASET_DEFAULT_GRAPH_ID))
        return dataset


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:300]


def _reason(reason) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or reason.__class__.__name__


__all__ = ["RemoteStore", "open_store", "is_remote"]
