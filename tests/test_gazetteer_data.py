"""Sanity checks for the gazetteer data files (data/gazetteer/*.yaml).

Uses only PyYAML and the files themselves, so it runs before any extractor code exists.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

GAZETTEER_DIR = Path(__file__).resolve().parents[1] / "data" / "gazetteer"
EXPECTED_FILES = [
    "companies.yaml",
    "investors.yaml",
    "labs.yaml",
    "products.yaml",
    "sites.yaml",
    "people.yaml",
    "places.yaml",
]
TYPES = {"Company", "Investor", "ResearchLab", "Division", "Product", "Person", "Site", "Place", "Project"}
ORG_TYPES = {"Company", "Investor", "ResearchLab", "Division"}
KNOWN_KEYS = {"id", "label", "type", "aliases", "short", "kinds", "demonyms", "in", "operator", "place", "org"}
LIST_KEYS = ("aliases", "short", "kinds", "demonyms")
REF_KEYS = ("in", "operator", "place", "org")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def files() -> dict[str, list[dict]]:
    return {p.name: _load(p) for p in sorted(GAZETTEER_DIR.glob("*.yaml"))}


@pytest.fixture(scope="module")
def entries(files) -> list[dict]:
    return [e for data in files.values() for e in data]


@pytest.fixture(scope="module")
def by_id(entries) -> dict[str, dict]:
    return {e["id"]: e for e in entries}


def _names(entry: dict) -> list[str]:
    """Names that are always matched: the label and the aliases."""
    return [entry["label"], *(entry.get("aliases") or [])]


def test_expected_files_present():
    present = {p.name for p in GAZETTEER_DIR.glob("*.yaml")}
    assert set(EXPECTED_FILES) <= present


@pytest.mark.parametrize("name", EXPECTED_FILES)
def test_file_parses_to_list_of_mappings(name):
    data = _load(GAZETTEER_DIR / name)
    assert isinstance(data, list) and data, f"{name} must be a non-empty YAML list"
    for e in data:
        assert isinstance(e, dict), f"{name}: entry is not a mapping: {e!r}"


def test_entry_shape(entries):
    problems = []
    for e in entries:
        ident = e.get("id")
        for key in ("id", "label", "type"):
            if not isinstance(e.get(key), str) or not e[key].strip():
                problems.append(f"{ident}: missing or empty {key}")
        if e.get("type") not in TYPES:
            problems.append(f"{ident}: bad type {e.get('type')!r}")
        unknown = set(e) - KNOWN_KEYS
        if unknown:
            problems.append(f"{ident}: unknown keys {sorted(unknown)}")
        for key in LIST_KEYS:
            value = e.get(key, [])
            if value is None:
                value = []
            if not isinstance(value, list):
                problems.append(f"{ident}: {key} must be a list")
                continue
            for item in value:
                # catches YAML surprises such as NO -> False or 1.5 -> float
                if not isinstance(item, str) or not item.strip() or item != item.strip():
                    problems.append(f"{ident}: bad {key} item {item!r}")
        for key in REF_KEYS:
            if key in e and not isinstance(e[key], str):
                problems.append(f"{ident}: {key} must be an id string")
        if "demonyms" in e and e.get("type") != "Place":
            problems.append(f"{ident}: demonyms only make sense on places")
    assert not problems, "\n".join(problems)


def test_ids_unique_and_slug_shaped(entries):
    ids = [e["id"] for e in entries]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate ids: {dupes}"
    bad = [i for i in ids if not SLUG.match(i)]
    assert not bad, f"ids not slug-shaped: {bad}"


def test_no_name_collisions_across_entries(entries):
    """A label/alias/demonym must identify exactly one entry."""
    owners: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        for name in [*_names(e), *(e.get("demonyms") or [])]:
            owners[name].add(e["id"])
    clashes = {n: sorted(ids) for n, ids in owners.items() if len(ids) > 1}
    assert not clashes, f"names shared by several entries: {clashes}"


def test_no_duplicate_names_within_entry(entries):
    problems = []
    for e in entries:
        for names in ([*_names(e), *(e.get("demonyms") or [])], e.get("short") or []):
            dupes = [n for n, c in Counter(names).items() if c > 1]
            if dupes:
                problems.append(f"{e['id']}: repeated names {dupes}")
    assert not problems, "\n".join(problems)


def _auto_surname(entry: dict) -> str | None:
    """The loader (kg.gazetteer) adds a person's last label word as a short form."""
    if entry["type"] == "Person" and " " in entry["label"]:
        return entry["label"].split()[-1]
    return None


