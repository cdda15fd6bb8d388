"""The store: atomic per-document writes, idempotence, replacement, removal, source counts, refusals."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from conftest import ENTITIES, Extraction, make_fact
from kg.errors import QueryError, StoreError
from kg.rdf import SUMMARY_GRAPH, document_graph_iri, entity_iri, to_graph
from kg.store import EXPORT_FORMATS, Store, export, stats

META = entity_iri("meta", "Company")
COMMENT = URIRef("http://www.w3.org/2000/01/rdf-schema#comment")
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")


def source_counts(store: Store) -> dict[str, int]:
    rows = store.select(f"SELECT ?n ?c WHERE {{ GRAPH <{SUMMARY_GRAPH}> {{ ?n aikg:sourceCount ?c }} }}",
                        union=False)
    return {str(r["n"]).rsplit("/", 1)[-1]: int(r["c"]) for r in rows}


def recounted(store: Store) -> dict[str, int]:
    """Source counts computed from scratch, to compare with the maintained summary graph."""
    rows = store.select("""
        SELECT ?n (COUNT(DISTINCT ?g) AS ?c) WHERE {
          GRAPH ?g { { ?n aikg:entityId ?id } UNION { ?n a aikg:Event } UNION { ?n a aikg:Role } }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/aikg/graph/doc/"))
        } GROUP BY ?n""", union=False)
    return {str(r["n"]).rsplit("/", 1)[-1]: int(r["c"]) for r in rows}


def canonical(graph) -> set:
    """Triples with decimals in one lexical form (rdflib's Turtle writes 5.0 where Oxigraph keeps 5)."""
    def term(t):
        if isinstance(t, Literal) and t.datatype == DECIMAL:
            return Literal(format(t.toPython().normalize(), "f"), datatype=DECIMAL)
        return t
    return {tuple(term(t) for t in triple) for triple in graph}


def merged_is_union(store: Store) -> bool:
    """The default graph holds exactly the set union of the named graphs."""
    named, default = set(), set()
    for s, p, o, g in store.quads():
        (default if g is None else named).add((s, p, o))
    return named == default


def quads(store: Store) -> set:
    return set(store.quads())


def test_documents_and_source_counts(seed_store):
    assert list(seed_store.documents()) == ["000_meta_asset_sale.txt", "001_meta_sells_assets.txt"]
    counts = source_counts(seed_store)
    assert counts["meta"] == 2 and counts["mark-zuckerberg"] == 2 and counts["susan-li"] == 1
    assert counts == recounted(seed_store)
    assert merged_is_union(seed_store)


def test_writing_twice_gives_the_identical_graph(extractions):
    store = Store(None)
    for e in extractions:
        store.write_document(to_graph(e))
    first = quads(store)
    for e in reversed(extractions):
        store.write_document(to_graph(e))
    assert quads(store) == first


def test_a_changed_document_replaces_what_it_stated(seed_store, doc_b):
    changed = Extraction(doc_b.document, [f for f in doc_b.facts if f.predicate != "subsidiaryOf"], doc_b.entities)
    seed_store.write_document(to_graph(changed))
    names = {str(r["l"]) for r in seed_store.select("SELECT DISTINCT ?l WHERE { ?e aikg:entityId ?i ; rdfs:label ?l }")}
    assert "Facebook" not in names and "Instagram" not in names
    counts = source_counts(seed_store)
    assert "facebook" not in counts and counts["meta"] == 2
    assert counts == recounted(seed_store)
    assert merged_is_union(seed_store)


def test_removing_a_document_removes_only_what_only_it_stated(seed_store, doc_a):
    seed_store.remove_document("000_meta_asset_sale.txt")
    assert list(seed_store.documents()) == ["001_meta_sells_assets.txt"]
    assert not seed_store.ask("ASK { ?s aikg:investedIn ?o }")
    assert seed_store.ask("ASK { ?s aikg:seller ?meta }", bindings={"meta": META})
    counts = source_counts(seed_store)
    assert counts["meta"] == 1 and "scale-ai" not in counts
    assert counts == recounted(seed_store)
    assert merged_is_union(seed_store)
    seed_store.remove_document("001_meta_sells_assets.txt")
    assert len(seed_store) == 0


def test_store_persists_on_disk(tmp_path, extractions):
    with Store(tmp_path / "store") as store:
        for e in extractions:
            store.write_document(to_graph(e))
        before = quads(store)
    with Store(tmp_path / "store", read_only=True) as again:
        assert quads(again) == before


def test_typed_results(seed_store):
    rows = seed_store.select("SELECT ?l WHERE { ?e aikg:entityId 'meta' ; rdfs:label ?l }")
    assert {str(r["l"]) for r in rows} == {"Meta"}
    assert seed_store.ask("ASK { ?e aikg:capacityGW ?gw FILTER(?gw > 4) }") is True
    graph = seed_store.construct("CONSTRUCT { ?s aikg:investedIn ?o } WHERE { ?s aikg:investedIn ?o }")
    assert isinstance(graph, Graph) and len(graph) == 1
    with pytest.raises(QueryError, match="expected a SELECT query, got ASK"):
        seed_store.select("ASK { ?s ?p ?o }")


def test_bound_values_are_values_not_query_text(seed_store):
    query = "SELECT ?label ?e WHERE { ?e rdfs:label ?label }"
    assert len(seed_store.select(query, bindings={"label": "Meta"})) >= 1
    hostile = 'Meta" } ?e ?p ?o . { ?e rdfs:label "x'
    assert seed_store.select(query, bindings={"label": hostile}) == []


def test_malformed_query_reports_line_and_column(seed_store):
    with pytest.raises(QueryError, match=r"malformed SPARQL at line 2, column \d+"):
        seed_store.select("SELECT ?s\nWHERE { ?s ?p }")


def test_updates_are_refused_as_queries(seed_store):
    before = len(seed_store)
    for update in ("INSERT DATA { <a:b> <a:c> <a:d> }", "PREFIX x: <a:>\n# c\nDROP ALL", "  delete where { ?s ?p ?o }"):
        with pytest.raises(QueryError, match="update"):
            seed_store.query(update)
    assert len(seed_store) == before


def test_read_only_store_refuses_writes(tmp_path, doc_a):
    Store(tmp_path / "s").close()
    with Store(tmp_path / "s", read_only=True) as store:
        with pytest.raises(StoreError, match="read-only"):
            store.write_document(to_graph(doc_a))


def test_a_folder_that_is_not_a_store_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a store"):
        Store(folder)
    assert [p.name for p in folder.iterdir()] == ["notes.txt"]
    file = tmp_path / "file.txt"
    file.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        Store(file)
    assert file.read_text() == "x"
    with pytest.raises(StoreError, match="no store here yet"):
        Store(tmp_path / "missing", read_only=True)


HOLD = textwrap.dedent("""
    import sys, time
    from kg.store import Store
    store = Store(sys.argv[1])
    print("ready", flush=True)
    time.sleep(60)
""")


def test_a_store_locked_by_another_process_is_refused(tmp_path, doc_a):
    path = tmp_path / "store"
    with Store(path) as store:
        store.write_document(to_graph(doc_a))
        before = quads(store)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreError, match="in use by another process"):
            Store(path)
        with Store(path, read_only=True) as reader:  # reading still works
            assert quads(reader) == before
    finally:
        holder.kill()
        holder.wait()
    with Store(path) as store:
        assert quads(store) == before


