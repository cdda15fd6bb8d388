"""Lexical SPARQL edits: VALUES for bound values on remote stores, LIMIT for the endpoint's result cap."""
from __future__ import annotations

import doctest
import importlib

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryError
from kg.sparqltext import bind_values, cap_results


@pytest.mark.parametrize("name", ["kg.sparqltext", "kg.remote", "kg.synthetic"])
def test_doctests(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0


def _run(sparql: str) -> list:
    store = ox.Store()
    store.update("INSERT DATA { <urn:a> <urn:p> 'x' . <urn:b> <urn:p> 'y' . <urn:c> <urn:q> '{' }")
    return sorted(str(s[0]) for s in store.query(sparql))


@pytest.mark.parametrize("sparql", [
    "SELECT ?s WHERE { ?s ?p ?o }",
    "SELECT ?s { ?s ?p ?o }",
    "PREFIX ex: <urn:x#> SELECT ?s # a { comment\n WHERE { ?s ?p ?o . FILTER(?o != '}') }",
    "SELECT ?s (EXISTS { ?s <urn:q> ?z } AS ?q) WHERE { ?s ?p ?o } ORDER BY ?s",
    "SELECT ?s WHERE { { SELECT ?s ?o WHERE { ?s ?p ?o } } }",
])
def test_bound_values_select_the_same_rows_as_a_filter(sparql):
    bound = bind_values(sparql, {"o": Literal("x")})
    assert _run(bound) == ["<urn:a>"]


def test_values_are_terms_never_query_text():
    evil = "x' } UNION { ?s ?p ?o } #"
    assert _run(bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"o": evil})) == []
    assert "VALUES (?s) { (<urn:a>) }" in bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef("urn:a")})
    with pytest.raises(QueryError):
        bind_values("SELECT ?s WHERE { ?s ?p ?o }", {"bad name": 1})
    with pytest.raises(QueryError, match="no WHERE group"):
        bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": URIRef("urn:a")})


@pytest.mark.parametrize("sparql, rows", [
    ("SELECT ?s WHERE { ?s ?p ?o }", 2),
    ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", 1),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 100 OFFSET 1", 2),
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 50 } } VALUES ?s { <urn:a> <urn:b> <urn:c> }", 2),
    ("SELECT ?s WHERE { ?s ?p ?o } # LIMIT 1000", 2),
])
def test_cap_limits_top_level_results(sparql, rows):
    capped, _ = cap_results(sparql, 2)
    assert len(_run(capped)) == rows


def test_cap_leaves_what_it_does_not_understand():
    assert cap_results("SELEC nonsense", 5) == ("SELEC nonsense", False)
    assert cap_results("ASK { ?s ?p ?o }", 5) == ("ASK { ?s ?p ?o }", False)
