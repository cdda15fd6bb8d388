"""Every example query in queries/ runs against a seed-like graph and gives the right answer."""
from __future__ import annotations

import pytest

from kg.errors import QueryError
from kg.queries import QUERIES_DIR, bind, list_queries, load_query, parse_assignments, parse_binding

A, B = "000_meta_asset_sale.txt", "001_meta_sells_assets.txt"


def rows(result, *columns):
    return [tuple(None if r[c] is None else str(r[c]) for c in columns) for r in result.rows]


def check_investors(r):
    assert rows(r, "investor", "amount", "currency", "date", "document") == [("Meta", "14300000000", "USD", "2025-06", A)]


def check_heads(r):
    assert rows(r, "person", "title", "sources") == [("Mark Zuckerberg", "CEO", "2")]


def check_person_roles(r):
    assert rows(r, "organization", "title", "head", "sources") == [("Scale AI", "CEO", "true", "1")]


def check_sites_above(r):
    assert rows(r, "site", "gigawatts", "operator", "place", "document") == [("Hyperion", "5", "Meta", "Louisiana", A)]


def check_company_events(r):
    assert rows(r, "when", "type", "role", "others", "sources") == [
        ("2025", "CapexGuidance", "organization", None, "1"),
        ("2025-06", "Investment", "investor", "Scale AI", "1"),
        ("2025-Q2", "FinancialReport", "organization", None, "1"),
        ("", "AssetSale", "seller", None, "2"),
        ("", "Hiring", "employer", "Alexandr Wang", "1"),
    ]


def check_conflicts(r):
    assert rows(r, "about", "type", "claim", "value1", "document1", "value2", "document2") == [
        ("Meta", "AssetSale", "amount", "2040000000", A, "2000000000", B)]


def check_document_statements(r):
    found = rows(r, "relation", "subject", "object")
    assert len(found) == 14
    assert found[0] == ("assetSale", "Meta", None)
    assert ("investedIn", "Meta", "Scale AI") in found
    first = r.rows[0]
    assert str(first["evidence"]).startswith("Meta reclassified $2.04 billion") and int(first["start"]) == 0


def check_single_source(r):
    found = rows(r, "entity", "document")
    assert ("Facebook", B) in found and ("Scale AI", A) in found
    assert not [e for e, _ in found if e in ("Meta", "Mark Zuckerberg")]
    assert len(found) == 10


def check_direct_graph(r):
    from rdflib import URIRef

    from kg.vocab import AIKG

    g = r.graph
    predicates = {p for p in g.predicates() if str(p).startswith("https://w3id.org/aikg/")}
    assert predicates == {AIKG.investedIn, AIKG.heads, AIKG.worksFor, AIKG.hired, AIKG.operates,
                          AIKG.locatedIn, AIKG.competesWith, AIKG.subsidiaryOf}
    assert (URIRef("https://w3id.org/aikg/id/org/meta"), AIKG.investedIn, URIRef("https://w3id.org/aikg/id/org/scale-ai")) in g
    assert not list(g.subjects(predicate=AIKG.attestedBy))


def check_subsidiaries(r):
    assert rows(r, "unit", "type", "sources") == [("Facebook", "Division", "1"), ("Instagram", "Division", "1")]


def check_competitors(r):
    assert rows(r, "competitor", "sources") == [("OpenAI", "1")]


def check_capex(r):
    assert rows(r, "organization", "period", "amount", "min", "max", "currency", "document") == [
        ("Meta", "2025", None, "66000000000", "72000000000", "USD", A)]


def check_financials(r):
    assert rows(r, "organization", "period", "revenue", "netIncome", "document") == [("Meta", "2025-Q2", "47520000000", None, A)]


def check_asset_sales(r):
    assert rows(r, "seller", "asset", "amount", "document") == [
        ("Meta", "data center assets", "2040000000", A), ("Meta", "non-essential assets", "2000000000", B)]
    assert len({row["event"] for row in r.rows}) == 1


def check_evidence(r):
    found = rows(r, "relation", "subject", "object", "document")
    assert len(found) == 13
    assert ("subsidiaryOf", "Facebook", "Meta", B) in found
    assert rows(r, "confidence")[-1] == ("0.7",)


def check_has_invested(r):
    assert r.boolean is True


def check_most_cited(r):
    assert rows(r, "entity", "type", "sources") == [("Mark Zuckerberg", "Person", "2"), ("Meta", "Company", "2")]


CHECKS = {name[len("check_"):]: f for name, f in globals().items() if name.startswith("check_")}
# parameters the checks need other than the file's defaults (the default document is a real seed file)
GIVEN = {"document_statements": {"document": A}}


def test_there_are_at_least_twelve_queries_and_each_is_checked():
    names = {q.name for q in list_queries()}
    assert len(names) >= 12
    assert names == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_query_answers(seed_store, name):
    query = load_query(QUERIES_DIR / f"{name}.rq")
    assert query.question.endswith("?") or "?" in query.question, "the first comment states the question"
    result = seed_store.query(query.text, bindings=bind(query.text, defaults=query.params, given=GIVEN.get(name)))
    CHECKS[name](result)


def test_bound_values_change_the_answer(seed_store):
    query = load_query(QUERIES_DIR / "sites_above.rq")
    result = seed_store.query(query.text, bindings=bind(query.text, defaults=query.params, given={"min_gw": "0.5"}))
    assert [str(r["site"]) for r in result.rows] == ["Hyperion", "Prometheus"]
    query = load_query(QUERIES_DIR / "has_invested.rq")
    result = seed_store.query(query.text, bindings=bind(query.text, defaults=query.params, given={"company": "OpenAI"}))
    assert result.boolean is False
    query = load_query(QUERIES_DIR / "heads.rq")
    result = seed_store.query(query.text, bindings=bind(query.text, defaults=query.params, given={"organization": "scale"}))
    assert rows(result, "person", "title") == [("Alexandr Wang", "CEO")]  # matched through an alias


def test_parse_binding_and_assignments():
    assert parse_binding("10").datatype.endswith("#integer")
    assert parse_binding("Scale AI").value == "Scale AI"
    assert parse_assignments(["company=Scale AI", "?n=1=2"]) == {"company": "Scale AI", "n": "1=2"}
    with pytest.raises(QueryError, match="NAME=VALUE"):
        parse_assignments(["company"])
    with pytest.raises(QueryError, match="no variable"):
        bind("SELECT ?a WHERE { ?a ?b ?c }", given={"compnay": "Meta"})
