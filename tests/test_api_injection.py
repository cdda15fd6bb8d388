"""Values passed to the Python API never change the query: hostile strings are names, nothing more.

Every helper gets arbitrary text (quotes, `>`, braces, newlines, `\\u0022`, SPARQL keywords)
as an entity name, a question or a bound value. Each call either answers or raises the
documented error, and the store is unchanged afterwards.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kg.ask import UnknownQuestion, answer
from kg.errors import KGError
from kg.graph import EntityNotFound, KnowledgeGraph

HOSTILE = [
    '"} ; DROP ALL ; #', "Meta\" } DROP ALL { \"", "<https://w3id.org/aikg/id/org/meta>", "Meta>", "{ }",
    "Meta\nDROP ALL", "\\u0022) } ; DROP ALL ; #", "' ; CLEAR ALL ; '", "?s ?p ?o", "Meta\" . ?s ?p ?o #",
    "https://w3id.org/aikg/id/event/x> } DROP ALL {", "", " ", "\x00", "Scale AI\\",
]


@pytest.fixture(scope="module")
def kg():
    return KnowledgeGraph.example()


def _snapshot(kg: KnowledgeGraph) -> frozenset:
    return frozenset(kg.store.quads())


def _call_everything(kg: KnowledgeGraph, value: str) -> None:
    for call in (
        lambda: kg.entity(value),
        lambda: kg.investments(investor=value),
        lambda: kg.investments(investee=value),
        lambda: kg.leaders(value),
        lambda: kg.roles(value),
        lambda: kg.sites(operator=value),
        lambda: kg.sites(place=value),
        lambda: kg.events(value),
        lambda: kg.neighbors(value, hops=2),
        lambda: kg.paths(value, "Meta"),
        lambda: kg.sources(value),
    ):
        try:
            call()
        except EntityNotFound as exc:
            assert exc.name == value
    rows = kg.sparql("SELECT ?name ?e WHERE { ?e rdfs:label ?name }", name=value)
    assert all(str(r["name"]) == value for r in rows)
    assert kg.sparql("SELECT ?id ?e WHERE { ?e aikg:entityId ?id }", id=value) == () or value in {"meta", "msl"}
    for question in (f"Who heads {value}?", f"How are {value} and Meta connected?", f"What happened to {value}?"):
        try:
            answer(kg, question)
        except (EntityNotFound, UnknownQuestion):
            pass
        except KGError as exc:  # a date the question parser cannot read is the only other documented error
            assert "cannot read the date" in str(exc)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_names_are_harmless(kg, value):
    before = _snapshot(kg)
    _call_everything(kg, value)
    assert _snapshot(kg) == before


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
       | st.sampled_from(HOSTILE).flatmap(lambda h: st.text(max_size=8).map(lambda t: h + t)))
@example(value='"} ; DROP ALL ; #')
def test_arbitrary_strings_are_harmless(kg, value):
    before = _snapshot(kg)
    _call_everything(kg, value)
    assert _snapshot(kg) == before


def test_a_label_with_quotes_is_found_exactly():
    from kg.example import example_extraction
    from kg.rdf import to_graph

    extraction = example_extraction()
    hostile = '"} ; DROP ALL ; # \\u0022 <x> {y}\nz'
    entity = extraction.entities["scale-ai"].model_copy(update={"aliases": (hostile,)})
    extraction.entities["scale-ai"] = entity
    kg = KnowledgeGraph.build([])
    kg.store.write_document(to_graph(extraction))
    kg.refresh()
    before = _snapshot(kg)
    assert kg.entity(hostile).label == "Scale AI"
    assert [i.investor.label for i in kg.investments(investee=hostile)] == ["Meta"]
    rows = kg.sparql("SELECT ?alias ?e WHERE { ?e skos:altLabel ?alias }", alias=hostile)
    assert [str(r["e"]) for r in rows] == ["https://w3id.org/aikg/id/org/scale-ai"]
    assert _snapshot(kg) == before


def test_no_caller_text_reaches_the_query_text(monkeypatch):
    """Every query the helpers send is one of the module's constant texts: values travel as bindings."""
    kg = KnowledgeGraph.example()
    sent: list[str] = []
    original = kg.store._query

    def recording(sparql, bindings, union):
        sent.append(sparql)
        return original(sparql, bindings, union)

    monkeypatch.setattr(kg.store, "_query", recording)
    marker = 'Zq"} ; DROP ALL ; #\u0022'
    _call_everything(kg, marker)
    for name in ("Meta", "Scale AI", "Alexandr Wang", "Hyperion"):
        kg.neighbors(name, hops=2), kg.events(name, since="2025"), kg.paths(name, "Louisiana")
    assert sent and not [q for q in sent if "Zq" in q or "DROP ALL" in q]
