"""Graph store benchmark: Oxigraph (the kg store) against rdflib's in-memory store, same data.

Two datasets:
- seed: the graph `kg build` makes from data/documents (real extractor);
- synthetic: generated documents with facts of every relation over a pool of entities
  whose popularity follows a Zipf law (a few hubs, like Meta, appear in many articles),
  converted with kg.rdf.to_graph, so the triples have the real shape.

For each dataset and engine it measures load throughput (triples/s), peak resident memory
of the process doing it, and the median latency of every query in queries/. Each engine
runs in its own subprocess so peak memory is its own. rdflib queries that exceed
--rdflib-timeout seconds (default 10) are stopped and reported as skipped.

    python bench/graph_bench.py                 # ~1M triples, a few minutes on 2 cores
    python bench/graph_bench.py --docs 1000     # quick run (~100k triples)
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.models import Document, Entity, Fact, FactValue  # noqa: E402
from kg.queries import bind, list_queries  # noqa: E402


def _progress(message: str) -> None:
    print(f"  {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


# --- synthetic data ---------------------------------------------------------------------------

class _Extraction:
    def __init__(self, document, facts, entities):
        self.document, self.facts, self.entities = document, facts, entities


def _pool(rng: random.Random, kind: str, n: int) -> list[Entity]:
    words = ["Nova", "Quantum", "Vector", "Atlas", "Helix", "Orion", "Zenith", "Cobalt", "Lumen", "Apex"]
    out = []
    for i in range(n):
        label = f"{rng.choice(words)} {kind} {i}"
        entity_type = {"Org": rng.choice(["Company", "Company", "Company", "Investor", "ResearchLab"]),
                       "Person": "Person", "Site": "Site", "Place": "Place", "Model": "Product"}[kind]
        out.append(Entity(id=f"{kind.lower()}-{i}", label=label, type=entity_type,
                          aliases=(f"{label} Inc.",) if kind == "Org" else ()))
    return out


def synthetic_extractions(docs: int, *, facts_per_doc: int = 20, seed: int = 7):
    """`docs` documents of `facts_per_doc` facts of mixed relations (~25 triples a fact); yields extractions."""
    rng = random.Random(seed)
    orgs, people = _pool(rng, "Org", 5000), _pool(rng, "Person", 8000)
    sites, places, models = _pool(rng, "Site", 1500), _pool(rng, "Place", 300), _pool(rng, "Model", 2000)
    weights = [1 / (i + 1) for i in range(len(orgs))]  # Zipf: org 0 is a hub

    def org():
        return rng.choices(orgs, weights)[0]

    relations = ["investedIn", "acquired", "partneredWith", "supplies", "competesWith", "subsidiaryOf",
                 "heads", "worksFor", "hired", "operates", "locatedIn", "develops",
                 "assetSale", "capex", "revenue", "netIncome", "valuation", "fundingRaised", "capacity"]
    for d in range(docs):
        text_parts, facts, entities = [], [], {}
        name = f"synthetic_{d:06}.txt"
        for _ in range(facts_per_doc):
            relation = rng.choice(relations)
            value: dict = {}
            if relation in ("heads", "worksFor"):
                s, o = rng.choice(people), org()
                value["role"] = rng.choice(["CEO", "CFO", "CTO", "head of research"])
            elif relation == "hired":
                s, o = org(), rng.choice(people)
            elif relation == "operates":
                s, o = org(), rng.choice(sites)
            elif relation == "locatedIn":
                s, o = rng.choice(sites), rng.choice(places)
            elif relation == "develops":
                s, o = org(), rng.choice(models)
            elif relation == "capacity":
                s, o = rng.choice(sites), None
                value["gigawatts"] = round(rng.uniform(0.1, 10), 1)
            elif relation in ("assetSale", "capex", "revenue", "netIncome", "valuation", "fundingRaised"):
                s, o = org(), None
                value["amount_usd"] = float(rng.randrange(1, 500)) * 1e8
                if relation in ("capex", "revenue", "netIncome"):
                    value["period"] = f"{rng.choice([2024, 2025])}-Q{rng.randint(1, 4)}"
                if relation == "fundingRaised":
                    value["date"] = f"2025-{rng.randint(1, 12):02}"
            else:
                s, o = org(), org()
                if s.id == o.id:
                    continue
                if relation == "investedIn":
                    value["amount_usd"] = float(rng.randrange(1, 300)) * 1e8
            sentence = f"{s.label} {relation} {o.label if o else value} per sources."
            start = sum(len(p) + 1 for p in text_parts)
            text_parts.append(sentence)
            entities[s.id] = s
            if o is not None:
                entities[o.id] = o
            facts.append(Fact(
                doc=name, subject=s.label, subject_id=s.id, subject_type=s.type, predicate=relation,
                object=o.label if o else None, object_id=o.id if o else None, object_type=o.type if o else None,
                value=FactValue(**value), evidence=sentence, start=start, end=start + len(sentence),
                confidence=round(rng.uniform(0.5, 0.99), 2), pattern=f"synthetic-{relation}"))
        text = " ".join(text_parts)
        document = Document(name=name, path=name, text=text, sha256=f"{d:064x}", title=f"Synthetic {d}",
                            publisher="bench", published_text="2025-08")
        yield _Extraction(document, facts, entities)


# --- phases (each runs in its own subprocess) -----------------------------------------------------

def _query_plan():
    plan = []
    for q in list_queries():
        plan.append((q.name, q.text, bind(q.text, defaults=q.params)))
    return plan


def _median_ms(run, repeat: int) -> tuple[float, int]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), repeat


def phase_oxigraph(dataset: str, docs: int, workdir: Path, repeat: int) -> dict:
    from kg.rdf import to_graph
    from kg.store import Store

    store_path = workdir / f"{dataset}-store"
    store = Store(store_path)
    result: dict = {"engine": "oxigraph", "dataset": dataset}
    if dataset == "seed":
        from kg.build import build, default_extractor, read_documents

        t = time.perf_counter()
        build([ROOT / "data" / "documents"], store, exports=None, validate=False)
        result["load_s_including_extraction"] = time.perf_counter() - t
        extractor = default_extractor()
        extractions = [extractor.extract(d) for d in read_documents([ROOT / "data" / "documents"], skipped=[])]
    else:
        extractions = synthetic_extractions(docs)
    # documents are converted and written one at a time; only the write is timed
    documents = triples = 0
    convert_s = write_s = 0.0
    for extraction in extractions:
        t = time.perf_counter()
        graph = to_graph(extraction)
        convert_s += time.perf_counter() - t
        t = time.perf_counter()
        store.write_document(graph)
        write_s += time.perf_counter() - t
        documents += 1
        triples += len(graph)
        if documents % 250 == 0:
            _progress(f"oxigraph {dataset}: {documents} documents, {triples:,} triples, writes {write_s:.0f} s")
    result.update(documents=documents, document_triples=triples, quads=len(store), convert_s=convert_s,
                  load_s=write_s, load_triples_per_s=triples / write_s)
    # the named graphs (documents + summary) as one N-Quads file: the same data for both engines
    import pyoxigraph as ox

    nquads = workdir / f"{dataset}.nq"
    named = (q for q in store._store.quads_for_pattern(None, None, None, None)
             if not isinstance(q.graph_name, ox.DefaultGraph))
    ox.serialize(named, str(nquads), ox.RdfFormat.N_QUADS)
    raw = ox.Store()
    t = time.perf_counter()
    raw.load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    result["file_quads"] = len(raw)
    result["raw_load_triples_per_s"] = len(raw) / (time.perf_counter() - t)
    del raw
    result["queries"] = {}
    for name, text, values in _query_plan():
        ms, n = _median_ms(lambda: store.query(text, bindings=values), repeat)
        result["queries"][name] = {"median_ms": ms, "runs": n}
        _progress(f"oxigraph {dataset}: {name} {ms:.1f} ms")
    result["peak_rss_mb"] = peak_rss_mb()
    store.close()
    return result


class _Timeout(Exception):
    pass


def phase_rdflib(dataset: str, workdir: Path, repeat: int, timeout: float) -> dict:
    import warnings

    from rdflib import Dataset, Variable

    warnings.simplefilter("ignore")
    result: dict = {"engine": "rdflib", "dataset": dataset}
    nquads = workdir / f"{dataset}.nq"
    ds = Dataset(default_union=True)  # a set union of the named graphs: Oxigraph's merged default graph
    t = time.perf_counter()
    ds.parse(str(nquads), format="nquads")
    elapsed = time.perf_counter() - t
    quads = sum(len(g) for g in ds.graphs())
    result.update(quads=quads, load_s=elapsed, load_triples_per_s=quads / elapsed)
    _progress(f"rdflib {dataset}: parsed {quads:,} quads in {elapsed:.0f} s")

    def on_alarm(signum, frame):
        raise _Timeout()

    signal.signal(signal.SIGALRM, on_alarm)
    result["queries"] = {}
    for name, text, values in _query_plan():
        bindings = {Variable(k): v for k, v in values.items()}
        times = []
        try:
            for _ in range(repeat):
                signal.setitimer(signal.ITIMER_REAL, timeout)
                t = time.perf_counter()
                list(ds.query(text, initBindings=bindings))
                times.append((time.perf_counter() - t) * 1000)
                signal.setitimer(signal.ITIMER_REAL, 0)
                if times[-1] > 2000:  # slow: one run is enough for a median of one
                    break
            result["queries"][name] = {"median_ms": statistics.median(times), "runs": len(times)}
            _progress(f"rdflib {dataset}: {name} {statistics.median(times):.1f} ms")
        except _Timeout:
            result["queries"][name] = {"skipped": f"over {timeout:g} s"}
            _progress(f"rdflib {dataset}: {name} skipped (over {timeout:g} s)")
        except Exception as exc:  # rdflib's engine fails on some valid SPARQL; report, don't hide
            result["queries"][name] = {"skipped": f"rdflib error: {exc.__class__.__name__}"}
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


# --- driver ------------------------------------------------------------------------------------

def _run_phase(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], stdout=subprocess.PIPE, text=True)
    if out.returncode != 0:
        sys.exit(f"phase {args[:2]} failed (its error is above)")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _report(results: list[dict], args) -> str:
    lines = []
    for dataset in ("seed", "synthetic"):
        ox = next(r for r in results if r["engine"] == "oxigraph" and r["dataset"] == dataset)
        rl = next(r for r in results if r["engine"] == "rdflib" and r["dataset"] == dataset)
        title = "Seed graph (data/documents)" if dataset == "seed" else f"Synthetic graph ({args.docs} documents)"
        lines += [f"### {title}", "",
                  f"{ox['documents']} documents, {ox['document_triples']:,} document triples; "
                  f"{ox['quads']:,} quads in the store (with the merged default graph), "
                  f"{ox['file_quads']:,} quads in the N-Quads file both engines load.", "",
                  "| measure | Oxigraph (kg store) | rdflib in-memory | rdflib / Oxigraph |", "|---|---:|---:|---:|",
                  f"| load, kg write path (per-document transaction + source recount), triples/s | "
                  f"{ox['load_triples_per_s']:,.0f} | | |",
                  f"| load of the same N-Quads file, triples/s | {ox['raw_load_triples_per_s']:,.0f} | "
                  f"{rl['load_triples_per_s']:,.0f} | {rl['load_triples_per_s'] / ox['raw_load_triples_per_s']:.2f} |",
                  f"| peak RSS of the process, MB | {ox['peak_rss_mb']:,.0f} | {rl['peak_rss_mb']:,.0f} | "
                  f"{rl['peak_rss_mb'] / ox['peak_rss_mb']:.2f} |", ""]
        lines += ["| query | Oxigraph median ms | rdflib median ms | rdflib / Oxigraph |", "|---|---:|---:|---:|"]
        for name, o in ox["queries"].items():
            r = rl["queries"][name]
            if "skipped" in r:
                lines.append(f"| {name} | {o['median_ms']:.2f} | skipped ({r['skipped']}) | |")
            else:
                ratio = r["median_ms"] / o["median_ms"] if o["median_ms"] else float("nan")
                lines.append(f"| {name} | {o['median_ms']:.2f} | {r['median_ms']:.1f} (runs: {r['runs']}) | {ratio:,.0f}x |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000, help="synthetic documents (~500 triples each)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query (median)")
    parser.add_argument("--rdflib-timeout", type=float, default=10.0,
                        help="stop an rdflib query after this many seconds (default 10, to keep the run short)")
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument("--phase", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        engine, dataset, workdir = args.phase[0], args.phase[1], Path(args.phase[2])
        if engine == "oxigraph":
            out = phase_oxigraph(dataset, args.docs, workdir, args.repeat)
        else:
            out = phase_rdflib(dataset, workdir, args.repeat, args.rdflib_timeout)
        print(json.dumps(out))
        return
    started = time.perf_counter()
    results = []
    with tempfile.TemporaryDirectory(prefix="aikg-bench-") as tmp:
        for dataset in ("seed", "synthetic"):
            for engine in ("oxigraph", "rdflib"):
                t = time.perf_counter()
                results.append(_run_phase([engine, dataset, tmp, "--docs", str(args.docs), "--repeat",
                                           str(args.repeat), "--rdflib-timeout", str(args.rdflib_timeout)]))
                print(f"# {engine} on {dataset}: {time.perf_counter() - t:.0f} s", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    print(_report(results, args))
    print(f"Total time: {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
