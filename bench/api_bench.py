"""Python API benchmark: median latency of each KnowledgeGraph helper, and of to_networkx.

Two graphs:
- seed: the graph `kg build` makes from data/documents (real extractor);
- synthetic: documents from bench/graph_bench.py's generator (Zipf-popular entities, so a
  few organizations are hubs), converted with kg.rdf.to_graph and written through the
  store's per-document transactions, into an on-disk store of over 1M triples.

Each helper runs over 20 different entities (the 5 biggest hubs, then a spread of others)
after one warm-up call; the table gives the median and the slowest (usually a hub).
Cold costs (reading the entity table on first use, the adjacency on the first `paths`) are
reported separately.

    /work/venv/bin/python bench/api_bench.py --store /tmp/aikg-bench-store   # 2,200 documents, 1.09M triples
    /work/venv/bin/python bench/api_bench.py --docs 500                      # quick run

Building the 1M-triple store goes through the store's own write path (one transaction per
document) and is most of a first run (12 minutes on a busy 2-core machine); `--store` keeps
it, and a rerun only measures (about 2 minutes).
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from kg.graph import EntityNotFound, KnowledgeGraph  # noqa: E402
from kg.store import Store  # noqa: E402


def _ms(run) -> float:
    t = time.perf_counter()
    run()
    return (time.perf_counter() - t) * 1000


def _series(calls) -> dict:
    calls = list(calls)
    calls[0]()  # warm-up (the first call also reads the entity table)
    times = [_ms(c) for c in calls]
    return {"median": statistics.median(times), "max": max(times), "n": len(times)}


def pick(kg: KnowledgeGraph, type_names: set[str], n: int = 20, hubs: int = 5, seed: int = 3) -> list[str]:
    """`n` entity IRIs of the given types: the `hubs` with most direct relations, then a random spread."""
    degree = Counter()
    for node, edges in kg._idx.adjacency.items():  # noqa: SLF001 - the bench may look inside
        degree[node] = len(edges)
    pool = [r.iri for r in kg.entities() if r.type in type_names]
    ranked = sorted(pool, key=lambda iri: -degree[iri])
    chosen = ranked[:hubs]
    rest = [iri for iri in ranked[hubs:] if degree[iri] > 0]
    rng = random.Random(seed)
    chosen += rng.sample(rest, min(n - len(chosen), len(rest)))
    return chosen


def measure(kg: KnowledgeGraph) -> dict[str, dict]:
    orgs = pick(kg, {"Company", "Investor", "ResearchLab", "Division"})
    people = pick(kg, {"Person"}, hubs=2)
    places = pick(kg, {"Place"}, hubs=2)
    labels = [kg.entity(iri).label for iri in orgs]
    pairs = list(zip(orgs, orgs[1:] + orgs[:1]))  # hub-hub, hub-other, other-other
    def misspelled(label: str) -> None:
        try:
            kg.entity(label[:-1] + "q")
        except EntityNotFound:
            pass

    out = {
        "entity(name)": _series(lambda l=l: kg.entity(l) for l in labels),
        "entity(unknown name): error with closest names": _series(lambda l=l: misspelled(l) for l in labels),
        "investments(investor=)": _series(lambda e=e: kg.investments(investor=e) for e in orgs),
        "investments(investee=)": _series(lambda e=e: kg.investments(investee=e) for e in orgs),
        "leaders(org)": _series(lambda e=e: kg.leaders(e) for e in orgs),
        "roles(person)": _series(lambda e=e: kg.roles(e) for e in people),
        "sites(operator=)": _series(lambda e=e: kg.sites(operator=e) for e in orgs),
        "sites(place=)": _series(lambda e=e: kg.sites(place=e) for e in places),
        "events(entity)": _series(lambda e=e: kg.events(e) for e in orgs),
        "sources(entity)": _series(lambda e=e: kg.sources(e) for e in orgs),
        "neighbors(hops=1)": _series(lambda e=e: kg.neighbors(e) for e in orgs),
        "neighbors(hops=2)": _series(lambda e=e: kg.neighbors(e, hops=2) for e in orgs),
        "neighbors(hops=2, with_sources=False)": _series(lambda e=e: kg.neighbors(e, hops=2, with_sources=False)
                                                         for e in orgs),
        "paths(max_hops=3)": _series(lambda a=a, b=b: kg.paths(a, b, max_hops=3) for a, b in pairs),
    }
    t = time.perf_counter()
    found = kg.conflicts()
    out["conflicts() (whole graph, once)"] = {"median": (time.perf_counter() - t) * 1000, "max": None, "n": 1,
                                              "note": f"{len(found)} conflicts"}
    return out


def cold_costs(path: Path) -> dict[str, float]:
    """Seconds to open the store and answer the first lookup, and to build the adjacency for `paths`."""
    t = time.perf_counter()
    with KnowledgeGraph.open(path) as kg:
        first = kg.entities()[0]
        entity_table = time.perf_counter() - t
        t = time.perf_counter()
        kg.paths(first, kg.entities()[1])
        adjacency = time.perf_counter() - t
        t = time.perf_counter()
        graph = kg.to_networkx()
        networkx = time.perf_counter() - t
    return {"open + entity table": entity_table, "adjacency (first paths)": adjacency,
            "to_networkx": networkx, "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}


def build_synthetic(path: Path, docs: int) -> float:
    """Write `docs` synthetic documents into the store at `path` (those it already has are kept)."""
    from graph_bench import synthetic_extractions  # the graph benchmark's generator

    from kg.rdf import to_graph

    t = time.perf_counter()
    with Store(path) as store:
        have = set(store.documents())
        for extraction in synthetic_extractions(docs):  # deterministic: document i is the same in every run
            if extraction.document.name not in have:
                store.write_document(to_graph(extraction))
    return time.perf_counter() - t


def size(kg: KnowledgeGraph) -> str:
    """The store's size: quads, triples stated by the documents, distinct triples of the merged graph."""
    stated = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(?doc))) }"
                       .replace("?doc", '"https://w3id.org/aikg/graph/doc/"'))
    merged = kg.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return (f"{len(kg.store):,} quads: {int(stated[0]['n']):,} triples stated by the documents, "
            f"{int(merged[0]['n']):,} distinct triples in the merged graph")


