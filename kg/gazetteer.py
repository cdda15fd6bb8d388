"""The gazetteer and word lists: known entities, role titles and lexicon, loaded from data/."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

# libyaml's loader when PyYAML was built with it: ten times faster on the gazetteer
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from kg.errors import GazetteerError
from kg.models import Entity

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ENTITY_TYPES = {"Company", "Investor", "ResearchLab", "Division", "Product", "Person", "Site", "Place", "Project"}


@dataclass(frozen=True)
class Role:
    """A role title: its canonical form and whether it is the organization's top job."""

    title: str
    heads: bool
    public: bool = False
    """A public office (mayor, governor): it places a person, but in no company."""


@dataclass
class Gazetteer:
    """Known entities with every name they go by, plus the extractor's word lists."""

    entities: dict[str, Entity] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    """Full names (labels and aliases, case-sensitive) -> entity id."""
    short_names: dict[str, str] = field(default_factory=dict)
    """Short forms valid only after the full name appeared in the same document."""
    demonyms: dict[str, str] = field(default_factory=dict)
    """Adjectives of places ("French") -> place id."""
    containers: dict[str, str] = field(default_factory=dict)
    """Place id -> id of the place that contains it."""
    owners: dict[str, str] = field(default_factory=dict)
    """Product or division id -> id of the organization that makes or owns it."""
    roles: dict[str, Role] = field(default_factory=dict)
    """Lower-case role phrase -> Role."""
    lexicon: dict[str, list[str]] = field(default_factory=dict)
    given_names: frozenset[str] = frozenset()
    """First names: "Priya Castellano" is probably a person even if no list knows her."""

    def words(self, key: str) -> frozenset[str]:
        """A lexicon list as a set (empty when the list is absent)."""
        return frozenset(self.lexicon.get(key, ()))


def _load_yaml(path: Path) -> object:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path}: not valid YAML: {exc}") from None


def slug(text: str) -> str:
    """A stable lower-case key for a name.

    >>> slug("Meta Superintelligence Labs")
    'meta-superintelligence-labs'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _add_entry(gaz: Gazetteer, raw: dict, path: Path) -> None:
    if not isinstance(raw, dict) or "label" not in raw or "type" not in raw:
        raise GazetteerError(f"{path}: every entry needs a label and a type, got {raw!r:.80}")
    if raw["type"] not in ENTITY_TYPES:
        raise GazetteerError(f"{path}: unknown type {raw['type']!r} for {raw['label']!r}")
    entity_id = str(raw.get("id") or slug(raw["label"]))
    aliases = tuple(str(a) for a in raw.get("aliases") or ())
    entity = Entity(
        id=entity_id, label=str(raw["label"]), type=raw["type"], aliases=aliases,
        kinds=tuple(str(k).lower() for k in raw.get("kinds") or ()),
    )
    gaz.entities[entity_id] = entity
    for name in (entity.label, *aliases):
        gaz.names.setdefault(name, entity_id)
    for name in raw.get("short") or ():
        gaz.short_names.setdefault(str(name), entity_id)
    if raw["type"] == "Person" and " " in entity.label:
        gaz.short_names.setdefault(entity.label.split()[-1], entity_id)
    for name in org_short_forms(entity.label, raw["type"]):
        gaz.short_names.setdefault(name, entity_id)
    for name in raw.get("demonyms") or ():
        gaz.demonyms[str(name)] = entity_id
    if raw.get("org") and raw["type"] in ("Product", "Division", "ResearchLab"):
        gaz.owners[entity_id] = str(raw["org"])
    if raw.get("in"):
        gaz.containers[entity_id] = str(raw["in"])


GENERIC_NAME_ENDINGS = frozenset({
    "AI", "Labs", "Lab", "Computing", "Technologies", "Technology", "Systems", "Holdings", "Group",
    "Inc", "Inc.", "Corp", "Corp.", "Corporation", "Capital", "Ventures", "Partners", "Networks",
    "Robotics", "Cloud", "Data", "Energy", "Power", "Semiconductor", "Microsystems", "Platforms",
})


def org_short_forms(label: str, entity_type: str) -> list[str]:
    """Short forms an article may use once it has named an organization in full.

    >>> org_short_forms("Ampere Computing", "Company")
    ['Ampere']
    >>> org_short_forms("Quillfeather Robotics Inc.", "Company")
    ['Quillfeather Robotics', 'Quillfeather']
    """
    if entity_type not in ("Company", "Investor"):
        return []
    words = label.split()
    forms = []
    while len(words) > 1 and words[-1] in GENERIC_NAME_ENDINGS:
        words = words[:-1]
        forms.append(" ".join(words))
    return forms


@lru_cache(maxsize=4)
def load_gazetteer(data_dir: Path = DATA_DIR, *, entities: bool = True) -> Gazetteer:
    """Load `data/gazetteer/*.yaml` and `data/patterns/{roles,lexicon}.yaml`.

    With `entities=False` only the word lists are loaded, to measure how the extractor
    does on names it has never seen.
    """
    gaz = Gazetteer()
    if entities:
        for path in sorted((data_dir / "gazetteer").glob("*.yaml")):
            entries = _load_yaml(path) or []
            if not isinstance(entries, list):
                raise GazetteerError(f"{path}: expected a list of entries")
            for raw in entries:
                _add_entry(gaz, raw, path)
    roles = _load_yaml(data_dir / "patterns" / "roles.yaml") or []
    for entry in roles:
        role = Role(str(entry["title"]), bool(entry.get("heads")), bool(entry.get("public")))
        for phrase in entry["phrases"]:
            gaz.roles[str(phrase).lower()] = role
    # A short form never hides a full name: "Microsoft" is Microsoft, not short for "Microsoft AI".
    gaz.short_names = {k: v for k, v in gaz.short_names.items() if k not in gaz.names}
    names_file = data_dir / "gazetteer" / "given_names.txt"
    if names_file.is_file():
        gaz.given_names = frozenset(line.strip() for line in names_file.read_text(encoding="utf-8").splitlines()
                                    if line.strip() and not line.startswith("#"))
    lexicon = _load_yaml(data_dir / "patterns" / "lexicon.yaml") or {}
    gaz.lexicon = {str(k): [str(w) for w in v] for k, v in lexicon.items()}
    return gaz
