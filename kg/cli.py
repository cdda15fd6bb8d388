"""The `kg` command: a thin layer over the library (parse options, call, render, report errors)."""
from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
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
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def _warn_line(message: warnings.WarningMessage | str) -> None:
    text = str(message.message) if isinstance(message, warnings.WarningMessage) else message
    err_console.print(f"[yellow]warning:[/yellow] {text}", highlight=False, soft_wrap=True)


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
    facts = []
    for path in paths:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                for document in iter_documents([path]):
                    result = extractor.extract(document)
                    if format == "jsonl":
                        for fact in result.facts:
                            sys.stdout.write(json.dumps(fact.to_contract(), ensure_ascii=False) + "\n")
                    facts.extend(result.facts)
            except KGError as exc:
                err_console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
                code = 1
            else:
                code = 0
        for w in caught:
            _warn_line(w)
        if code and len(paths) == 1:
            raise typer.Exit(1)
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


# The graph commands (build, query, export, validate, stats) live in kg/cli_graph.py.
from kg import cli_graph as _graph_commands  # noqa: E402,F401  registers them on `app`


def main() -> None:  # pragma: no cover - console entry point
    app()