WRITER = textwrap.dedent("""
    import sys
    from rdflib import Graph, Literal
    from rdflib.namespace import RDF, RDFS
    from kg.rdf import article_iri, document_graph_iri, entity_iri
    from kg.store import Store
    from kg.vocab import AIKG

    path, version, docs, size = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = Store(path)
    for i in range(docs):
        name = f"doc{i:03}.txt"
        g = Graph(identifier=document_graph_iri(name))
        g.add((article_iri(name), RDF.type, AIKG.Article))
        for j in range(size):
            e = entity_iri(f"e{j}", "Company")
            g.add((e, AIKG.entityId, Literal(f"e{j}")))
            g.add((e, RDFS.comment, Literal(f"{version} {name} {j}")))
        store.write_document(g)
        print(name, flush=True)
    store.close()
""")


def test_a_build_killed_mid_write_leaves_each_document_old_or_new(tmp_path):
    path = str(tmp_path / "store")
    docs, old_size, new_size = 12, 200, 3000
    subprocess.run([sys.executable, "-c", WRITER, path, "v1", str(docs), str(old_size)], check=True,
                   stdout=subprocess.DEVNULL)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, path, "v2", str(docs), str(new_size)],
                              stdout=subprocess.PIPE, text=True)
    written = [writer.stdout.readline().strip() for _ in range(3)]
    time.sleep(0.2)  # a write of this size takes ~0.3 s: land inside the next one
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    assert all(written)

    with Store(path) as store:
        rows = store.select("""
            SELECT ?g ?version (COUNT(*) AS ?n) WHERE {
              GRAPH ?g { ?e rdfs:comment ?c } BIND(STRBEFORE(?c, " ") AS ?version)
            } GROUP BY ?g ?version""")
        seen: dict = {}
        for row in rows:
            seen.setdefault(str(row["g"]), []).append((str(row["version"]), int(row["n"])))
        versions = {}
        for name in store.documents():
            found = seen.get(str(document_graph_iri(name)), [])
            assert len(found) == 1, f"{name} is half old, half new: {found}"
            kind, count = found[0]
            assert count == (old_size if kind == "v1" else new_size), f"{name} is incomplete"
            versions[name] = kind
        assert len(versions) == docs
        assert all(versions[n] == "v2" for n in written)
        assert source_counts(store) == recounted(store)
        assert merged_is_union(store)


