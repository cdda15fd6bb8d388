"""The ontology, the closed vocabulary and the SHACL shapes agree with each other and with the data."""
from __future__ import annotations

import re

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from kg.models import ENTITY_PREDICATES, EntityType
from kg.vocab import AIKG, AIKG_IRI
from kg.validate import ONTOLOGY_DIR, load_shapes, validate_graph

ONTOLOGY = ONTOLOGY_DIR / "aikg.ttl"
EXAMPLES = ONTOLOGY_DIR / "examples"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


def _terms(graph: Graph) -> set[str]:
    return {str(s)[len(AIKG_IRI):] for s in graph.subjects()
            if isinstance(s, URIRef) and str(s).startswith(AIKG_IRI) and str(s) != AIKG_IRI}


def test_header_has_version_and_license(ontology):
    header = URIRef(AIKG_IRI)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) is not None
    assert ontology.value(header, DCTERMS.license) is not None


def test_every_term_has_label_definition_and_is_defined_by(ontology):
    missing = [t for t in sorted(_terms(ontology))
               if not all((URIRef(AIKG_IRI + t), p, None) in ontology
                          for p in (RDFS.label, SKOS.definition, RDFS.isDefinedBy))]
    assert missing == []


def test_vocab_does_not_drift_from_the_ontology(ontology):
    assert set(AIKG.__annotations__) == _terms(ontology)


def test_closed_vocabulary_rejects_typos():
    with pytest.raises(AttributeError):
        AIKG.Investmnt  # noqa: B018


def test_prefixes_are_sorted():
    prefixes = re.findall(r"^@prefix (\w*):", ONTOLOGY.read_text(), flags=re.M)
    assert prefixes == sorted(prefixes) and "aikg" in prefixes


def test_every_contract_relation_is_a_direct_property(ontology):
    for name in ENTITY_PREDICATES:
        assert (AIKG[name], RDF.type, OWL.ObjectProperty) in ontology, name


def test_every_entity_type_and_required_class_exists(ontology):
    required = set(EntityType.__args__) | {
        "Organization", "Role", "Event", "Investment", "Acquisition", "AssetSale", "Hiring", "Partnership",
        "SupplyDeal", "FundingRound", "CapexGuidance", "FinancialReport", "ProductRelease",
        "RegulatoryAction", "MonetaryAmount", "Article", "Project", "Statement"}
    for name in sorted(required):
        assert (AIKG[name], RDF.type, OWL.Class) in ontology, name


def test_classes_are_aligned_to_standard_vocabularies(ontology):
    outside = [o for s in ontology.subjects(RDF.type, OWL.Class)
               for p in (RDFS.subClassOf, SKOS.closeMatch, OWL.equivalentClass)
               for o in ontology.objects(s, p) if not str(o).startswith(AIKG_IRI)]
    bases = {re.sub(r"[#/][^#/]*$", "", str(o)) for o in outside}
    assert {"https://schema.org", "http://www.w3.org/ns/org", "http://www.w3.org/ns/prov",
            "http://www.w3.org/2006/time"} <= bases


def test_every_shape_is_named_and_every_constraint_has_a_message():
    shapes = load_shapes()
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, RDFS.label) is not None, shape
        properties = list(shapes.objects(shape, SH.property))
        assert shapes.value(shape, SH.message) is not None or properties, shape
        for prop in properties:
            assert shapes.value(prop, SH.message) is not None, (shape, shapes.value(prop, SH.path))


def test_valid_example_conforms():
    data = Graph().parse(EXAMPLES / "valid.ttl", format="turtle")
    assert validate_graph(data, document="valid.ttl") == []


def test_invalid_example_violates_exactly_the_announced_shapes():
    text = (EXAMPLES / "invalid.ttl").read_text()
    announced = set(re.findall(r"^# (\w+Shape):", text, flags=re.M))
    data = Graph().parse(EXAMPLES / "invalid.ttl", format="turtle")
    violations = validate_graph(data, document="invalid.ttl")
    assert {v.shape.rsplit("/", 1)[-1] for v in violations} == announced
    assert all(v.document == "invalid.ttl" for v in violations)
    capacity = [v for v in violations if "gigawatts" in v.message]
    assert capacity and capacity[0].sentence() == (
        "invalid.ttl: Hyperion: a site's capacity is in gigawatts: a decimal from 0 to 50 "
        "(a larger number is likely megawatts) (value: 5000)")


def test_built_seed_graph_conforms(seed_store):
    from kg.validate import validate_dataset

    assert validate_dataset(seed_store.to_rdflib()) == []


def test_every_term_the_converter_emits_is_declared(ontology, seed_store):
    used = {str(t) for q in seed_store.quads() for t in q[:3] if isinstance(t, URIRef)}
    ours = {t[len(AIKG_IRI):] for t in used if t.startswith(AIKG_IRI) and "/" not in t[len(AIKG_IRI):]}
    assert ours <= _terms(ontology)
