"""The scale benchmark suite: extraction, builds, loading, queries, memory and the page, at 100k and 1M triples.

One command runs everything on this machine and prints a Markdown section; ``--write``
puts it into docs/benchmarks.md between ``<!-- scale:begin -->`` and ``<!-- scale:end -->``
(other sections of that file are left as they are):

    /work/venv/bin/python bench/suite.py --write            # 100k and 1M quads (under 15 min on 2 cores)
    /work/venv/bin/python bench/suite.py --sizes 10k,50k    # a quick try
    /work/venv/bin/python bench/suite.py --sizes 100k,1M,10M --write   # 10M too, if you have the time

Every measurement runs in its own subprocess, so each peak memory figure is its own.
The corpus is `kg.synthetic` (templated articles with known facts):

- **extraction**: words/s of the extractor on one core (start-up excluded);
- **build**: documents/s of `kg build` (extract + per-document transactions), serial
  against Dask with 2 local worker processes (with and without the cluster's start-up);
- **load**: the known facts of generated articles, turned into graphs with `kg.rdf.to_graph`
  and written through `Store.write_document` (one transaction per document), until the store
  holds the target number of quads; triples/s counts the quads that end up on disk;
- **queries**: median latency of the Python API helpers over 10 entities, and of every
  example query in queries/ with its parameters bound to a synthetic entity;
- **the page**: `kg.network.to_networkx` plus `kg.html.write_page` on the whole graph;
- **rdflib**: the same quads parsed into rdflib's in-memory `Dataset`, the same example
  queries and helpers through rdflib's SPARQL engine, each stopped after a time budget.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import sections  # noqa: E402

BEGIN, END = "<!-- scale:begin -->", "<!-- scale:end -->"
QUADS_PER_DOC = 300  # a synthetic article's graph written to the store (document graph + merged graph)
RDFLIB_BUDGET = 10.0  # seconds per rdflib query before it is stopped


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def parse_size(text: str) -> int:
    """'100k' -> 100000, '1M' -> 1000000."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


def size_label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


# -- stages (each runs in its own process and prints one JSON line) ---------------------------


def stage_extract(args) -> dict:
    from kg.extract import Extractor
    from kg.synthetic import generate

    documents = [a.document() for a in generate(args.docs, seed=21)]
    started = time.perf_counter()
    extractor = Extractor()
    startup = time.perf_counter() - started
    words = sum(len(d.text.split()) for d in documents)
    started = time.perf_counter()
    facts = sum(len(extractor.extract(d).facts) for d in documents)
    seconds = time.perf_counter() - started
    return {"docs": len(documents), "words": words, "facts": facts, "seconds": seconds,
            "words_per_s": words / seconds, "startup": startup, "peak_mb": peak_mb()}


def stage_build(args) -> dict:
    from kg.build import build
    from kg.store import Store
    from kg.synthetic import generate

    documents = [a.document() for a in generate(args.docs, seed=22)]
    with tempfile.TemporaryDirectory() as tmp:
        if args.workers:
            from kg.parallel import dask_client, extract_batch, extract_parallel

            started = time.perf_counter()
            with dask_client(workers=args.workers) as client:
                client.wait_for_workers(args.workers)
                client.run(extract_batch, [])  # each worker makes its extractor before the clock starts
                ready = time.perf_counter()
                with Store(Path(tmp) / "s") as store:
                    report = build([], store, documents=documents, exports=None, validate=False,
                                   extractions=lambda docs: extract_parallel(docs, client))
                done = time.perf_counter()
            startup, seconds = ready - started, done - started
        else:
            started = time.perf_counter()
            with Store(Path(tmp) / "s") as store:
                from kg.extract import Extractor

                extractor = Extractor()
                ready = time.perf_counter()
                report = build([], store, documents=documents, exports=None, validate=False, extractor=extractor)
            done = time.perf_counter()
            startup, seconds = ready - started, done - started
    return {"docs": len(report.written), "failed": len(report.failed), "seconds": seconds, "startup": startup,
            "docs_per_s": len(report.written) / seconds,
            "docs_per_s_running": len(report.written) / (seconds - startup), "peak_mb": peak_mb()}


