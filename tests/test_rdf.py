"""Facts -> named graphs: stable IRIs, events behind relations, provenance of every statement."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.compare import isomorphic
import rdflib.namespace as ns
from rdflib.namespace import PROV, RDF, RDFS

from conftest import ENTITIES, Extraction, make_document, make_fact
from kg.rdf import (
    SUMMARY_GRAPH, article_iri, date_literal, decimal_literal, document_graph_iri, document_name,
    entity_iri, event_iri, to_graph,
)
from kg.vocab import AIKG

META = entity_iri("meta", "Company")
SCALE = entity_iri("scale-ai", "Company")


def _the(graph, s=None, p=None, o=None):
    found = list(graph.triples((s, p, o)))
    assert len(found) == 1, found
    return found[0]


def test_same_extraction_gives_the_same_graph(doc_a):
    first, second = to_graph(doc_a), to_graph(doc_a)
    assert set(first) == set(second)
    assert first.identifier == document_graph_iri("000_meta_asset_sale.txt")


def test_no_blank_nodes(doc_a):
    from rdflib import BNode

    assert not [t for triple in to_graph(doc_a) for t in triple if isinstance(t, BNode)]


def test_entity_iris_depend_on_the_canonical_id_only():
    assert entity_iri("meta", "Company") == entity_iri("meta", "Investor") == META
    assert entity_iri("meta", "Person") != META
    assert str(entity_iri("a b/c", "Place")) == "https://w3id.org/aikg/id/place/a%20b%2Fc"


def test_document_names_round_trip_through_graph_iris():
    for name in ("000_meta.txt", "with space & ü.md"):
        assert document_name(document_graph_iri(name)) == name
    assert document_name(SUMMARY_GRAPH) is None


def test_article_provenance(doc_a):
    g = to_graph(doc_a)
    article = article_iri(doc_a.document.name)
    assert (article, RDF.type, AIKG.Article) in g
    assert g.value(article, AIKG.sha256) == Literal(doc_a.document.sha256)
    assert g.value(article, AIKG.published) == Literal("2025-08", datatype=ns.XSD.gYearMonth)
    assert str(g.value(article, AIKG.publisherName)) == "Businesstimes"


def test_every_fact_has_a_statement_with_its_evidence(doc_a):
    import kg

    g = to_graph(doc_a)
    statements = set(g.subjects(RDF.type, AIKG.Statement))
    assert len(statements) == len(doc_a.facts)
    text = doc_a.document.text
    for st in statements:
        start, end = int(g.value(st, AIKG.startOffset)), int(g.value(st, AIKG.endOffset))
        assert text[start:end] == str(g.value(st, AIKG.evidence))
        assert str(g.value(st, AIKG.extractorVersion)) == kg.__version__
        assert g.value(st, PROV.wasQuotedFrom) == article_iri(doc_a.document.name)
        assert 0 <= float(g.value(st, AIKG.confidence)) <= 1
        assert (None, AIKG.attestedBy, st) in g


def test_investment_is_an_event_behind_the_direct_relation(doc_a):
    g = to_graph(doc_a)
    assert (META, AIKG.investedIn, SCALE) in g
    event, _, _ = _the(g, None, AIKG.investee, SCALE)
    assert {AIKG.Investment, AIKG.Event} <= set(g.objects(event, RDF.type))
    assert g.value(event, AIKG.investor) == META
    amount = g.value(event, AIKG.amount)
    assert g.value(amount, AIKG.value) == Literal("14300000000", datatype=ns.XSD.decimal)
    assert str(g.value(amount, AIKG.currency)) == "USD"
    assert g.value(event, AIKG.date) == Literal("2025-06", datatype=ns.XSD.gYearMonth)
    statement = g.value(event, AIKG.attestedBy)
    assert (statement, RDF.predicate, AIKG.investedIn) in g
    assert (statement, RDF.object, SCALE) in g


def test_roles_hiring_capacity_and_periods(doc_a):
    g = to_graph(doc_a)
    zuck = entity_iri("mark-zuckerberg", "Person")
    role, _, _ = _the(g, None, AIKG.holder, zuck)
    assert g.value(role, AIKG.organization) == META
    assert str(g.value(role, AIKG.title)) == "CEO"
    assert g.value(role, AIKG.isHead) == Literal(True)
    susan_role = g.value(None, AIKG.holder, entity_iri("susan-li", "Person"))
    assert g.value(susan_role, AIKG.isHead) is None and str(g.value(susan_role, AIKG.title)) == "CFO"

    hiring = g.value(None, AIKG.hiree, entity_iri("alexandr-wang", "Person"))
    assert (hiring, RDF.type, AIKG.Hiring) in g and g.value(hiring, AIKG.employer) == META

    hyperion = entity_iri("hyperion", "Site")
    assert g.value(hyperion, AIKG.capacityGW) == Literal("5", datatype=ns.XSD.decimal)
    assert g.value(entity_iri("prometheus", "Site"), AIKG.capacityDate) == Literal("2026", datatype=ns.XSD.gYear)

    capex = g.value(None, RDF.type, AIKG.CapexGuidance)
    low, high = g.value(capex, AIKG.minAmount), g.value(capex, AIKG.maxAmount)
    assert (g.value(low, AIKG.value), g.value(high, AIKG.value)) == (decimal_literal(66e9), decimal_literal(72e9))
    report = g.value(None, RDF.type, AIKG.FinancialReport)
    quarter = g.value(report, AIKG.period)
    assert str(g.value(quarter, RDFS.label)) == "2025-Q2"
    begin, end = g.value(quarter, ns.TIME.hasBeginning), g.value(quarter, ns.TIME.hasEnd)
    assert str(g.value(begin, ns.TIME.inXSDDate)) == "2025-04-01" and str(g.value(end, ns.TIME.inXSDDate)) == "2025-06-30"


def test_two_reports_of_one_asset_sale_share_the_event_and_keep_their_amounts(doc_a, doc_b):
    ga, gb = to_graph(doc_a), to_graph(doc_b)
    sale_a = ga.value(None, AIKG.seller, META)
    sale_b = gb.value(None, AIKG.seller, META)
    assert sale_a == sale_b
    amount = lambda g, e: g.value(g.value(e, AIKG.amount), AIKG.value)  # noqa: E731
    assert amount(ga, sale_a) == Literal("2040000000", datatype=ns.XSD.decimal)
    assert amount(gb, sale_b) == Literal("2000000000", datatype=ns.XSD.decimal)


def test_event_keys_ignore_amounts_and_symmetric_order_but_not_periods(doc_a):
    doc = doc_a.document
    sentence = doc.text.split(". ")[0]
    a = make_fact(doc, sentence, "meta", "assetSale", amount_usd=1e9, asset="x")
    b = make_fact(doc, sentence, "meta", "assetSale", amount_usd=3e9, asset="y")
    assert event_iri(a) == event_iri(b)
    p1 = make_fact(doc, sentence, "meta", "partneredWith", "openai")
    p2 = make_fact(doc, sentence, "openai", "partneredWith", "meta")
    assert event_iri(p1) == event_iri(p2)
    q1 = make_fact(doc, sentence, "meta", "revenue", amount_usd=1e9, period="2025-Q1")
    q2 = make_fact(doc, sentence, "meta", "netIncome", amount_usd=1e8, period="2025-Q1")
    q3 = make_fact(doc, sentence, "meta", "revenue", amount_usd=1e9, period="2025-Q2")
    assert event_iri(q1) == event_iri(q2) != event_iri(q3)
    assert event_iri(make_fact(doc, sentence, "meta", "competesWith", "openai")) is None


def test_a_document_without_facts_still_records_its_article():
    doc = make_document("empty.txt", "Nothing to see.")
    g = to_graph(Extraction(doc))
    assert set(g.subjects()) == {article_iri("empty.txt")}


def test_non_usd_amounts_and_percentages():
    doc = make_document("eur.txt", "ASML invested EUR 1.3 billion in Mistral for an 11% stake.")
    fact = make_fact(doc, doc.text, "meta", "investedIn", "scale-ai", amount_usd=1.5e9, amount=1.3e9,
                     currency="EUR", percent=11)
    g = to_graph(Extraction(doc, [fact], {k: ENTITIES[k] for k in ("meta", "scale-ai")}))
    event = g.value(None, RDF.type, AIKG.Investment)
    currencies = {str(g.value(a, AIKG.currency)): str(g.value(a, AIKG.value)) for a in g.objects(event, AIKG.amount)}
    assert currencies == {"USD": "1500000000", "EUR": "1300000000"}
    assert g.value(event, AIKG.percent) == Literal("11", datatype=ns.XSD.decimal)


def test_literals():
    assert str(decimal_literal(2.04e9)) == "2040000000"
    assert str(decimal_literal(0.1)) == "0.1"
    assert str(decimal_literal(5)) == "5"
    assert date_literal("2025-07-30").datatype == ns.XSD.date
    assert date_literal("2025").datatype == ns.XSD.gYear
    assert date_literal("mid-2025").datatype is None


def test_graphs_of_different_builds_are_isomorphic(doc_a):
    assert isomorphic(to_graph(doc_a), to_graph(doc_a))
    assert URIRef("https://w3id.org/aikg/id/org/meta") == META


def test_doctests_of_the_graph_modules():
    import doctest
    import importlib

    for name in ("kg.rdf", "kg.store", "kg.queries"):
        result = doctest.testmod(importlib.import_module(name))
        assert result.attempted > 0 and result.failed == 0, name


def test_two_rules_reading_one_fact_make_two_statements(doc_a):
    fact = doc_a.facts[0]
    twin = fact.model_copy(update={"pattern": "another-rule", "confidence": 0.6})
    g = to_graph(Extraction(doc_a.document, [fact, twin], doc_a.entities))
    statements = set(g.subjects(RDF.type, AIKG.Statement))
    assert len(statements) == 2
    assert sorted(str(g.value(st, AIKG.confidence)) for st in statements) == ["0.6", "0.9"]
