"""Remote stores: a real Oxigraph server on loopback holds the same graph a local store does."""
from __future__ import annotations

import pytest
from conftest import _doc_a, _doc_b
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from kg.errors import QueryError, StoreError
from kg.graph import KnowledgeGraph
from kg.rdf import to_graph
from kg.remote import RemoteStore, is_remote, open_store
from kg.serve import OxigraphServer, ServeError, free_port
from kg.store import Store

try:
    from kg.serve import oxigraph_binary

    oxigraph_binary()
except ServeError:  # pragma: no cover - the test extra installs it
    pytest.skip("remote-store tests need Oxigraph's server (the serve extra)", allow_module_level=True)


@pytest.fixture(scope="module")
def server():
    with OxigraphServer(None, writable=True) as running:  # in memory, random loopback port
        yield running


@pytest.fixture
def remote(server):
    store = RemoteStore(server.url)
    store.clear()
    yield store
    store.clear()


@pytest.fixture(scope="module")
def local():
    store = Store(None)
    for extraction in (_doc_a(), _doc_b()):
        store.write_document(to_graph(extraction))
    return store


def _quads(store) -> set:
    return {tuple(str(t) for t in q) for q in store.quads()}


def test_open_store_picks_the_kind(tmp_path):
    assert isinstance(open_store("http://127.0.0.1:1/"), RemoteStore)
    assert isinstance(open_store(tmp_path / "s"), Store)
    assert is_remote("HTTPS://example.org") and not is_remote(str(tmp_path))


def test_remote_store_holds_what_a_local_store_holds(remote, local):
    for extraction in (_doc_a(), _doc_b()):
        remote.write_document(to_graph(extraction))
    assert _quads(remote) == _quads(local)
    assert len(remote) == len(local)
    assert remote.documents() == local.documents()
    # rewriting a document replaces it, removing one recounts sources: the same as locally
    remote.write_document(to_graph(_doc_a()))
    assert _quads(remote) == _quads(local)
    remote.remove_document(_doc_b().document.name)
    alone = Store(None)
    alone.write_document(to_graph(_doc_a()))
    assert _quads(remote) == _quads(alone)


def test_queries_and_bindings_work_remotely(remote, local):
    for extraction in (_doc_a(), _doc_b()):
        remote.write_document(to_graph(extraction))
    query = "SELECT ?name ?e WHERE { ?e rdfs:label ?name }"
    assert remote.select(query, bindings={"name": "Scale AI"}) == local.select(query, bindings={"name": "Scale AI"})
    meta = URIRef("https://w3id.org/aikg/id/org/meta")
    assert remote.ask("ASK { ?m aikg:investedIn ?x }", bindings={"m": meta})
    assert not remote.ask("ASK { ?m aikg:investedIn ?x }", bindings={"m": URIRef("urn:nobody")})
    tricky = Literal('} UNION { ?s ?p ?o } # "')  # a value is a term, never query text
    assert remote.select(query, bindings={"name": tricky}) == []
    graph = remote.construct("CONSTRUCT { ?a aikg:investedIn ?b } WHERE { ?a aikg:investedIn ?b }")
    assert set(graph) == set(local.construct("CONSTRUCT { ?a aikg:investedIn ?b } WHERE { ?a aikg:investedIn ?b }"))
    with pytest.raises(QueryError, match="rejected the SPARQL"):
        remote.select("SELECT ?s WHERE { ?s ?p }")


def test_python_api_helpers_work_remotely(remote, local):
    for extraction in (_doc_a(), _doc_b()):
        remote.write_document(to_graph(extraction))
    there, here = KnowledgeGraph(remote), KnowledgeGraph(local)
    assert there.investments(investee="Scale AI") == here.investments(investee="Scale AI")
    assert there.leaders("Meta") == here.leaders("Meta")
    assert there.events("Meta") == here.events("Meta")
    assert there.paths("Meta", "Scale AI") == here.paths("Meta", "Scale AI")
    remote_graph, local_graph = there.to_networkx(), here.to_networkx()
    assert sorted(remote_graph.edges(keys=True)) == sorted(local_graph.edges(keys=True))


def test_unreachable_store_is_one_clear_line_naming_the_url():
    url = f"http://127.0.0.1:{free_port()}"
    store = RemoteStore(url)
    with pytest.raises(StoreError, match=rf"^{url}/update: cannot reach the SPARQL store") as caught:
        store.write_document(to_graph(_doc_a()))
    assert "\n" not in str(caught.value)
    with pytest.raises(StoreError, match=rf"^{url}/query: cannot reach"):
        store.select("SELECT * WHERE { ?s ?p ?o }")


def test_refusing_store_leaves_no_document_half_written(tmp_path, local):
    path = tmp_path / "store"
    with Store(path) as store:
        store.write_document(to_graph(_doc_a()))
        before = _quads(store)
    with OxigraphServer(path) as read_only:  # serve-read-only: every update is refused
        store = RemoteStore(read_only.url)
        with pytest.raises(StoreError, match=rf"^{read_only.url}/update: the store refused the request \(403"):
            store.write_document(to_graph(_doc_b()))
        assert _quads(store) == before


def test_cli_builds_queries_and_reports_against_a_remote_store(server, remote, tmp_path, monkeypatch):
    from kg.cli import app

    article = tmp_path / "docs" / "nvidia.txt"
    article.parent.mkdir()
    article.write_text("Nvidia invested $2 billion in xAI, according to a filing.\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["build", str(article.parent), "--store", server.url, "--no-export"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["query", "--store", server.url, "--format", "csv",
                                 "SELECT ?who WHERE { ?who aikg:investedIn ?x }"])
    assert result.exit_code == 0, result.output
    assert "https://w3id.org/aikg/id/org/nvidia" in result.output
    result = runner.invoke(app, ["stats", "--store", server.url])
    assert result.exit_code == 0 and "documents" in result.output
    result = runner.invoke(app, ["ask", "Who invested in xAI?", "--store", server.url])
    assert result.exit_code == 0 and "Nvidia" in result.output, result.output
    down = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(app, ["build", str(article.parent), "--store", down, "--no-export"])
    assert result.exit_code == 1
    assert f"{down}/" in result.output and "cannot reach the SPARQL store" in result.output