def report(name: str, quads: str, results: dict, cold: dict) -> str:
    lines = [f"#### {name}", "", quads + ".", "",
             "| helper | median ms (20 entities) | slowest ms |", "|---|---:|---:|"]
    for helper, r in results.items():
        slowest = "" if r["max"] is None else f"{r['max']:.1f}"
        note = f" ({r['note']})" if r.get("note") else ""
        lines.append(f"| `{helper}`{note} | {r['median']:.1f} | {slowest} |")
    lines += ["", f"Cold costs: open + entity table {cold['open + entity table']:.2f} s; "
                  f"adjacency on the first `paths` {cold['adjacency (first paths)']:.2f} s; "
                  f"`to_networkx` {cold['to_networkx']:.2f} s "
                  f"({cold['nodes']:,} nodes, {cold['edges']:,} edges).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2200, help="synthetic documents (~500 triples each)")
    parser.add_argument("--store", type=Path, help="synthetic store folder: reused if it exists, else built and kept")
    args = parser.parse_args()
    started = time.perf_counter()
    sections = []
    with tempfile.TemporaryDirectory(prefix="aikg-api-bench-") as tmp:
        seed_path = Path(tmp) / "seed"
        KnowledgeGraph.build([ROOT / "data" / "documents"], path=seed_path).close()
        with KnowledgeGraph.open(seed_path) as kg:
            quads = size(kg)
            # the seed graph is small: every entity it has (up to 20) stands in for the 20
            results = measure(kg)
        sections.append(report("Seed graph (data/documents)", quads, results, cold_costs(seed_path)))
        print(sections[-1], flush=True)

        path = args.store or Path(tmp) / "synthetic"
        seconds = build_synthetic(path, args.docs)
        print(f"# synthetic store ready ({args.docs} documents) in {seconds:.0f} s", file=sys.stderr)
        cold = cold_costs(path)
        with KnowledgeGraph.open(path) as kg:
            quads = size(kg)
            results = measure(kg)
        sections.append(report(f"Synthetic graph ({args.docs} documents)", quads, results, cold))
        print(sections[-1], flush=True)
    print(f"Total time: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
