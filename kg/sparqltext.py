"""Small, lexically safe edits of SPARQL text: values bound through VALUES, results capped with LIMIT.

Remote SPARQL stores have no pyoxigraph `substitutions`, so a remote query gets its bound
values as an inline `VALUES` block at the start of its WHERE group (the values are
serialized RDF terms, never pasted user text), and `kg serve` caps results by rewriting
a query's top-level `LIMIT`. Both edits find the query's structure with a small lexer
that knows SPARQL's strings, IRIs and comments, so a brace inside a string literal or a
`#` inside an IRI never misleads them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n\r]*)
      |(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                 |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
      |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<var>[?$][A-Za-z0-9_\u00B7-\uFFFF]+)
      |(?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}()\[\];,.]*)?|:[^\s{}()\[\];,.]*)
      |(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
      |(?P<space>\s+)
      |(?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


def _tokens(sparql: str) -> list[_Token]:
    found = []
    for m in _TOKEN.finditer(sparql):
        kind = m.lastgroup or "other"
        if kind not in ("space", "comment"):
            found.append(_Token(kind, m.group(), m.start(), m.end()))
    return found


@dataclass(frozen=True)
class _Shape:
    form: str
    where_open: int   # index of the token "{" that opens the WHERE group
    where_close: int  # index of its matching "}"


def _shape(tokens: list[_Token]) -> _Shape | None:
    """Where the query form and its WHERE group are, or None when the text has no such shape."""
    form_at = next((i for i, t in enumerate(tokens) if t.kind == "word" and t.text.upper() in _FORMS), None)
    if form_at is None:
        return None
    form = tokens[form_at].text.upper()
    i = form_at + 1
    if form == "CONSTRUCT":
        if i < len(tokens) and tokens[i].text == "{":
            i = _matching(tokens, i)
            if i is None:
                return None
            i += 1
        else:
            return None  # CONSTRUCT WHERE { }: the pattern is also the template
    parens = 0
    while i < len(tokens):
        t = tokens[i].text
        if t == "(":
            parens += 1
        elif t == ")":
            parens -= 1
        elif t == "{" and parens == 0:
            close = _matching(tokens, i)
            return None if close is None else _Shape(form, i, close)
        i += 1
    return None


def _matching(tokens: list[_Token], open_at: int) -> int | None:
    depth = 0
    for j in range(open_at, len(tokens)):
        if tokens[j].text == "{":
            depth += 1
        elif tokens[j].text == "}":
            depth -= 1
            if depth == 0:
                return j
    return None


def term_text(term) -> str:
    """An RDF term (rdflib or pyoxigraph) in SPARQL/N-Triples syntax.

    >>> from rdflib import Literal
    >>> term_text(Literal('say "hi"\\n'))
    '"say \\\\"hi\\\\"\\\\n"'
    """
    from kg.store import _binding_term

    value = _binding_term(term)
    if isinstance(value, ox.BlankNode):
        raise QueryError("a blank node cannot be bound to a variable of a remote query")
    return str(value)


def bind_values(sparql: str, bindings: Mapping[str, object]) -> str:
    """`sparql` with each variable of `bindings` fixed to its value by a VALUES block opening the WHERE group.

    >>> bind_values("SELECT ?e WHERE { ?e rdfs:label ?name }", {"name": "Meta"})
    'SELECT ?e WHERE { VALUES (?name) { ("Meta") } ?e rdfs:label ?name }'
    >>> bind_values('SELECT * { ?s ?p "{" }', {})
    'SELECT * { ?s ?p "{" }'
    """
    if not bindings:
        return sparql
    names = list(bindings)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"{name!r} is not a SPARQL variable name")
    tokens = _tokens(sparql)
    shape = _shape(tokens)
    if shape is None:
        raise QueryError("cannot bind values: the query has no WHERE group (CONSTRUCT WHERE and "
                         "DESCRIBE without WHERE take no bound values on a remote store)")
    row = " ".join(term_text(bindings[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({row}) }}"
    at = tokens[shape.where_open].end
    return sparql[:at] + block + sparql[at:]


def cap_results(sparql: str, cap: int) -> tuple[str, bool]:
    """`sparql` with its top-level LIMIT at most `cap`, and whether the cap changed anything.

    Text that is not a recognizable query comes back unchanged (the server reports its error).

    >>> cap_results("SELECT * WHERE { ?s ?p ?o }", 100)
    ('SELECT * WHERE { ?s ?p ?o }\\nLIMIT 100\\n', True)
    >>> cap_results("SELECT * WHERE { ?s ?p ?o } LIMIT 5", 100)
    ('SELECT * WHERE { ?s ?p ?o } LIMIT 5', False)
    >>> cap_results("SELECT * WHERE { ?s ?p ?o } LIMIT 500 OFFSET 2", 100)
    ('SELECT * WHERE { ?s ?p ?o } LIMIT 100 OFFSET 2', True)
    >>> cap_results("ASK { ?s ?p ?o }", 100)
    ('ASK { ?s ?p ?o }', False)
    """
    tokens = _tokens(sparql)
    shape = _shape(tokens)
    if shape is None or shape.form == "ASK":
        return sparql, False
    depth = parens = 0
    values_at = None
    for i in range(shape.where_close + 1, len(tokens)):
        t = tokens[i]
        if t.text == "{":
            depth += 1
        elif t.text == "}":
            depth -= 1
        elif t.text == "(":
            parens += 1
        elif t.text == ")":
            parens -= 1
        elif depth == 0 and parens == 0 and t.kind == "word":
            upper = t.text.upper()
            if upper == "LIMIT" and i + 1 < len(tokens) and tokens[i + 1].kind == "number":
                number = tokens[i + 1]
                if int(float(number.text)) <= cap:
                    return sparql, False
                return sparql[:number.start] + str(cap) + sparql[number.end:], True
            if upper == "VALUES" and values_at is None:
                values_at = t.start
    if values_at is not None:
        return sparql[:values_at] + f"LIMIT {cap}\n" + sparql[values_at:], True
    return sparql + f"\nLIMIT {cap}\n", True


__all__ = ["bind_values", "cap_results", "term_text"]
