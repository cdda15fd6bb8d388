"""The phrasing suite run through the extractor: no fact from a hard negative, and per
relation floors that keep the figures in docs/benchmarks.md from sliding back.

The issue's targets (precision >= 0.95 and recall >= 0.80 for every relation) are not met
yet; `TARGET_P`/`TARGET_R` record them and `test_targets_not_yet_met` lists the relations
below them, so the gap stays visible instead of hidden in a loosened assertion.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.evaluate import evaluate_suite, load_suite
from kg.extract import Extractor

SUITE = Path(__file__).resolve().parent / "phrasings"
TARGET_P, TARGET_R = 0.95, 0.80
# Measured floors (see docs/benchmarks.md); raise them as the extractor improves.
FLOORS = {
    "acquired": (0.90, 0.73), "assetSale": (0.92, 0.73), "capacity": (0.96, 0.96), "capex": (0.86, 0.80),
    "competesWith": (0.90, 0.67), "develops": (0.81, 0.70), "fundingRaised": (0.84, 0.63),
    "heads": (0.96, 0.95), "hired": (0.97, 0.97), "investedIn": (0.94, 0.67), "locatedIn": (0.97, 0.97),
    "netIncome": (0.93, 0.84), "operates": (0.95, 0.91), "partneredWith": (0.80, 0.62),
    "revenue": (0.92, 0.78), "subsidiaryOf": (0.84, 0.57), "supplies": (0.92, 0.49),
    "valuation": (0.93, 0.81), "worksFor": (1.00, 0.75),
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


@pytest.mark.xfail(reason="issue 7 targets (P>=0.95, R>=0.80 per relation) not reached yet", strict=False)
def test_targets_not_yet_met(report) -> None:
    below = {r: (round(c.precision, 2), round(c.recall, 2)) for r, c in report.per_predicate.items()
             if c.precision < TARGET_P or c.recall < TARGET_R}
    assert below == {}


def test_invented_names_are_found_without_the_gazetteer(extractor) -> None:
    invented = evaluate_suite(SUITE, extractor, invented_only=True).total
    assert invented.recall >= 0.65 and invented.precision >= 0.90
