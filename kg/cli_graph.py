"""The graph commands of `kg`: build, query, export, validate, stats (registered on `kg.cli.app`).

Each command parses its options, makes one library call, renders the result, and turns a
library error into a one-line message with exit status 1.
"""
from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from kg.cli import _warn_line, app, console, err_console, fail
from kg.errors import KGError

StoreOption = Annotated[
    Optional[str],
    typer.Option("--store", envvar="AIKG_STORE", show_envvar=True,
                 help="Folder of the Oxigraph store (default: ./store), or the http(s) URL of a SPARQL 1.1 store."),
]


def _store_path(store: str | None) -> Path | str:
    from kg.remote import is_remote
    from kg.store import default_path

    if store is None:
        return default_path()
    return store if is_remote(store) else Path(store)


def _open(store: str | None, *, read_only: bool = False):
    """The store a command works on: a folder or a remote SPARQL store (kg.remote.open_store)."""
    from kg.remote import open_store

    return open_store(_store_path(store), read_only=read_only)


def _text(term) -> str:
    return "" if term is None else str(term)


@app.command()
def build(
    documents: Annotated[Optional[list[Path]], typer.Argument(
        help="Article files or folders (default: data/documents).")] = None,
    store: StoreOption = None,
    exports: Annotated[Path, typer.Option("--exports", help="Folder for graph.trig, graph.ttl, graph.jsonld and graph.html.")] = Path("exports"),
    no_export: Annotated[bool, typer.Option("--no-export", help="Do not write the export files.")] = False,
    workers: Annotated[Optional[int], typer.Option("--workers", help="Extract on a local Dask cluster of N processes (needs the dask extra).")] = None,
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="Extract on an existing Dask cluster: tcp://HOST:PORT.")] = None,
    prune: Annotated[Optional[bool], typer.Option("--prune/--no-prune", help="Remove stored documents that are not in the input (default: only when no DOCS are named, i.e. for data/documents).")] = None,
) -> None:
    """Extract facts from articles and load them into the store, one named graph per document.

    Re-running replaces what each document states. Without DOCS the store mirrors
    data/documents (documents no longer there are removed); with DOCS they are added or
    replaced and the rest of the store is kept, unless --prune. Writes TriG, Turtle and JSON-LD exports and the graph page (graph.html), and
    prints a summary.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from kg.build import DEFAULT_DOCUMENTS, build as run_build, read_documents
    from kg.documents import Skipped
    from kg.store import stats

    paths = documents or [DEFAULT_DOCUMENTS]
    skipped: list[Skipped] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            docs = read_documents(paths, skipped=skipped)
        except KGError as exc:
            fail(str(exc))
    for w in caught:
        _warn_line(w)
    try:
        with _open(store) as graph_store:
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                          TextColumn("{task.fields[name]}"), console=err_console, transient=True) as bar:
                task = bar.add_task("building", total=len(docs), name="")
                extractions = None
                if workers is not None or scheduler is not None:
                    from kg.parallel import parallel_extractions

                    extractions = parallel_extractions(workers=workers, scheduler=scheduler)
                report = run_build(paths, graph_store, documents=docs, extractions=extractions,
                                   prune=prune if prune is not None else not documents,
                                   exports=None if no_export else exports,
                                   progress=lambda name: bar.update(task, advance=1, name=name))
            report.skipped = skipped
            summary = stats(graph_store)
            if not no_export:
                report.exports.append(_write_graph_page(graph_store, exports / "graph.html"))
    except KGError as exc:
        fail(str(exc))
    _print_stats(summary, title=f"built {len(report.written)} documents ({report.facts} facts)", top=12)
    if report.removed:
        console.print(f"removed {len(report.removed)} documents no longer in the input: {', '.join(report.removed)}")
    for path in report.exports:
        console.print(f"wrote {path}")
    if report.violations:
        err_console.print(f"[yellow]warning:[/yellow] {len(report.violations)} shape violations "
                          "(the facts are kept; run `kg validate` for the list)", highlight=False)
    if report.failed:
        for name, why in report.failed:
            err_console.print(f"[red]error:[/red] {escape(name)}: not extracted, its previous graph is kept "
                              f"({escape(why)})", highlight=False, soft_wrap=True)
        fail(f"{len(report.failed)} documents could not be extracted; run kg build again")


def _write_graph_page(graph_store, path: Path, **narrow) -> Path:
    from kg.html import write_page
    from kg.network import to_networkx

    return write_page(to_networkx(graph_store, value_events=True), path, **narrow)


def _print_stats(summary, *, title: str, top: int | None = None) -> None:
    table = Table(title=title, show_header=True)
    table.add_column("what")
    table.add_column("type")
    table.add_column("count", justify="right")
    table.add_row("documents", "", str(summary.documents))
    for kind, counts in (("entities", summary.entities), ("events", summary.events)):
        for name, n in counts.items():
            table.add_row(kind, name, str(n))
        kind_total = sum(counts.values())
        table.add_row(kind, "[b]all[/b]", f"[b]{kind_total}[/b]")
    table.add_row("roles", "", str(summary.roles))
    table.add_row("statements", "", str(summary.statements))
    shown = list(summary.predicates.items())
    if top is not None and len(shown) > top:
        rest = sum(n for _, n in shown[top:])
        shown = shown[:top] + [(f"{len(summary.predicates) - top} other predicates", rest)]
    for name, n in shown:
        table.add_row("triples", name, str(n))
    table.add_row("triples", "[b]all (distinct)[/b]", f"[b]{summary.triples}[/b]")
    table.add_row("quads", "", str(summary.quads))
    console.print(table)


@app.command()
def query(
    sparql: Annotated[Optional[str], typer.Argument(help="A SPARQL query (or use --file).")] = None,
    file: Annotated[Optional[Path], typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    bind: Annotated[Optional[list[str]], typer.Option(
        "--bind", "-b", help="NAME=VALUE: a value for the query's ?NAME (repeatable); "
                             "<iri> for an IRI, numbers as numbers, anything else a string.")] = None,
    format: Annotated[str, typer.Option("--format", help="table, csv, tsv or json (CONSTRUCT prints Turtle).")] = "table",
    update: Annotated[bool, typer.Option("--update", help="Allow a SPARQL update (INSERT, DELETE, DROP, ...).")] = False,
    store: StoreOption = None,
) -> None:
    """Run a SPARQL query against the store (the default graph is the union of all documents).

    Prefixes aikg, rdf, rdfs, skos, prov, schema, org, time, xsd, dcterms and owl are predeclared.
    """
    from kg.queries import bind as bind_values, load_query, parse_assignments
    from kg.store import is_update

    if format not in ("table", "csv", "tsv", "json"):
        fail(f"unknown format {format!r}; use table, csv, tsv or json")
    if (sparql is None) == (file is None):
        fail("give a query as an argument or with --file (one of the two)")
    try:
        defaults: dict[str, str] = {}
        if file is not None:
            named = load_query(file)
            text, defaults = named.text, named.params
        else:
            text = sparql
        values = bind_values(text, defaults=defaults, given=parse_assignments(bind or []))
        if is_update(text):
            if not update:
                fail("this is a SPARQL update; kg query changes the store only with --update")
            with _open(store) as graph_store:
                graph_store.update(text)
            console.print("update applied")
            return
        with _open(store, read_only=True) as graph_store:
            result = graph_store.query(text, bindings=values)
    except KGError as exc:
        fail(str(exc))
    if result.kind == "ask":
        answer = "true" if result.boolean else "false"
        typer.echo(json.dumps({"boolean": result.boolean}) if format == "json" else answer)
        return
    if result.kind == "construct":
        typer.echo(result.graph.serialize(format="turtle"), nl=False)
        return
    # parameters are constant columns: the question already names them
    columns = [v for v in result.variables if v not in values]
    rows = [{c: row.get(c) for c in columns} for row in result.rows]
    if format == "json":
        typer.echo(json.dumps([{c: (None if v is None else str(v)) for c, v in r.items()} for r in rows],
                              ensure_ascii=False, indent=1))
    elif format in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if format == "csv" else "\t", lineterminator="\n")
        writer.writerow(columns)
        for r in rows:
            writer.writerow([_text(r[c]) for c in columns])
        typer.echo(buffer.getvalue(), nl=False)
    else:
        table = Table(title=f"{len(rows)} rows")
        for c in columns:
            table.add_column(c, overflow="fold")
        for r in rows:
            table.add_row(*(_text(r[c]) for c in columns))
        console.print(table)


@app.command("export")
def export_command(
    format: Annotated[list[str], typer.Option("--format", help="trig, ttl, nt, nq, jsonld or html (repeatable).")] = ["trig"],
    out: Annotated[Path, typer.Option("--out", help="Folder to write graph.<ext> into.")] = Path("exports"),
    focus: Annotated[Optional[str], typer.Option("--focus", help="html: only what is near this entity (name or alias).")] = None,
    hops: Annotated[int, typer.Option("--hops", help="html: how many links from --focus to show.")] = 2,
    since: Annotated[Optional[str], typer.Option("--since", help="html: only facts dated on or after this day (YYYY-MM-DD).")] = None,
    relations: Annotated[Optional[str], typer.Option("--relations", help="html: only these relations, comma-separated (investedIn,heads).")] = None,
    store: StoreOption = None,
) -> None:
    """Write the store to files: TriG, N-Quads and JSON-LD keep the named graphs; Turtle and N-Triples hold the merged graph.

    `--format html` writes graph.html, a self-contained page to explore the graph offline; --focus with --hops, --since and --relations narrow what it shows.
    """
    from kg.store import EXPORT_FORMATS, export

    unknown = [f for f in format if f not in EXPORT_FORMATS and f != "html"]
    if unknown:
        fail(f"unknown export format {unknown[0]!r}; choose from {', '.join(EXPORT_FORMATS)}, html")
    narrowed = focus is not None or since is not None or relations is not None
    if narrowed and "html" not in format:
        fail("--focus, --hops, --since and --relations apply to --format html")
    narrow = {"focus": focus, "hops": hops, "since": since,
              "relations": None if relations is None else relations.split(",")}
    try:
        with _open(store, read_only=True) as graph_store:
            dataset = graph_store.to_rdflib() if any(f != "html" for f in format) else None
            for fmt in format:
                if fmt == "html":
                    console.print(f"wrote {_write_graph_page(graph_store, out / 'graph.html', **narrow)}")
                else:
                    console.print(f"wrote {export(dataset, out, fmt=fmt)}")
    except KGError as exc:
        fail(str(exc))


@app.command()
def validate(
    store: StoreOption = None,
    shapes: Annotated[Optional[Path], typer.Option("--shapes", help="SHACL shapes file (default: ontology/shapes.ttl).")] = None,
) -> None:
    """Check every document's named graph against the SHACL shapes; print violations as sentences.

    Exits with status 1 when there is any violation.
    """
    from kg.validate import load_shapes, validate_dataset

    try:
        with _open(store, read_only=True) as graph_store:
            dataset = graph_store.to_rdflib()
            documents = len(graph_store.documents())
        violations = validate_dataset(dataset, shapes=load_shapes(shapes) if shapes else None)
    except KGError as exc:
        fail(str(exc))
    except Exception as exc:  # a malformed shapes file is reported, not dumped
        fail(f"cannot validate: {exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    if not violations:
        console.print(f"valid: {documents} documents conform to the shapes")
        return
    for v in violations:
        typer.echo(v.sentence())
    err_console.print(f"{len(violations)} violations in {len({v.document for v in violations})} documents",
                      highlight=False)
    raise typer.Exit(1)


@app.command("stats")
def stats_command(store: StoreOption = None) -> None:
    """Count documents, entities and events by type, and triples by predicate."""
    from kg.store import stats

    try:
        with _open(store, read_only=True) as graph_store:
            summary = stats(graph_store)
    except KGError as exc:
        fail(str(exc))
    _print_stats(summary, title=f"{_store_path(store)}")