def test_to_rdflib_and_exports_round_trip(tmp_path, seed_store):
    dataset = seed_store.to_rdflib()
    graphs = {str(g.identifier): g for g in dataset.graphs() if len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID}
    assert str(SUMMARY_GRAPH) in graphs and str(document_graph_iri("000_meta_asset_sale.txt")) in graphs
    for fmt in EXPORT_FORMATS:
        path = export(dataset, tmp_path, fmt=fmt)
        assert path.name.startswith("graph.") and path.stat().st_size > 0
    from rdflib import Dataset

    again = Dataset()
    again.parse(tmp_path / "graph.trig", format="trig")
    for name, graph in graphs.items():
        assert canonical(again.graph(URIRef(name))) == canonical(graph), name
    merged = Graph().parse(tmp_path / "graph.ttl", format="turtle")
    assert canonical(merged) == canonical(dataset.default_graph)
    assert len(merged) == stats(seed_store).triples
    with pytest.raises(StoreError, match="unknown export format"):
        export(dataset, tmp_path, fmt="xml")


def test_stats(seed_store):
    summary = stats(seed_store)
    assert summary.documents == 2
    assert summary.events == {"AssetSale": 1, "CapexGuidance": 1, "FinancialReport": 1, "Hiring": 1, "Investment": 1}
    assert summary.entities["Company"] == 3 and summary.entities["Site"] == 2
    assert summary.roles == 3 and summary.statements == 18
    assert summary.predicates["aikg:investedIn"] == 1


def test_a_bound_variable_the_query_does_not_select_is_explained(seed_store):
    with pytest.raises(QueryError, match=r"must select it \(SELECT \?x"):
        seed_store.select("SELECT ?a WHERE { ?a ?b ?c FILTER(?c = ?x) }", bindings={"x": 1})


def test_a_document_quoting_the_scratch_graph_iri_is_stored_verbatim(doc_a):
    text = "See https://w3id.org/aikg/graph/scratch/old for details."
    doc = doc_a.document.model_copy(update={"text": text, "name": "quote.txt"})
    fact = make_fact(doc, text, "meta", "competesWith", "openai")
    store = Store(None)
    store.write_document(to_graph(Extraction(doc, [fact], {k: ENTITIES[k] for k in ("meta", "openai")})))
    assert [str(r["e"]) for r in store.select("SELECT ?e WHERE { ?s aikg:evidence ?e }")] == [text]
    assert not [g for *_, g in store.quads() if g is not None and "scratch" in str(g)]