def _targets(kg, store):
    """Entities to ask about: organizations with many facts first, then a spread."""
    rows = store.select("""
        SELECT ?label (COUNT(*) AS ?n) WHERE { ?e aikg:entityId ?id ; rdfs:label ?label ; ?p ?o }
        GROUP BY ?label ORDER BY DESC(?n) ?label LIMIT 200""")
    labels = [str(r["label"]) for r in rows]
    orgs = [label for label in labels if label.split()[-1] in
            ("AI", "Labs", "Robotics", "Systems", "Compute", "Dynamics", "Technologies", "Networks",
             "Semiconductor", "Cloud")]
    return orgs[:5] + orgs[-5:]


def _median_ms(run, items) -> tuple[float, float] | str:
    times = []
    for item in items:
        started = time.perf_counter()
        try:
            run(item)
        except _Budget:
            raise
        except Exception as exc:  # reported in the table, not fatal to the run
            return f"error: {exc.__class__.__name__}"
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def _helpers(kg, targets) -> dict:
    try:
        person = next(iter(kg.leaders(targets[0])), None)
    except Exception:
        person = None
    pairs = list(zip(targets, targets[1:] + targets[:1]))
    out = {
        "investments(investor=)": _median_ms(lambda t: kg.investments(investor=t), targets),
        "leaders(org)": _median_ms(lambda t: kg.leaders(t), targets),
        "events(entity)": _median_ms(lambda t: kg.events(t), targets),
        "neighbors(entity, 2)": _median_ms(lambda t: kg.neighbors(t, 2), targets),
        "paths(a, b)": _median_ms(lambda ab: kg.paths(*ab), pairs),
    }
    if person is not None:
        out["roles(person)"] = _median_ms(lambda p: kg.roles(p), [person.person.label] * 3)
    return out


def _example_queries(store, targets, documents, *, budget: float | None = None) -> dict:
    from kg.queries import bind, list_queries

    values = {"company": targets[0], "entity": targets[0], "investor": targets[0], "organization": targets[0],
              "document": documents[0] if documents else "none"}
    person = store.select("SELECT ?label WHERE { ?p a aikg:Person ; rdfs:label ?label } LIMIT 1")
    if person:
        values["person"] = str(person[0]["label"])
    out = {}
    for query in list_queries():
        given = {k: v for k, v in values.items() if k in query.params}
        bound = bind(query.text, defaults=query.params, given=given)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            try:
                if budget is not None:
                    signal.setitimer(signal.ITIMER_REAL, budget)
                store.query(query.text, bindings=bound)
            except _Budget:
                out[query.name] = None
                break
            except Exception as exc:
                out[query.name] = f"error: {exc.__class__.__name__}"
                break
            finally:
                if budget is not None:
                    signal.setitimer(signal.ITIMER_REAL, 0)
            times.append((time.perf_counter() - started) * 1000)
            if times[-1] > 1000:  # a slow query is timed once: the suite must stay under 15 minutes
                break
        else:
            out[query.name] = statistics.median(times)
        if times and query.name not in out:
            out[query.name] = statistics.median(times)
    return out


class _Budget(Exception):
    pass


def _on_alarm(signum, frame):
    raise _Budget


def stage_load(args) -> dict:
    from kg.graph import KnowledgeGraph
    from kg.rdf import to_graph
    from kg.store import Store
    from kg.synthetic import generate

    folder = Path(args.folder)
    store = Store(folder / "store")
    load_seconds = convert_seconds = 0.0
    documents = []
    triples_written = 0
    for article in generate(max(10, int(args.quads / QUADS_PER_DOC * 1.5)), seed=23):
        started = time.perf_counter()
        graph = to_graph(article.extraction())
        convert_seconds += time.perf_counter() - started
        started = time.perf_counter()
        store.write_document(graph)
        load_seconds += time.perf_counter() - started
        triples_written += len(graph)
        documents.append(article.name)
        if len(documents) % 100 == 0 and len(store) >= args.quads:
            break
    quads = len(store)
    kg = KnowledgeGraph(store)
    started = time.perf_counter()
    targets = _targets(kg, store)
    kg.entity(targets[0])
    cold = (time.perf_counter() - started) * 1000
    helpers = _helpers(kg, targets)
    queries = _example_queries(store, targets, documents)
    page = None
    if args.quads <= args.page_max:
        from kg.html import write_page
        from kg.network import to_networkx

        started = time.perf_counter()
        graph = to_networkx(store)
        network_s = time.perf_counter() - started
        write_page(graph, folder / "graph.html")
        page = {"seconds": time.perf_counter() - started, "network_s": network_s,
                "nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
                "mb": (folder / "graph.html").stat().st_size / 1e6}
    started = time.perf_counter()
    (folder / "dump.nq").write_bytes(store._store.dump(format=__import__("pyoxigraph").RdfFormat.N_QUADS))
    dump_s = time.perf_counter() - started
    store.close()
    return {"docs": len(documents), "quads": quads, "doc_triples": triples_written, "load_s": load_seconds,
            "convert_s": convert_seconds, "quads_per_s": quads / load_seconds, "cold_ms": cold,
            "helpers": helpers, "queries": queries, "page": page, "dump_s": dump_s, "peak_mb": peak_mb(),
            "documents": documents[:3], "targets": targets}


