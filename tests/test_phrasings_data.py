"""Sanity checks for the hand-written phrasing suite in tests/phrasings/.

These tests only check the data (format, coverage, internal consistency).
Running the extractor on the suite is a separate test.
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

PHRASINGS = Path(__file__).parent / "phrasings"

ENTITY_RELATIONS = {
    "investedIn", "acquired", "partneredWith", "supplies", "competesWith",
    "subsidiaryOf", "heads", "worksFor", "hired", "operates", "locatedIn",
    "develops",
}
VALUE_RELATIONS = {
    "assetSale", "capex", "revenue", "netIncome", "valuation",
    "fundingRaised", "capacity",
}
RELATIONS = ENTITY_RELATIONS | VALUE_RELATIONS

NUMERIC_FIELDS = {"amount_usd", "amount_usd_min", "amount_usd_max", "gigawatts", "percent"}
TEXT_FIELDS = {"role", "asset", "period", "date"}
VALUE_FIELDS = NUMERIC_FIELDS | TEXT_FIELDS

PERIOD_RE = re.compile(r"^(FY)?\d{4}(-(Q[1-4]|H[12]))?$")
DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
ISO_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Phrasing families that must be exercised somewhere in the suite.
REQUIRED_FAMILIES = {
    "active", "passive", "nominal", "appositive", "possessive",
    "relative-clause", "coordination", "led-by", "backed", "co-led",
    "deal-valued-at", "agreed-to-buy", "completed", "poached", "joins-as",
    "named-ceo", "steps-down", "coreference", "long-distance",
    "county-parish-state", "surname-backref",
}
# Kinds of hard negatives that must appear in negatives.jsonl.
REQUIRED_NEGATIVE_KINDS = {
    "rumour", "denial", "talks", "considering", "analyst-expectation",
    "hypothetical-could", "collapsed", "conditional", "negation",
    "side-by-side", "future-intention",
}

MIN_PASSAGES = 25
MIN_INVENTED = 8
MIN_NEGATIVES = 60


def _load(path: Path) -> list[dict]:
    records = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:  # pragma: no cover - failure path
                pytest.fail(f"{path.name}:{lineno}: invalid JSON: {exc}")
            rec["_file"] = path.stem
            rec["_line"] = lineno
            records.append(rec)
    return records


@pytest.fixture(scope="module")
def suite() -> dict[str, list[dict]]:
    files = sorted(PHRASINGS.glob("*.jsonl"))
    assert files, "no phrasing files found"
    return {p.stem: _load(p) for p in files}


def _all(suite):
    for recs in suite.values():
        yield from recs


def _where(rec) -> str:
    return f"{rec['_file']}:{rec['_line']} ({rec.get('id')})"


def test_expected_files_present(suite):
    expected = RELATIONS | {"negatives"}
    assert set(suite) == expected, f"missing: {expected - set(suite)}, unexpected: {set(suite) - expected}"


def test_record_shape(suite):
    for rec in _all(suite):
        for key, typ in (("id", str), ("family", str), ("text", str), ("published", str),
                         ("invented", bool), ("gold", list)):
            assert isinstance(rec.get(key), typ), f"{_where(rec)}: field {key!r} missing or not {typ.__name__}"
        assert rec["text"].strip(), f"{_where(rec)}: empty text"
        assert ISO_DAY_RE.match(rec["published"]), f"{_where(rec)}: published must be YYYY-MM-DD"
        assert rec["id"].startswith(rec["_file"] + "-"), f"{_where(rec)}: id must start with file name"
        extra = set(rec) - {"id", "family", "text", "published", "invented", "gold", "_file", "_line"}
        assert not extra, f"{_where(rec)}: unexpected keys {extra}"


def test_unique_ids_and_texts(suite):
    ids = Counter(rec["id"] for rec in _all(suite))
    dup = [i for i, n in ids.items() if n > 1]
    assert not dup, f"duplicate ids: {dup}"
    texts = Counter(rec["text"].strip() for rec in _all(suite))
    dup_t = [t for t, n in texts.items() if n > 1]
    assert not dup_t, f"duplicate passages: {dup_t}"


def _check_names(rec, names, what):
    assert isinstance(names, list) and names, f"{_where(rec)}: {what} must be a non-empty list"
    for n in names:
        assert isinstance(n, str) and n.strip(), f"{_where(rec)}: {what} has an empty name"
    assert len(set(names)) == len(names), f"{_where(rec)}: duplicate alias in {what}"
    low = rec["text"].lower()
    assert any(n.lower() in low for n in names), f"{_where(rec)}: no alias of {what} {names} occurs in the text"


def test_gold_facts_valid(suite):
    for rec in _all(suite):
        for fact in rec["gold"]:
            assert set(fact) <= {"subject", "predicate", "object", "value", "optional"}, f"{_where(rec)}: bad keys {set(fact)}"
            pred = fact.get("predicate")
            assert pred in RELATIONS, f"{_where(rec)}: unknown predicate {pred!r}"
            _check_names(rec, fact.get("subject"), "subject")
            value = fact.get("value", {})
            assert isinstance(value, dict), f"{_where(rec)}: value must be an object"
            assert set(value) <= VALUE_FIELDS, f"{_where(rec)}: unknown value fields {set(value) - VALUE_FIELDS}"
            for k, v in value.items():
                if k in NUMERIC_FIELDS:
                    assert isinstance(v, (int, float)) and not isinstance(v, bool), f"{_where(rec)}: {k} must be a number"
                    if k != "amount_usd" or pred != "netIncome":
                        assert v > 0, f"{_where(rec)}: {k} must be positive"
                else:
                    assert isinstance(v, str) and v.strip(), f"{_where(rec)}: {k} must be a non-empty string"
            if "period" in value:
                assert PERIOD_RE.match(value["period"]), f"{_where(rec)}: bad period {value['period']!r}"
            if "date" in value:
                assert DATE_RE.match(value["date"]), f"{_where(rec)}: bad date {value['date']!r}"
            if "percent" in value:
                assert 0 < value["percent"] <= 100, f"{_where(rec)}: percent out of range"
            if "optional" in fact:
                assert fact["optional"] is True, f"{_where(rec)}: optional must be true when present"
            if pred in ENTITY_RELATIONS:
                _check_names(rec, fact.get("object"), "object")
                assert fact["subject"][0] != fact["object"][0], f"{_where(rec)}: subject equals object"
            else:
                assert fact.get("object") is None, f"{_where(rec)}: value fact {pred} must have object null"
                if pred == "capacity":
                    assert "gigawatts" in value, f"{_where(rec)}: capacity needs gigawatts"
                elif pred == "capex":
                    has_range = "amount_usd_min" in value and "amount_usd_max" in value
                    assert "amount_usd" in value or has_range, f"{_where(rec)}: capex needs amount_usd or a range"
                    if has_range:
                        assert value["amount_usd_min"] <= value["amount_usd_max"], f"{_where(rec)}: bad range"
                else:
                    assert "amount_usd" in value, f"{_where(rec)}: {pred} needs amount_usd"
                if pred in {"capex", "revenue", "netIncome"}:
                    assert "period" in value or fact.get("optional"), f"{_where(rec)}: {pred} needs a period"
                if pred in {"valuation", "fundingRaised"}:
                    assert "date" in value, f"{_where(rec)}: {pred} needs a date"
                if pred == "assetSale":
                    assert "asset" in value, f"{_where(rec)}: assetSale needs an asset"


def test_no_duplicate_facts_within_passage(suite):
    for rec in _all(suite):
        seen = set()
        for fact in rec["gold"]:
            key = (fact["subject"][0].lower(), fact["predicate"],
                   (fact["object"] or [""])[0].lower(), json.dumps(fact.get("value", {}), sort_keys=True))
            assert key not in seen, f"{_where(rec)}: duplicate gold fact {key}"
            seen.add(key)


@pytest.mark.parametrize("relation", sorted(RELATIONS))
def test_relation_file_coverage(suite, relation):
    recs = suite.get(relation, [])
    assert len(recs) >= MIN_PASSAGES, f"{relation}: {len(recs)} passages < {MIN_PASSAGES}"
    invented = sum(r["invented"] for r in recs)
    assert invented >= MIN_INVENTED, f"{relation}: {invented} invented passages < {MIN_INVENTED}"
    for rec in recs:
        required = [f for f in rec["gold"] if f["predicate"] == relation and not f.get("optional")]
        assert required, f"{_where(rec)}: passage states no required {relation} fact"
    families = {r["family"] for r in recs}
    assert len(families) >= 5, f"{relation}: only {len(families)} phrasing families"
    assert "active" in families or relation in VALUE_RELATIONS, f"{relation}: no active-voice passage"


def test_negatives(suite):
    recs = suite["negatives"]
    assert len(recs) >= MIN_NEGATIVES, f"{len(recs)} negatives < {MIN_NEGATIVES}"
    for rec in recs:
        assert rec["gold"] == [], f"{_where(rec)}: a negative must have empty gold"
    kinds = {r["family"] for r in recs}
    missing = REQUIRED_NEGATIVE_KINDS - kinds
    assert not missing, f"negative kinds missing: {missing}"


def test_required_families_present(suite):
    families = defaultdict(int)
    for name, recs in suite.items():
        if name == "negatives":
            continue
        for rec in recs:
            families[rec["family"]] += 1
    missing = REQUIRED_FAMILIES - set(families)
    assert not missing, f"phrasing families missing: {missing}"


def test_family_names_are_known(suite):
    known = REQUIRED_FAMILIES | REQUIRED_NEGATIVE_KINDS | {"list", "headline", "quote", "percent", "range", "fiscal-period", "unit-conversion", "dubbed"}
    for rec in _all(suite):
        assert rec["family"] in known, f"{_where(rec)}: unknown family {rec['family']!r}"
