"""The example SPARQL queries of queries/*.rq: their questions, parameters and bound values.

A query file opens with comment lines: the first states the question; a line
`# param NAME: DEFAULT` declares a variable `?NAME` whose value comes from
`kg query --bind NAME=VALUE` or, when not given, from the default. Values are bound
through pyoxigraph substitutions, never pasted into the query text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from kg.errors import QueryError

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"
_PARAM = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class NamedQuery:
    """One query file: its name (file stem), the question it answers, its text and parameters."""

    name: str
    path: Path
    question: str
    text: str
    params: dict[str, str] = field(default_factory=dict)


def parse_binding(text: str) -> URIRef | Literal:
    """A value given on the command line as an RDF term.

    `<iri>` is an IRI, `"text"` a string, an integer or decimal number a number,
    anything else a string.

    >>> parse_binding("<https://w3id.org/aikg/id/org/meta>")
    rdflib.term.URIRef('https://w3id.org/aikg/id/org/meta')
    >>> parse_binding("1.5")
    rdflib.term.Literal('1.5', datatype=rdflib.term.URIRef('http://www.w3.org/2001/XMLSchema#decimal'))
    >>> parse_binding('"2025"')
    rdflib.term.Literal('2025')
    """
    text = text.strip()
    if len(text) >= 2 and text[0] == "<" and text[-1] == ">":
        return URIRef(text[1:-1])
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return Literal(text[1:-1])
    if re.fullmatch(r"[+-]?\d+", text):
        return Literal(text, datatype=XSD.integer)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)", text):
        return Literal(text, datatype=XSD.decimal)
    return Literal(text)


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """`["company=Scale AI", ...]` -> `{"company": "Scale AI"}`; a malformed pair raises QueryError."""
    found: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip().lstrip("?$")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"--bind expects NAME=VALUE (for example company=Meta), got {pair!r}")
        found[name] = value
    return found


def load_query(path: Path | str) -> NamedQuery:
    """Read one .rq file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the query file ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise QueryError(f"{path}: not UTF-8 text") from None
    question = ""
    params: dict[str, str] = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _PARAM.match(stripped)
        if match:
            params[match.group(1)] = match.group(2)
        elif not question:
            question = stripped.lstrip("#").strip()
    return NamedQuery(name=path.stem, path=path, question=question, text=text, params=params)


def list_queries(folder: Path | str = QUERIES_DIR) -> list[NamedQuery]:
    """Every query in `folder`, sorted by name."""
    return [load_query(p) for p in sorted(Path(folder).glob("*.rq"))]


def bind(sparql: str, *, defaults: dict[str, str] | None = None,
         given: dict[str, str] | None = None) -> dict[str, URIRef | Literal]:
    """The values to substitute into `sparql`: the defaults, overridden by the given ones.

    A given name that is not a variable of the query raises QueryError (a typo would
    otherwise be ignored silently).
    """
    values = dict(defaults or {})
    for name, value in (given or {}).items():
        if not re.search(rf"[?$]{re.escape(name)}\b", sparql):
            raise QueryError(f"--bind {name}=...: the query has no variable ?{name}")
        values[name] = value
    return {name: parse_binding(value) for name, value in values.items()}