class RdflibStore:
    """Just enough of `kg.store.Store` over an rdflib Dataset for the helpers and the example queries."""

    def __init__(self, dataset) -> None:
        from kg.rdf import PREFIXES

        self.dataset = dataset
        self.namespaces = dict(PREFIXES)

    @staticmethod
    def _terms(bindings) -> dict:
        from rdflib import Literal
        from rdflib.term import Node

        return {k: v if isinstance(v, Node) else Literal(v) for k, v in (bindings or {}).items()}

    def _query(self, sparql, bindings, union):
        """pyoxigraph-shaped solutions (what `kg.network.select_values` reads) from rdflib's engine."""
        import pyoxigraph as ox

        from kg.store import to_oxigraph

        result = self.dataset.query(sparql, initNs=self.namespaces, initBindings=self._terms(bindings))
        variables = [ox.Variable(str(v)) for v in result.vars]
        return _Solutions(variables, [{str(k): to_oxigraph(v) for k, v in row.asdict().items()} for row in result])

    def select(self, sparql, *, bindings=None, union=False):
        result = self.dataset.query(sparql, initNs=self.namespaces, initBindings=self._terms(bindings))
        variables = [str(v) for v in result.vars]
        return [{v: row[v] for v in variables} for row in result]

    def query(self, sparql, *, bindings=None, union=False):
        from kg.store import QueryResult

        result = self.dataset.query(sparql, initNs=self.namespaces, initBindings=self._terms(bindings))
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars]
            return QueryResult("select", variables=variables, rows=[{v: row[v] for v in variables} for row in result])
        return QueryResult("construct", graph=result.graph)


class _Solutions(list):
    def __init__(self, variables, rows) -> None:
        super().__init__(rows)
        self.variables = variables

    def __iter__(self):
        return (_Solution(row) for row in list.__iter__(self))


class _Solution(dict):
    def __getitem__(self, name):
        return self.get(name)


def stage_rdflib(args) -> dict:
    import warnings

    from rdflib import Dataset

    from kg.graph import KnowledgeGraph

    signal.signal(signal.SIGALRM, _on_alarm)
    folder = Path(args.folder)
    dataset = Dataset()
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset.parse(str(folder / "dump.nq"), format="nquads")
    load_s = time.perf_counter() - started
    quads = len(dataset)
    store = RdflibStore(dataset)
    targets = json.loads(args.targets)
    queries = _example_queries(store, targets, json.loads(args.documents), budget=RDFLIB_BUDGET)
    helpers = {}
    kg = KnowledgeGraph(store)  # the same helpers, through rdflib's SPARQL engine
    for name, run in (("investments(investor=)", lambda t: kg.investments(investor=t)),
                      ("leaders(org)", lambda t: kg.leaders(t)),
                      ("events(entity)", lambda t: kg.events(t))):
        try:
            signal.setitimer(signal.ITIMER_REAL, RDFLIB_BUDGET * 3)
            helpers[name] = _median_ms(run, targets[:3])
        except _Budget:
            helpers[name] = None
        except Exception as exc:  # rdflib cannot run one of the helper's queries
            helpers[name] = f"error: {exc.__class__.__name__}"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    return {"quads": quads, "load_s": load_s, "quads_per_s": quads / load_s, "queries": queries,
            "helpers": helpers, "peak_mb": peak_mb()}


STAGES = {"extract": stage_extract, "build": stage_build, "load": stage_load, "rdflib": stage_rdflib}


