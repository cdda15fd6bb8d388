"""The phrasing suite run through the extractor, asserted at the issue's targets: precision
>= 0.95 and recall >= 0.80 for every relation, no fact from a hard negative, and recall >= 0.70
on the passages with invented names when the gazetteer's entities are switched off.

`FLOORS` keeps each relation at the figures last measured (docs/benchmarks.md), so a change
that costs a relation a fact it used to find fails here even while the target still holds.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluate import evaluate_suite, load_suite
from kg.extract import Extractor
from kg.gazetteer import load_gazetteer

SUITE = Path(__file__).resolve().parent / "phrasings"
TARGET_P, TARGET_R = 0.95, 0.80
# Measured floors (see docs/benchmarks.md); raise them as the extractor improves.
FLOORS = {
    "acquired": (1.00, 0.94), "assetSale": (0.96, 0.87), "capacity": (0.96, 0.96), "capex": (1.00, 0.96),
    "competesWith": (0.97, 0.92), "develops": (1.00, 0.86), "fundingRaised": (0.95, 0.86), "heads": (0.98, 0.95),
    "hired": (0.97, 0.97), "investedIn": (0.98, 0.88), "locatedIn": (0.99, 0.97), "netIncome": (1.00, 0.93),
    "operates": (0.95, 0.91), "partneredWith": (0.97, 0.93), "revenue": (1.00, 0.93), "subsidiaryOf": (0.96, 0.81),
    "supplies": (1.00, 0.81), "valuation": (0.96, 0.90), "worksFor": (1.00, 0.90),
}


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def report(extractor):
    return evaluate_suite(SUITE, extractor)


def test_hard_negatives_yield_nothing(extractor) -> None:
    negatives = [p for p in load_suite(SUITE) if p.relation == "negatives"]
    assert len(negatives) >= 60
    produced = {p.id: [(f.subject, f.predicate, f.object) for f in extractor.extract(p.document()).facts]
                for p in negatives}
    assert {k: v for k, v in produced.items() if v} == {}


@pytest.mark.parametrize("relation", sorted(FLOORS))
def test_relation_floor(report, relation: str) -> None:
    counts = report.per_predicate[relation]
    floor_p, floor_r = FLOORS[relation]
    assert counts.precision >= floor_p, f"{relation}: precision {counts.precision:.2f} < {floor_p}"
    assert counts.recall >= floor_r, f"{relation}: recall {counts.recall:.2f} < {floor_r}"


@pytest.mark.parametrize("relation", sorted(FLOORS))
def test_relation_meets_target(report, relation: str) -> None:
    counts = report.per_predicate[relation]
    assert counts.precision >= TARGET_P, f"{relation}: precision {counts.precision:.3f} < {TARGET_P}"
    assert counts.recall >= TARGET_R, f"{relation}: recall {counts.recall:.3f} < {TARGET_R}"


def test_invented_names_are_found_without_the_gazetteer() -> None:
    blind = Extractor(gazetteer=load_gazetteer(entities=False))
    invented = evaluate_suite(SUITE, blind, invented_only=True).total
    assert invented.recall >= 0.70, f"recall {invented.recall:.3f} with the gazetteer off"
    assert invented.precision >= 0.90, f"precision {invented.precision:.3f} with the gazetteer off"
