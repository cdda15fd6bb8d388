"""The `kg` command: a thin layer over the library (parse options, call, render, report errors)."""
from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg.errors import KGError

app = typer.Typer(
    help="aikg: a knowledge graph of AI-industry events, built from news articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


@app.callback()
def _main() -> None:
    """aikg: a knowledge graph of AI-industry events, built from news articles."""


def fail(message: str) -> None:
    """Print a one-line error to stderr and exit with status 1."""
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _warn_line(message: warnings.WarningMessage | str) -> None:
    text = str(message.message) if isinstance(message, warnings.WarningMessage) else message
    err_console.print(f"[yellow]warning:[/yellow] {escape(text)}", highlight=False, soft_wrap=True)


@app.command()
def extract(
    paths: Annotated[list[Path], typer.Argument(help="Article files (.txt, .md, .html) or folders of them.")],
    format: Annotated[str, typer.Option("--format", "-f", help="table (readable) or jsonl (the benchmark contract).")] = "table",
) -> None:
    """Extract facts from articles, each with the sentence it came from.

    Prints a table by default; `--format jsonl` prints one JSON fact per line
    (the format of the benchmark contract) and nothing else on stdout.
    """
    from kg.documents import iter_documents
    from kg.extract import Extractor

    if format not in ("table", "jsonl"):
        fail(f"unknown format {format!r}; use table or jsonl")
    try:
        extractor = Extractor()
    except KGError as exc:
        fail(str(exc))
    from rich.progress import Progress, SpinnerColumn, TextColumn

    facts = []
    failed = 0
    # A spinner on stderr while extracting (shown only on a terminal; stdout stays clean).
    progress = Progress(SpinnerColumn(), TextColumn("{task.completed} documents  {task.fields[name]}"),
                        console=err_console, transient=True, disable=not err_console.is_terminal)
    task = progress.add_task("extracting", total=None, name="")
    for path in paths:
        # A bad file named directly is an error; inside a folder it is a warning. Either way
        # the other documents are still extracted.
        with warnings.catch_warnings(record=True) as caught, progress:
            warnings.simplefilter("always")
            try:
                for document in iter_documents([path]):
                    progress.update(task, advance=1, name=document.name)
                    result = extractor.extract(document)
                    if format == "jsonl":
                        for fact in result.facts:
                            sys.stdout.write(json.dumps(fact.to_contract(), ensure_ascii=False) + "\n")
                    facts.extend(result.facts)
            except KGError as exc:
                err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
                failed += 1
        for w in caught:
            _warn_line(w)
    if format == "table":
        table = Table(title=f"{len(facts)} facts")
        for column in ("doc", "subject", "predicate", "object / value", "evidence"):
            table.add_column(column, overflow="fold")
        for fact in facts:
            value = fact.value.model_dump(exclude_none=True)
            shown = fact.object or ""
            if value:
                shown = (shown + " " if shown else "") + ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in value.items())
            table.add_row(fact.doc, fact.subject, fact.predicate, shown, fact.evidence[:160])
        console.print(table)
    if failed:
        raise typer.Exit(1)


@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="A benchmark folder of NAME.gold.jsonl files, or a phrasing-suite folder.")],
    documents: Annotated[Optional[list[Path]], typer.Argument(help="Articles to extract (default: the NAME.txt beside each gold file).")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List every missed and spurious fact.")] = False,
    invented: Annotated[bool, typer.Option("--invented", help="Suite only: score just the passages with invented names.")] = False,
    no_gazetteer: Annotated[bool, typer.Option("--no-gazetteer", help="Switch the gazetteer's entities off (word lists stay).")] = False,
) -> None:
    """Score extraction against hand-annotated gold facts, per relation and per document.

    Prints the same table and closing `micro P= R= F1=` line as the benchmark's score.py.
    """
    from kg.evaluate import evaluate_folder, evaluate_suite, format_report, is_suite
    from kg.extract import Extractor
    from kg.gazetteer import load_gazetteer

    if not gold.is_dir():
        fail(f"{gold}: not a folder of gold facts")
    try:
        extractor = Extractor(gazetteer=load_gazetteer(entities=False) if no_gazetteer else None)
        if is_suite(gold):
            report = evaluate_suite(gold, extractor, invented_only=invented)
        else:
            report = evaluate_folder(gold, extractor, documents)
    except KGError as exc:
        fail(str(exc))
    if errors:
        for doc, label in report.missed:
            console.print(f"MISSED   {doc}: {label}", highlight=False, markup=False)
        for doc, fact in report.spurious:
            console.print(f"SPURIOUS {doc}: {fact.get('subject')} {fact.get('predicate')} "
                          f"{fact.get('object') or ''} {fact.get('value') or ''}", highlight=False, markup=False)
    console.print(format_report(report, per_document=not is_suite(gold)), highlight=False, markup=False)


# The graph commands (build, query, export, validate, stats) live in kg/cli_graph.py.
from kg import cli_graph as _graph_commands  # noqa: E402,F401  registers them on `app`
from kg import cli_ask as _ask_command  # noqa: E402,F401  registers `kg ask` (kg/cli_ask.py)
from kg import cli_serve as _serve_command  # noqa: E402,F401  registers `kg serve` (kg/cli_serve.py)


def main() -> None:  # pragma: no cover - console entry point
    app()