def run_stage(name: str, *extra: str, timeout: float = 900) -> dict | None:
    command = [sys.executable, str(Path(__file__).resolve()), "--stage", name, *extra]
    print(f"  {name} {' '.join(extra)}", file=sys.stderr, flush=True)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        print(f"  {name}: stopped after {timeout:.0f} s", file=sys.stderr)
        return None
    if done.returncode != 0:
        print(done.stderr[-3000:], file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the report ---------------------------------------------------------------------------------


def _ms(value, *, budget: str = f"> {RDFLIB_BUDGET:g} s") -> str:
    if value is None:
        return f"{budget} (stopped)"
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return f"{value[0]:.1f} (max {value[1]:.1f})"
    return f"{value:.1f}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import pyoxigraph
    import rdflib

    return (f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}")


def report(results: dict, *, sizes: list[int], skipped: list[str], elapsed: float, command: str) -> str:
    out = [BEGIN, "## Scale: serving and growing past one machine", "",
           f"Measured {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}, with",
           "", "```bash", command, "```", "",
           f"(the whole run took {elapsed / 60:.1f} min). Corpus: `kg.synthetic` (templated articles with "
           "known facts); method in `bench/suite.py`'s docstring.", ""]
    ex = results.get("extract")
    if ex:
        out += [f"**Extraction**: {ex['words']:,} words in {ex['docs']} synthetic articles ({ex['facts']:,} facts) "
                f"in {ex['seconds']:.1f} s: **{ex['words_per_s']:,.0f} words/s** on one core "
                f"(start-up {ex['startup']:.1f} s, peak {ex['peak_mb']:,.0f} MB).", ""]
    serial, dask2 = results.get("build-serial"), results.get("build-dask")
    if serial or dask2:
        out += ["**Build** (`kg build`: extract + one transaction per document)", "",
                "| how | documents | wall time | docs/s | docs/s after start-up | start-up | peak MB (client) |",
                "|---|---:|---:|---:|---:|---:|---:|"]
        for label, b in (("serial", serial), ("Dask, 2 local workers", dask2)):
            if b:
                out.append(f"| {label} | {b['docs']} | {b['seconds']:.1f} s | {b['docs_per_s']:.1f} | "
                           f"{b['docs_per_s_running']:.1f} | {b['startup']:.1f} s | {b['peak_mb']:,.0f} |")
        out += ["", "Start-up: loading the extractor (serial), or starting the cluster and an extractor in "
                "each worker (Dask). On 2 cores the two workers share the machine with the client, which "
                "turns extractions into graphs and writes every document in its own transaction, so the "
                "gain is bounded by that serial part; the Dask path pays off with more cores or machines "
                "and with longer articles.", ""]
    loads = [(n, results.get(f"load-{n}"), results.get(f"rdflib-{n}")) for n in sizes]
    loads = [(n, o, r) for n, o, r in loads if o]
    if loads:
        out += ["**Load** (generated graphs through `Store.write_document`; rdflib: parsing the same quads as "
                "N-Quads into an in-memory `Dataset`)", "",
                "| size | documents | quads | Oxigraph load | quads/s | peak MB | rdflib load | quads/s | peak MB |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for n, o, r in loads:
            rd = (f"{r['load_s']:.1f} s | {r['quads_per_s']:,.0f} | {r['peak_mb']:,.0f}" if r
                  else "not run | | ")
            out.append(f"| {size_label(n)} | {o['docs']:,} | {o['quads']:,} | {o['load_s']:.1f} s | "
                       f"{o['quads_per_s']:,.0f} | {o['peak_mb']:,.0f} | {rd} |")
        out += ["", "Oxigraph's load is `kg build`'s write path: one durable transaction per document, each "
                "keeping the merged graph and source counts in step; rdflib's is one bulk parse in memory, "
                "with nothing on disk. Oxigraph's peak includes the process generating the graphs.", "",
                "**Python API helpers**, median ms over 10 entities (max in brackets); "
                "rdflib runs the same helpers on 3 entities:", ""]
        header = "| helper | " + " | ".join(f"Oxigraph {size_label(n)}" for n, _, _ in loads) + " | " + \
            " | ".join(f"rdflib {size_label(n)}" for n, _, r in loads if r) + " |"
        out += [header, "|---|" + "---:|" * (header.count("|") - 2)]
        for helper in loads[0][1]["helpers"]:
            cells = [_ms(o["helpers"].get(helper)) for _, o, _ in loads]
            cells += [_ms(r["helpers"].get(helper), budget=f"> {3 * RDFLIB_BUDGET:g} s for 3 calls")
                      if helper in r["helpers"] else "" for _, _, r in loads if r]
            out.append(f"| `{helper}` | " + " | ".join(cells) + " |")
        out += ["", "Cold start (reading the entity table on first use): "
                + ", ".join(f"{o['cold_ms']:,.0f} ms at {size_label(n)}" for n, o, _ in loads) + ".", "",
                f"**Example queries** (`queries/*.rq`), median ms of 3 runs (one run when over 1 s); "
                f"rdflib stopped after {RDFLIB_BUDGET:g} s:", ""]
        header = "| query | " + " | ".join(f"Oxigraph {size_label(n)}" for n, _, _ in loads) + " | " + \
            " | ".join(f"rdflib {size_label(n)}" for n, _, r in loads if r) + " |"
        out += [header, "|---|" + "---:|" * (header.count("|") - 2)]
        for query in loads[0][1]["queries"]:
            cells = [_ms(o["queries"].get(query)) for _, o, _ in loads]
            cells += [_ms(r["queries"].get(query)) for _, _, r in loads if r]
            out.append(f"| `{query}` | " + " | ".join(cells) + " |")
        pages = [(n, o["page"]) for n, o, _ in loads if o.get("page")]
        if pages:
            out += ["", "**The page** (`to_networkx` + `write_page`, whole graph): " + "; ".join(
                f"{size_label(n)}: {p['seconds']:.1f} s ({p['network_s']:.1f} s reading the store) for "
                f"{p['nodes']:,} nodes and {p['edges']:,} edges, {p['mb']:.1f} MB" for n, p in pages) + "."]
    if skipped:
        out += ["", "Not measured in this run: " + "; ".join(skipped) + "."]
    out += ["", END]
    return "\n".join(out)


def write_section(text: str) -> Path:
    return sections.write_section(text, BEGIN, END)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M", help="store sizes in quads (default: 100k,1M)")
    parser.add_argument("--write", action="store_true", help="update the Scale section of docs/benchmarks.md")
    parser.add_argument("--extract-docs", type=int, default=400)
    parser.add_argument("--build-docs", type=int, default=400)
    parser.add_argument("--rdflib-max", default="1M", help="largest size rdflib is asked to hold (default 1M)")
    parser.add_argument("--page-max", default="1M", help="largest size the page is generated for")
    parser.add_argument("--stage", choices=sorted(STAGES), help=argparse.SUPPRESS)
    parser.add_argument("--docs", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--quads", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--targets", help=argparse.SUPPRESS)
    parser.add_argument("--documents", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        args.page_max = parse_size(args.page_max)
        print(json.dumps(STAGES[args.stage](args)))
        return 0

    started = time.perf_counter()
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    rdflib_max = parse_size(args.rdflib_max)
    results: dict[str, dict | None] = {}
    skipped = []
    results["extract"] = run_stage("extract", "--docs", str(args.extract_docs))
    results["build-serial"] = run_stage("build", "--docs", str(args.build_docs))
    results["build-dask"] = run_stage("build", "--docs", str(args.build_docs), "--workers", "2")
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="kg-bench-") as folder:
            load = run_stage("load", "--quads", str(n), "--folder", folder, "--page-max", args.page_max)
            results[f"load-{n}"] = load
            if load is None:
                skipped.append(f"the {size_label(n)} store (the stage failed or ran out of time)")
                continue
            if n <= rdflib_max:
                results[f"rdflib-{n}"] = run_stage("rdflib", "--folder", folder,
                                                   "--targets", json.dumps(load["targets"]),
                                                   "--documents", json.dumps(load["documents"]))
            else:
                skipped.append(f"rdflib at {size_label(n)} (above --rdflib-max)")
    if 10_000_000 not in sizes:
        rates = [r["quads_per_s"] for k, r in results.items() if k.startswith("load-") and r]
        estimate = f"about {10_000_000 / min(rates) / 60:.0f} min for the load alone at the rate above" if rates \
            else "several times the 1M stage"
        skipped.append(f"10M quads: one transaction per document makes that {estimate}, plus making the "
                       "graphs and the queries: past the suite's 15 minutes on 2 cores together with the rest. "
                       "`python bench/suite.py --sizes 10M` measures it on its own")
    command = "python bench/suite.py" + (f" --sizes {args.sizes}" if args.sizes != "100k,1M" else "") + \
        (" --write" if args.write else "")
    text = report({k: v for k, v in results.items() if v}, sizes=sizes, skipped=skipped,
                  elapsed=time.perf_counter() - started, command=command)
    print(text)
    if args.write:
        print(f"wrote {write_section(text)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