def test_person_surnames_do_not_steal_other_names(files):
    """A surname short form would win over an identical full name of another entry.

    The loader keeps the first short form registered (files load in name order), so an
    organization named like a person's surname ("Dell" / Michael Dell) must list its own
    name in `short` to keep it.
    """
    first_short: dict[str, str] = {}
    owners: dict[str, str] = {}
    for name in sorted(files):
        for e in files[name]:
            for n in _names(e):
                owners.setdefault(n, e["id"])
            for s in [*(e.get("short") or []), *([_auto_surname(e)] if _auto_surname(e) else [])]:
                first_short.setdefault(s, e["id"])
    problems = [
        f"short {s!r} goes to {eid} but is the name of {owners[s]}"
        for s, eid in first_short.items()
        if s in owners and owners[s] != eid
    ]
    assert not problems, "\n".join(problems)


def test_upper_case_variants_do_not_collide(entries):
    """The matcher also matches names longer than 3 characters in upper case (headlines)."""
    owners = {n: e["id"] for e in entries for n in _names(e)}
    problems = [
        f"{n!r} of {i} upper-cases to {n.upper()!r} of {owners[n.upper()]}"
        for n, i in owners.items()
        if len(n) > 3 and not n.isupper() and owners.get(n.upper(), i) != i
    ]
    assert not problems, "\n".join(problems)


def test_kinds_include_head_nouns(entries):
    """The extractor resolves "the search giant" by its head noun ("giant")."""
    problems = [
        f"{e['id']}: kind {k!r} without its head noun"
        for e in entries
        for k in (e.get("kinds") or [])
        if " " in k and k.split()[-1] not in e["kinds"]
    ]
    assert not problems, "\n".join(problems)


def test_generic_org_nouns_cover_their_type(entries):
    """"the company" prefers entries whose kinds contain "company": give it to all or none."""
    expected = {"Company": "company", "Investor": "investor", "Division": "unit", "ResearchLab": "lab"}
    problems = [
        f"{e['id']}: kinds lack {expected[e['type']]!r}"
        for e in entries
        if e["type"] in expected and expected[e["type"]] not in (e.get("kinds") or [])
    ]
    assert not problems, "\n".join(problems)


def test_short_forms_do_not_shadow_full_names(entries):
    """A short form must not be another entry's label or alias (it would never be reached)."""
    owners: dict[str, str] = {}
    for e in entries:
        for name in _names(e):
            owners[name] = e["id"]
    problems = [
        f"{e['id']}: short {s!r} is a name of {owners[s]}"
        for e in entries
        for s in (e.get("short") or [])
        if s in owners and owners[s] != e["id"]
    ]
    assert not problems, "\n".join(problems)


def test_matched_names_are_not_lowercase_words(entries):
    """Matching is case-sensitive: aliases and short forms need a capital letter or a digit."""
    problems = []
    for e in entries:
        for key in ("aliases", "short", "demonyms"):
            for name in e.get(key) or []:
                if not any(c.isupper() or c.isdigit() for c in name):
                    problems.append(f"{e['id']}: {key} {name!r} is all lowercase")
    assert not problems, "\n".join(problems)


def test_kinds_are_lowercase(entries):
    problems = [
        f"{e['id']}: kind {k!r}"
        for e in entries
        for k in (e.get("kinds") or [])
        if k != k.lower()
    ]
    assert not problems, "\n".join(problems)


