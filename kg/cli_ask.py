"""The `kg ask` command: a question in English, answered from the store with sources (registered on `kg.cli.app`)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli import app, console, err_console, fail
from kg.errors import KGError


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question, e.g. \"Who heads Meta Superintelligence Labs?\"")],
    store: Annotated[Optional[str], typer.Option(
        "--store", envvar="AIKG_STORE", show_envvar=True,
        help="Folder of the Oxigraph store (default: ./store), or the http(s) URL of a SPARQL 1.1 store.")] = None,
    format: Annotated[str, typer.Option("--format", help="text (with sources) or json.")] = "text",
    sources: Annotated[int, typer.Option("--sources", help="Evidence sentences shown per item (text format).")] = 2,
) -> None:
    """Answer a question from the graph, each finding with the sentences it was read from.

    Forms: who heads X / who invested in X / where is X / what does X operate /
    how are X and Y connected / what happened to X since DATE. Anything else: `kg query`.
    """
    from kg.ask import answer, parse_question
    from kg.graph import KnowledgeGraph
    from kg.remote import is_remote, open_store

    if format not in ("text", "json"):
        fail(f"unknown format {format!r}; use text or json")
    try:
        parsed = parse_question(question)
        opened = KnowledgeGraph(open_store(store, read_only=True)) if store and is_remote(store) else \
            KnowledgeGraph.open(Path(store) if store else None)
        with opened as kg:
            result = answer(kg, parsed)
    except KGError as exc:
        fail(str(exc))
    if format == "json":
        typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False, indent=1))
        return
    console.print(result.headline, highlight=False, markup=False)
    for item in result.items:
        console.print(f"  • {item.text}", highlight=False, markup=False)
        # one line per sentence: the relations of a path often come from the same one
        shown = list(dict.fromkeys((s.doc, s.sentence) for s in item.sources))
        for doc, sentence in shown[:max(sources, 0)]:
            console.print(f"      {doc}: “{sentence}”", highlight=False, markup=False, style="dim")
        if len(shown) > sources:
            console.print(f"      (+{len(shown) - sources} more sources)", highlight=False, markup=False, style="dim")
    if not result.items:
        err_console.print("Try `kg query` for questions the forms do not cover.", highlight=False)