def test_references_point_to_existing_ids(entries, by_id):
    problems = []
    for e in entries:
        for key in REF_KEYS:
            ref = e.get(key)
            if ref is not None and ref not in by_id:
                problems.append(f"{e['id']}: {key} -> unknown id {ref!r}")
    assert not problems, "\n".join(problems)


def test_reference_targets_have_sensible_types(entries, by_id):
    problems = []
    for e in entries:
        if "in" in e and by_id[e["in"]]["type"] != "Place":
            problems.append(f"{e['id']}: in -> {e['in']} is not a Place")
        if "place" in e and by_id[e["place"]]["type"] != "Place":
            problems.append(f"{e['id']}: place -> {e['place']} is not a Place")
        for key in ("operator", "org"):
            if key in e and by_id[e[key]]["type"] not in ORG_TYPES:
                problems.append(f"{e['id']}: {key} -> {e[key]} is not an organization")
    assert not problems, "\n".join(problems)


def test_place_containment_has_no_cycles(entries, by_id):
    for e in entries:
        seen = {e["id"]}
        cur = e.get("in")
        while cur is not None:
            assert cur not in seen, f"containment cycle through {cur}"
            seen.add(cur)
            cur = by_id[cur].get("in")


def test_coverage(entries):
    counts = Counter(e["type"] for e in entries)
    orgs = sum(counts[t] for t in ORG_TYPES)
    assert orgs >= 250, counts
    assert counts["Person"] >= 100, counts
    assert counts["Product"] >= 80, counts
    assert counts["Site"] + counts["Project"] >= 30, counts
    assert counts["Place"] >= 200, counts


@pytest.mark.parametrize(
    "name, expected_id",
    [
        ("Meta", "meta"),
        ("Meta Platforms", "meta"),
        ("Scale AI", "scale-ai"),
        ("OpenAI", "openai"),
        ("Google", "google"),
        ("Alphabet", "alphabet"),
        ("Microsoft", "microsoft"),
        ("Apple", "apple"),
        ("Instagram", "instagram"),
        ("WhatsApp", "whatsapp"),
        ("Facebook", "facebook"),
        ("YouTube", "youtube"),
        ("Meta Superintelligence Labs", "msl"),
        ("Llama 4", "llama-4"),
        ("Hyperion", "hyperion"),
        ("Prometheus", "prometheus"),
        ("Louisiana", "louisiana"),
        ("Manhattan", "manhattan"),
        ("Silicon Valley", "silicon-valley"),
        ("Mark Zuckerberg", "mark-zuckerberg"),
        ("Susan Li", "susan-li"),
        ("Alexandr Wang", "alexandr-wang"),
        ("SoftBank Group", "softbank"),
        ("a16z", "a16z"),
        ("Arm Holdings", "arm"),
        ("Amazon Web Services", "aws"),
        ("Microsoft Azure", "azure"),
        ("DeepMind", "google-deepmind"),
        ("FAIR", "fair"),
        ("The Stargate Project", "stargate"),
        ("The Netherlands", "netherlands"),
        ("U.S.", "united-states"),
    ],
)
def test_known_names_resolve(entries, name, expected_id):
    hits = {e["id"] for e in entries if name in _names(e)}
    assert hits == {expected_id}


def test_ambiguous_words_only_as_short_forms(by_id):
    assert "Scale" in by_id["scale-ai"].get("short", [])
    assert "Scale" not in _names(by_id["scale-ai"])
    assert "Zuckerberg" in by_id["mark-zuckerberg"].get("short", [])


def test_place_demonyms(by_id):
    assert "French" in by_id["france"]["demonyms"]
    assert "Dutch" in by_id["netherlands"]["demonyms"]
    assert by_id["richland-parish"]["in"] == "louisiana"


def test_us_states_complete(entries):
    states = [e for e in entries if e["type"] == "Place" and e.get("in") == "united-states"
              and e["id"] not in {"pacific-northwest", "midwest", "silicon-prairie"}]
    # 50 states plus the District of Columbia
    assert len(states) == 51, sorted(e["id"] for e in states)
