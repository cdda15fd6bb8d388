"""Documents -> facts: spaCy rules over a gazetteer, entity discovery, coreference and patterns.

The flow for one document:

1. tokenize and split sentences (blank English, `kg.pipeline`);
2. find mentions: gazetteer names, role titles, amounts, capacities, percentages and
   dates (`kg.normalize`), and names the gazetteer lacks (organization suffixes,
   capitalized spans, names after role titles);
3. resolve references: short forms and surnames to the full name seen earlier,
   "the company", "the chipmaker", "its", "he" to the salient organization or person;
4. rewrite each sentence as units and run the relation patterns of
   `data/patterns/relations.yaml` (`kg.patterns`), dropping negated and hedged matches;
5. turn matches into `Fact` records with the evidence sentence and its offsets.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy
from spacy.attrs import IS_DIGIT, IS_LOWER, IS_PUNCT, IS_SPACE, LOWER, ORTH
from spacy.strings import StringStore, hash_string
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.gazetteer import DATA_DIR, Gazetteer, Role, load_gazetteer, org_short_forms, slug
from kg.models import Document, Entity, Fact, FactValue
from kg.normalize import Money, find_money, find_percent, find_periods, find_power
from kg.patterns import Pattern, load_patterns
from kg.pipeline import Matchers, Sentence, blank_pipeline, tokens_and_sentences

PATTERNS_FILE = DATA_DIR / "patterns" / "relations.yaml"
KIND_OF_TYPE = {
    "Company": "ORG", "Investor": "ORG", "Project": "ORG", "ResearchLab": "DIV", "Division": "DIV",
    "Person": "PER", "Product": "PROD", "Site": "SITE", "Place": "PLACE",
}
TYPE_OF_SLOT = {"ORG": "Company", "DIV": "Division", "PER": "Person", "PROD": "Product",
                "SITE": "Site", "PLACE": "Place"}
# Which kinds each predicate accepts as subject and object.
SIGNATURES: dict[str, tuple[set[str], set[str]]] = {
    "supplyDeal": ({"ORG", "DIV"}, {"ORG", "DIV"}),
    "investedIn": ({"ORG", "DIV"}, {"ORG", "DIV", "SITE"}),
    "acquired": ({"ORG", "DIV"}, {"ORG", "DIV", "PROD", "SITE"}),
    "partneredWith": ({"ORG", "DIV"}, {"ORG", "DIV"}),
    "supplies": ({"ORG", "DIV", "PROD"}, {"ORG", "DIV", "SITE"}),
    "competesWith": ({"ORG", "DIV", "PROD"}, {"ORG", "DIV", "PROD"}),
    "subsidiaryOf": ({"ORG", "DIV", "PROD"}, {"ORG", "DIV"}),
    "heads": ({"PER"}, {"ORG", "DIV"}),
    "worksFor": ({"PER"}, {"ORG", "DIV"}),
    "hired": ({"ORG", "DIV"}, {"PER"}),
    "operates": ({"ORG", "DIV"}, {"SITE"}),
    "locatedIn": ({"SITE", "ORG", "DIV"}, {"PLACE"}),
    "develops": ({"ORG", "DIV"}, {"PROD", "DIV"}),
}
VALUE_SUBJECTS = {"capacity": {"SITE", "ORG"}}
# The kind an unknown name takes in a slot that allows several: what draws gigawatts is a site.
UNKNOWN_NAME_SLOT = {"capacity": "SITE"}
PREPOSITIONS = frozenset({"from", "by", "with", "including", "like", "to", "of", "at", "for", "as", "than",
                          "against", "between", "among", "in", "into", "over", "on", "about", "behind",
                          "after", "under", "within", "across", "alongside", "and"})
# Words before a name that ask for a place: "based in", "built near", "moved its headquarters to".
PLACE_CUE = re.compile(r"\b(?:based|headquartered|located|situated|sited|built|construction|rising|rise|rises|sits|sit|"
                       r"relocated|relocating|moved|headquarters|offices|hq) (?:in|near|outside|to)$|^(?:\S+ )?(?:near|outside)$")
# Titles that name a company's officer even when no company is named in the sentence.
TOPIC_TITLES = frozenset({"CEO", "CFO", "COO", "CTO", "Chief", "interim"})
SPEECH_VERBS = frozenset({"said", "says", "told", "wrote", "added", "noted", "stated", "announced", "explained"})
UNIT_WORDS = frozenset({"projects", "project", "efforts", "effort", "unit", "division", "lab", "labs", "team",
                        "group", "business", "arm", "operations", "initiative", "push"})
GENERIC_UNIT_NAME_WORDS = frozenset({"labs", "lab", "research", "ai", "group", "team", "unit", "division",
                                     "the", "of", "and", "&"})
# Words that end a role title's "of ..." part: "head of research at Orrinwell".
ROLE_STOP = frozenset({"at", "in", "on", "with", "from", "to", "by", "who", "which", "that", "since", "until",
                       "after", "before", "where", "when", "said", "says", "told", "is", "was", "will", "has"})
LEGAL_SUFFIXES = {"Inc", "Corp", "Corporation", "Co", "Ltd", "LLC", "PLC", "plc", "AG", "SA", "SE", "NV", "N.V", "GmbH",
                  "Limited", "ASA", "AB", "Oyj", "BV", "KK", "SpA", "S.p.A", "S.A", "Pte", "AS", "A/S", "Company"}
NAMED_UNIT = Pattern(id="name.unit-of-parent", regex=re.compile("$^"), emit=(("s", "subsidiaryOf", "o"),),
                     presupposed=True, confidence=0.7)
"""The rule behind subsidiaryOf facts read from a unit's name."""
NAMED_SITE = Pattern(id="name.site-in-place", regex=re.compile("$^"), emit=(("s", "locatedIn", "o"),),
                     presupposed=True, confidence=0.7)
"""The rule behind locatedIn facts read from a site's name ("the Denton campus")."""
# Lexicon lists of what companies sell, from the top of the AI supply chain down.
SUPPLY_TIERS = ("sells_power", "sells_hardware", "sells_space", "sells_capacity", "sells_cloud")
# Words before "a" that make "a campus in X" describe something already named ("Kilnbury, a
# campus in Corrow County"; "Kilnbury is a campus in ...").
APPOSITION_OR_COPULA = frozenset({",", "is", "was", "be", "become", "became", "becomes", "remains", "as", "("})
QUOTES = {"“", "”", "\"", "‘", "’’", "``", "''"}
DASHES = {"—", "–", "--"}


@dataclass
class Mention:
    """A span of a sentence that becomes one unit: an entity, a number, a date or a role."""

    start: int
    end: int
    kind: str
    entity_id: str | None = None
    value: object = None
    inferred: bool = False
    """True for pronouns and descriptions resolved to an entity, and discovered names."""


@dataclass
class Extraction:
    """What one document yields: its facts and the entities they mention."""

    document: Document
    facts: list[Fact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)


class _DocState:
    """Per-document memory: entities seen so far, the salient organization, persons."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self.generic_nouns = gazetteer.words("generic_org_nouns")
        """Nouns every organization answers to ("the company"), resolved by position, not by kinds."""
        self.entities: dict[str, Entity] = {}
        self.seen: set[str] = set()
        self.sentence_orgs: list[list[str]] = []
        self.sentence_subjects: list[str | None] = []
        """Per sentence: the organization it opens with (its grammatical subject, roughly)."""
        self.last_person: str | None = None
        self.last_site: str | None = None
        self.last_site_at = -9
        """Index of the sentence that named `last_site`: "the Denton campus" far from it is a new site."""
        self.last_cap: tuple[str, int] | None = None
        """The last unknown capitalized name and its sentence: "the campus" may turn out to mean it."""
        self.last_cap_subject: tuple[str, int] | None = None
        """The unknown name that opened a sentence, and that sentence: "the company" may mean it."""
        self.last_name: str | None = None
        """The last unknown two- or three-word name: "he" or "she" may refer to it."""
        self.discovered_short: dict[str, str] = {}
        self.unit_owners: dict[str, str] = {}
        """Units discovered from their parent's name ("Nvidia Networking") -> the parent's id."""
        self.site_places: dict[str, list[str]] = {}
        """Sites named after their place ("the Denton campus") -> the places their name gives."""
        self.units_stated: set[str] = set()
        """Units whose subsidiaryOf fact the document has already given."""
        self.topic: str | None = None
        self.tokens: list = []
        self.sentences: list[Sentence] = []
        """The document's tokens, built once (indexing a spaCy Doc creates a new Token each time)."""

    def entity(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id) or self.gaz.entities.get(entity_id)

    def discover(self, text: str, kind: str, *, known_type: str | None = None) -> str:
        label = re.sub(r"\s+", " ", text).strip(" ,.'’\"“”")
        entity_type = known_type or TYPE_OF_SLOT.get(kind, "Company")
        if label in self.gaz.names:
            return self.gaz.names[label]
        entity_id = slug(label)
        if entity_id not in self.entities and entity_id not in self.gaz.entities:
            self.entities[entity_id] = Entity(id=entity_id, label=label, type=entity_type, known=False)
            if entity_type == "Person" and " " in label:
                self.discovered_short.setdefault(label.split()[-1], entity_id)
            for short in org_short_forms(label, entity_type):
                self.discovered_short.setdefault(short, entity_id)
        return entity_id

    def salient_org(self, current: list[str], exclude: set[str], kind_word: str | None = None,
                    unit: bool = False, opens_sentence: bool = False, fallback: bool = True) -> str | None:
        """The organization a reference most likely means, given what came before."""
        def fits(entity_id: str) -> bool:
            if entity_id in exclude:
                return False
            entity = self.entity(entity_id)
            if entity is None:
                return False
            is_unit = entity.type in ("Division", "ResearchLab")
            if unit != is_unit and not (kind_word and kind_word in entity.kinds):
                return False
            return True

        if kind_word and kind_word not in self.generic_nouns:  # "the chipmaker", not "the company"
            topic = self.entity(self.topic) if self.topic else None
            if (topic is not None and self.topic not in exclude
                    and self.topic in set(current).union(*self.sentence_orgs[::-1][:3])
                    and (kind_word in topic.kinds or topic.label.lower().endswith(" " + kind_word))):
                return self.topic  # the article's subject, when it fits and was named lately
            history = [current] + self.sentence_orgs[::-1][:6]
            for orgs in history:
                for entity_id in orgs:
                    entity = self.entity(entity_id)
                    if entity and entity_id not in exclude and (
                            kind_word in entity.kinds or kind_word == entity.type.lower()
                            or entity.label.lower().endswith(" " + kind_word)):
                        return entity_id
        if kind_word in self.generic_nouns and not unit:
            # "the company": at the start of a sentence, the previous one's subject; inside one, the
            # first company (not an investor) before it; else the one the text is about
            def company(entity_id: str) -> bool:
                return fits(entity_id) and self.entity(entity_id).type != "Investor"
            recent = set(current).union(*self.sentence_orgs[::-1][:3])
            previous = self.sentence_subjects[-1] if self.sentence_subjects else None
            if opens_sentence and previous and company(previous):
                return previous  # "Google struck a deal with Windsurf. The company also hired ..."
            for entity_id in current:
                if company(entity_id):
                    return entity_id  # "Scale AI confirmed an investment from Meta, valuing the company"
            if self.topic in recent and company(self.topic):
                return self.topic
            if not fallback:
                return None
        for entity_id in current:
            if fits(entity_id):
                return entity_id
        for entity_id in self.sentence_subjects[::-1][:3]:
            if entity_id and fits(entity_id):
                return entity_id
        if self.topic and self.topic not in exclude and not unit:
            return self.topic
        for orgs in self.sentence_orgs[::-1][:8]:
            for entity_id in orgs:
                if fits(entity_id):
                    return entity_id
        return None

    def fits_org(self, entity_id: str) -> bool:
        """True for a company-like entity (not a unit or lab)."""
        entity = self.entity(entity_id)
        return entity is not None and entity.type not in ("Division", "ResearchLab")

    def close_sentence(self, mentions: list[Mention]) -> None:
        """Remember which organizations a finished sentence named, and which it opened with."""
        self.sentence_orgs.append([m.entity_id for m in mentions if m.kind in ("ORG", "DIV") and m.entity_id])
        first = next((m for m in mentions if m.kind in ("ORG", "DIV", "PER", "CAP")
                      and not (m.start > 0 and self.tokens[m.start - 1].lower_ in PREPOSITIONS)), None)
        self.sentence_subjects.append(first.entity_id if first and first.kind in ("ORG", "DIV") else None)


class Extractor:
    """Turns documents into facts. Build once (loads the gazetteer and patterns), reuse.

    >>> from kg.models import Document
    >>> doc = Document(name="t.txt", path="t.txt", text="Nvidia acquired Quillfeather Robotics.", sha256="0")
    >>> [(f.subject, f.predicate, f.object) for f in Extractor().extract(doc).facts]
    [('Nvidia', 'acquired', 'Quillfeather Robotics')]
    """

    def __init__(self, *, gazetteer: Gazetteer | None = None, patterns_file: Path = PATTERNS_FILE) -> None:
        self.gaz = gazetteer or load_gazetteer()
        self.nlp = blank_pipeline()
        self.matchers = Matchers(self.nlp, self.gaz)
        self.patterns: tuple[Pattern, ...] = load_patterns(patterns_file)
        # Index each pattern under the features of one of its mandatory tokens (the rarest kind:
        # a literal word if it has one), so a sentence only tries the patterns it could match.
        self._pattern_index: dict[str, list[int]] = {}
        self._unindexed: list[int] = []
        for n, pattern in enumerate(self.patterns):
            key = min(pattern.needs, key=_need_cost) if pattern.needs else None
            if key is None:
                self._unindexed.append(n)
            for feature in key or ():
                self._pattern_index.setdefault(feature, []).append(n)
        self._needs_met_by, self._pattern_needs, self._every_need = _need_bits(self.patterns)
        self.not_names = self.gaz.words("not_names")
        self.org_nouns = self.gaz.words("org_nouns")
        self.unit_nouns = self.gaz.words("unit_nouns")
        self.site_nouns = self.gaz.words("site_nouns")
        self.place_suffix_words = self.gaz.words("place_suffixes")
        self.product_nouns = self.gaz.words("product_nouns")
        self.investor_suffixes = self.gaz.words("investor_suffixes")
        self.org_suffix_words = self.gaz.words("org_suffixes")
        self.person_nouns = self.gaz.words("person_nouns")
        self.employment_words = frozenset(self.gaz.lexicon.get("employment", [])) | {
            phrase.split()[-1] for phrase in self.gaz.roles}
        self.fillers = self.gaz.words("fillers")
        self.unit_name_words = self.gaz.words("unit_name_words")
        self.department_words = self.gaz.words("department_words")
        self.legal_forms = self.gaz.words("legal_forms")
        self.role_prefixes = self.gaz.words("title_prefixes")
        self.place_prefixes = self.gaz.words("place_prefixes")
        self.unit_suffixes = self.gaz.words("business_unit_suffixes")
        self.unit_followers = self.gaz.words("unit_name_followers")
        self.plan_words = self.gaz.words("plan_words")
        self.site_heads = self.gaz.words("unnamed_site_nouns")
        self.site_head_words = frozenset(noun.split()[-1] for noun in self.site_heads)  # a cheap test first
        self.alias_cues = tuple(tuple(cue.split()) for cue in self.gaz.lexicon.get("alias_cues", ()))
        self.site_suffix_words = frozenset(w for w in self.gaz.lexicon.get("site_suffixes", ()) if " " not in w)
        self.product_variants = self.gaz.words("product_variants")
        self._lineages: dict[str, frozenset[str]] = {}
        self.supply_tiers = {word: len(SUPPLY_TIERS) - n for n, tier in enumerate(SUPPLY_TIERS)
                             for word in self.gaz.lexicon.get(tier, ())}
        cues = [*self.gaz.lexicon.get("negation", []), *self.gaz.lexicon.get("collapsed", [])]
        self.negation = _cue_regex(cues)
        self.hedge = _cue_regex(self.gaz.lexicon.get("hedges", []))
        self.intention = _cue_regex(self.gaz.lexicon.get("intentions", []))
        self.collapse = _cue_regex(self.gaz.lexicon.get("collapsed", []))

    # ----------------------------------------------------------------- public API
    def extract(self, document: Document) -> Extraction:
        """Facts stated in one document, each with its evidence sentence and offsets."""
        doc = self.nlp(document.text)
        state = _DocState(self.gaz)
        state.tokens, state.sentences = tokens_and_sentences(doc)
        mentions = self._mentions(doc, document, state)
        facts: list[Fact] = []
        by_sentence: dict[int, list[Mention]] = {}
        sentences = state.sentences
        starts = [s.start for s in sentences]
        for m in mentions:
            by_sentence.setdefault(_sentence_index(starts, m.start), []).append(m)
        state.topic = self._topic(mentions, state)
        for i, sent in enumerate(sentences):
            sent_mentions = by_sentence.get(i, [])
            self._resolve_references(doc, sent, sent_mentions, state)
            facts.extend(self._facts(document, doc, sent, sent_mentions, state))
            state.close_sentence(sent_mentions)
        facts = _without_redundant_posts(facts)
        used = {f.subject_id for f in facts} | {f.object_id for f in facts if f.object_id}
        entities = {e: state.entity(e) for e in used if state.entity(e)}
        return Extraction(document, facts, entities)

    def extract_all(self, documents: Iterable[Document]) -> list[Extraction]:
        """Extract every document; entity labels are canonical across documents."""
        return [self.extract(d) for d in documents]

    # ----------------------------------------------------------------- mentions
    def _mentions(self, doc: Doc, document: Document, state: _DocState) -> list[Mention]:
        toks = state.tokens  # a list of the doc's tokens: indexing the Doc would make a new Token each time
        taken = [False] * len(doc)
        mentions: list[Mention] = []

        def add(m: Mention) -> None:
            if any(taken[m.start:m.end]):
                return
            for i in range(m.start, m.end):
                taken[i] = True
            mentions.append(m)

        # Gazetteer names, longest first; short forms only once the full name appeared.
        kept = _longest_matches(self.matchers.names(doc), self.nlp.vocab.strings)
        # a short form counts once the full name appears anywhere in the document: headlines and
        # ledes often say "NextEra" before "NextEra Energy"
        named_in_full = {s.label_.split("|", 1)[1] for s in kept if not s.label_.startswith("short|")}
        for span in kept:
            kind, entity_id = span.label_.split("|", 1)
            entity = self.gaz.entities[entity_id]
            if kind == "short" and entity_id not in state.seen and entity_id not in named_in_full:
                continue
            state.seen.add(entity_id)
            end = span.end
            if end < len(doc) and toks[end].text.rstrip(".") in LEGAL_SUFFIXES and entity.type != "Person":
                end += 2 if end + 1 < len(doc) and toks[end + 1].text == "." else 1
            elif (end + 1 < len(doc) and toks[end].text == "," and toks[end + 1].text.rstrip(".") in LEGAL_SUFFIXES
                  and entity.type != "Person"):  # "Advanced Micro Devices, Inc."
                end += 3 if end + 2 < len(doc) and toks[end + 2].text == "." else 2
            mention_kind = "NAT" if kind == "demonym" else KIND_OF_TYPE[entity.type]
            if mention_kind == "PER" and kind == "short" and self._named_after_person(state.tokens, end):
                # "Bezos Expeditions", "Gates Foundation": an organization named after a person
                entity_id, mention_kind, end = state.discover(doc[span.start:end + 1].text, "ORG"), "ORG", end + 1
            if mention_kind == "PROD" and (longer := self._product_end(state.tokens, end)) > end:
                # "Grok 4 Heavy", "Qwen3-Coder": a variant of a known product is a product of its own
                entity_id, end = state.discover(doc[span.start:longer].text, "PROD"), longer
            elif mention_kind == "ORG" and (longer := self._regional_utility_end(state.tokens, end, entity)) > end:
                # "Entergy Arkansas", "Duke Energy Carolinas": a utility's operating company in a state
                parent, end = entity_id, longer
                entity_id = state.discover(doc[span.start:longer].text, "ORG")
                state.unit_owners.setdefault(entity_id, parent)
            elif (mention_kind == "PLACE" and span.start > 0 and state.tokens[span.start - 1].text in self.place_prefixes
                  and not state.tokens[span.start - 1].is_sent_start and state.tokens[span.start - 1].whitespace_):
                # "West Memphis", "North Charleston": a place of its own next to the known one
                start = span.start - 1
                entity_id = state.discover(doc[start:end].text, "PLACE")
                add(Mention(start, end, "PLACE", entity_id, inferred=True))
                continue
            elif mention_kind == "PLACE" and (longer := self._place_suffix_end(state.tokens, end)) > end:
                # "Richmond County": a known place's name followed by a county word is another place
                entity_id, end = state.discover(doc[span.start:longer].text, "PLACE"), longer
            elif mention_kind == "ORG" and (longer := self._org_name_end(state.tokens, end)) > end:
                words = [t.text.rstrip(".") for t in doc[end:longer]]
                if not all(w in self.legal_forms for w in words):
                    # "Samsung Securities", "Hyundai Motor Group": another organization
                    entity_id = state.discover(doc[span.start:longer].text, "ORG")
                end = longer  # "Nscale Global Holdings Ltd.": the same company's legal name
            elif mention_kind == "ORG" and self._unit_word_at(state.tokens, end):
                # "Nvidia Networking", "Microsoft AI": a unit named after its parent
                parent, end = entity_id, end + 1
                entity_id, mention_kind = state.discover(doc[span.start:end].text, "DIV"), "DIV"
                if state.entity(entity_id).type == "Division":
                    state.unit_owners.setdefault(entity_id, parent)
            add(Mention(span.start, end, mention_kind, entity_id, inferred=kind == "demonym"))
        # Amounts, capacities, percentages and dates found in the text.
        published = document.published
        text = document.text
        money = find_money(text)
        numeric = [(s, "MONEY") for s in money] + [(s, "GW") for s in find_power(text)] \
            + [(s, "PCT") for s in find_percent(text)] + [(s, "DATE") for s in find_periods(text, published, money=money)]
        for found, kind in sorted(numeric, key=lambda x: (x[0].start, -(x[0].end - x[0].start))):
            span = doc.char_span(found.start, found.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            if kind == "MONEY":
                before = toks[span.start - 1].lower_ if span.start else ""
                after = " ".join(t.lower_ for t in doc[span.end:span.end + 2])
                if after in ("per share", "a share") or doc[span.end:span.end + 1].text.lower() == "/share":
                    kind = "PERSHARE"
                elif before == "by":
                    kind = "DELTA"
            add(Mention(span.start, span.end, kind, value=found.value))
        # Role titles.
        role_spans = sorted(filter_spans([Span(doc, s, e) for _, s, e in self.matchers.roles(doc)]
                                         + _chief_officer_spans(doc)), key=lambda s: s.start)
        k = 0
        while k < len(role_spans):
            span = role_spans[k]
            role = self.gaz.roles.get(span.text.lower())
            if role is None and span[0].lower_ == "chief" and span[-1].lower_ == "officer":
                role = Role(span.text, False)  # "Chief Global Affairs and Legal Officer"
            start, end, k = span.start, span.end, k + 1
            while start > 0 and toks[start - 1].text in self.role_prefixes and not taken[start - 1]:
                start -= 1  # "Global Head of AI Infrastructure"
            if end < len(toks) and toks[end].lower_ == "officer" and toks[end - 1].lower_ != "officer":
                end += 1  # "founder and chief executive" + "officer"
            # "president and chief executive", "Founder, Chairman and CEO": one position, the top
            # job if any part is.
            while (k < len(role_spans) and role_spans[k].start == end + 1
                   and (toks[end].lower_ in ("and", "&") or (
                       toks[end].text == "," and (" and " in role_spans[k].text.lower() or (
                           k + 1 < len(role_spans) and role_spans[k + 1].start == role_spans[k].end + 1
                           and toks[role_spans[k].end].lower_ in ("and", "&", ",")))))):
                other = self.gaz.roles.get(role_spans[k].text.lower())
                if other is not None and role is not None:
                    role = Role(f"{role.title} and {other.title}", role.heads or other.heads)
                end, k = role_spans[k].end, k + 1
            # "head of foundation models", "vice president of research": a post inside, not the top job.
            if end + 1 < len(toks) and toks[end].lower_ in ("of", "for") and (
                    toks[end + 1].is_lower or self._department_at(toks, end + 1, taken) or (
                    # "head of AI models": an acronym that is no name, then a lower-case word
                    toks[end + 1].is_upper and len(toks[end + 1]) <= 3 and not taken[end + 1]
                    and end + 2 < len(toks) and toks[end + 2].is_lower and toks[end + 2].is_alpha)) \
                    and toks[end + 1].lower_ not in ("the", "a", "an", "its", "their"):
                j = end + 1
                while j < len(toks) and j - end <= 7 and toks[j].lower_ not in ROLE_STOP and (
                        (toks[j].is_lower and toks[j].is_alpha) or toks[j].text == "-"
                        or (toks[j].is_upper and len(toks[j]) <= 3)  # "vice president of data and AI"
                        or self._department_at(toks, j, taken)):  # "Head of Global Energy"
                    j += 1
                while j > end + 1 and toks[j - 1].lower_ in ("and", "-", "for", "of"):  # "... centers for AWS"
                    j -= 1
                if role is not None:
                    role = Role(f"{role.title} of {doc[end + 1:j].text}", False)
                end = j
            glued = (start > 0 and toks[start - 1].text == "-" and not toks[start - 1].whitespace_) or (
                end < len(toks) and toks[end - 1].whitespace_ == "" and toks[end].text == "-")
            if role is not None and not glued:  # "head-to-head" is no role
                add(Mention(start, end, "ROLE", value=role))
        # Names the gazetteer lacks: organization, place and site suffixes.
        headlines = {s.start for s in state.sentences if _is_headline(toks[s.start:s.end])}
        starts = [s.start for s in state.sentences]
        sentence_starts = {s.start for s in state.sentences}
        mid_sentence_caps = _capitalized_words(doc, sentence_starts)
        longest: dict[int, int] = {}  # end -> earliest start of a name ending there
        labels: dict[int, str] = {}
        for match_id, start, end in self.matchers.discovery(doc):
            label = self.nlp.vocab.strings[match_id]
            limit = 4 if label == "ORG_SUFFIX" else 3 if label == "SITE_SUFFIX" else 2
            first = start
            while first > 0 and start - first < limit and _is_name_word(toks[first - 1]):
                first -= 1
                if toks[first].is_sent_start:
                    break
            if (label == "ORG_SUFFIX" and first == start and start > 0 and toks[start - 1].is_digit
                    and len(toks[start - 1]) >= 2 and toks[start - 2:start - 1] and not toks[start - 2].like_num):
                first = start - 1  # "1789 Capital", "Route 66 Ventures": a number in the name
            if first < start:
                longest[end] = min(first, longest.get(end, first))
                labels[end] = label
        for end, start in sorted(longest.items(), key=lambda x: (x[1], -x[0])):  # longest name first
            label = labels[end]
            span = doc[start:end]
            sent_start = starts[_sentence_index(starts, span.start)]
            if sent_start in headlines:
                continue
            following = toks[span.end].lower_ if span.end < len(doc) else ""
            if span.start == sent_start and span[0].text not in mid_sentence_caps and (
                    following in self.org_nouns or following.rstrip("s") in self.org_nouns):
                continue  # "Major AI labs ...": a capitalized adjective before a noun, not a name
            unit_name = (label == "ORG_SUFFIX" and span[-1].text in self.unit_suffixes and span.start > 0
                         and toks[span.start - 1].lower_ in ("the", "its", "'s", "’s"))
            while len(span) > 1 and span[0].lower_ in self.not_names and not unit_name:
                span = span[1:]  # but "the Data Center Group" keeps its common words
            if len(span) < 2:
                continue
            kind = {"ORG_SUFFIX": "ORG", "PLACE_SUFFIX": "PLACE", "SITE_SUFFIX": "SITE"}[label]
            known_type = None
            if kind == "ORG" and span[-1].text in self.investor_suffixes:
                known_type = "Investor"
            add(Mention(span.start, span.end, kind, state.discover(span.text, kind, known_type=known_type),
                        inferred=True))
        self._capitalized(doc, taken, add, state, headlines, mid_sentence_caps)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _named_after_person(self, toks: list, end: int) -> bool:
        """True when the capitalized word after a surname makes an organization's name."""
        if end >= len(toks) or not toks[end - 1].whitespace_:
            return False
        word = toks[end]
        return (word.is_alpha and word.text[:1].isupper() and not word.is_upper
                and word.lower_ not in self.not_names and word.text not in self.gaz.given_names
                and word.text not in self.gaz.names and word.lower_ not in self.gaz.roles)

    def _regional_utility_end(self, toks: list, end: int, entity: Entity) -> int:
        """Where "Entergy Arkansas" ends, when a power company's name is followed by a place's."""
        if not any(self.supply_tiers.get(kind) == len(SUPPLY_TIERS) for kind in entity.kinds):
            return end
        for length in (2, 1):
            name = "".join(t.text_with_ws for t in toks[end:end + length]).strip() if end + length <= len(toks) else ""
            place = self.gaz.entities.get(self.gaz.names.get(name, ""))
            if place is not None and place.type == "Place" and toks[end - 1].whitespace_:
                return end + length
        return end

    def _place_suffix_end(self, toks: list, end: int) -> int:
        """Where "Richmond County" ends, when a known place's name is followed by a county word."""
        if end < len(toks) and toks[end].text in self.place_suffix_words and toks[end - 1].whitespace_:
            return end + 1
        return end

    def _department_at(self, toks: list, i: int, taken: list[bool]) -> bool:
        """True at a capitalized word that names a function, not an organization ("Global Energy"
        in "Head of Global Energy", "Machine Learning" in "vice president of Machine Learning")."""
        return i < len(toks) and not taken[i] and toks[i].text in self.department_words

    def _org_name_end(self, toks: list, end: int) -> int:
        """Where an organization's name that a known name begins ends: capitalized words up to one
        that ends organization names ("Samsung Securities", "Nscale Global Holdings Ltd.");
        `end` when there is none."""
        j, last = end, end
        while j < len(toks) and j - end < 4 and toks[j - 1].whitespace_ and (
                toks[j].text[:1].isupper() and toks[j].is_alpha or toks[j].text.rstrip(".") in LEGAL_SUFFIXES):
            if toks[j].lower_ in self.not_names or toks[j].text in self.unit_name_words:
                break
            j += 1
            if toks[j - 1].text.rstrip(".") in LEGAL_SUFFIXES or toks[j - 1].text in self.org_suffix_words:
                last = j
                if j < len(toks) and toks[j].text == "." and toks[j - 1].text in LEGAL_SUFFIXES:
                    last = j = j + 1
        return last

    def _unit_word_at(self, toks: list, i: int) -> bool:
        """True when token `i` names a unit after an organization's name ("Nvidia Networking"),
        not an adjective before a noun ("Microsoft AI chips")."""
        if i >= len(toks) or toks[i].text not in self.unit_name_words or not toks[i - 1].whitespace_:
            return False
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        return nxt is None or not (nxt.is_lower and nxt.is_alpha) or nxt.lower_ in self.unit_followers \
            or nxt.lower_ in self.unit_nouns

    def _product_end(self, toks: list, end: int) -> int:
        """Where a product name that ends at `end` really ends: variant words ("Heavy", "Pro",
        "Mini") and glued suffixes ("-Coder") extend it."""
        while end < len(toks):
            token = toks[end]
            if token.text in self.product_variants and toks[end - 1].whitespace_:
                end += 1
            elif (token.text == "-" and not toks[end - 1].whitespace_ and not token.whitespace_
                  and end + 1 < len(toks) and (toks[end + 1].text[:1].isupper() or toks[end + 1].text[:1].isdigit())):
                end += 2
            else:
                return end
        return end

    def _capitalized(self, doc: Doc, taken: list[bool], add, state: _DocState, headlines: set[int],
                     mid_sentence_caps: set[str]) -> None:
        """Capitalized spans not yet explained: unknown names whose kind the patterns decide."""
        cap_surnames: dict[str, str] = {}  # last word of an unknown two- or three-word name -> the name
        cap_given: dict[str, str] = {}  # its first word -> the name, for "Karén, a co-founder of ..."
        toks = state.tokens
        for sent in state.sentences:
            if sent.start in headlines:
                continue
            i = sent.start
            while i < sent.end:
                token = toks[i]
                if taken[i] or not _is_cap(token) or token.lower_.rstrip(".") in self.not_names:
                    i += 1
                    continue
                j = i + 1
                while j < sent.end and not taken[j] and (
                        _is_cap(toks[j]) or (toks[j].text in ("&", "-") and j + 1 < sent.end and _is_cap(toks[j + 1]))):
                    j += 1
                span = doc[i:j]
                while len(span) > 1 and span[-1].lower_ in self.not_names:
                    span = span[:-1]
                possessor = span.end < sent.end and toks[span.end].text in ("'s", "’s")  # "Ironbridge's"
                if len(span) == 1 and (len(span.text) < 2 or (
                        span.start == sent.start and span.text not in mid_sentence_caps and not possessor
                        and self._kind_from_context(doc, span) == "CAP")):
                    i = j
                    continue
                span = _with_number(doc, span, sent.end, taken)
                if span.end < sent.end and not taken[span.end] and toks[span.end].text in self.site_suffix_words:
                    span = doc[span.start:span.end + 1]  # "Polaris Forge 1 Campus"
                j = max(j, span.end)
                surface = span.text
                if surface in state.discovered_short:
                    known = state.entity(state.discovered_short[surface])
                    add(Mention(span.start, span.end, KIND_OF_TYPE[known.type], known.id, inferred=True))
                elif " " not in surface and surface in cap_surnames:
                    # "Featherstone-Kaur" after "Ozias Featherstone-Kaur": the full name, a person
                    full = cap_surnames[surface]
                    add(Mention(span.start, span.end, "PER", state.discover(full, "PER"), value=full, inferred=True))
                elif " " not in surface and surface in cap_given and self._kind_from_context(doc, span) == "PER":
                    # "Karén, a co-founder and chief scientist": a first name the context says is a person
                    full = cap_given[surface]
                    add(Mention(span.start, span.end, "PER", state.discover(full, "PER"), value=full, inferred=True))
                else:
                    kind = self._kind_from_context(doc, span)
                    entity_id = state.discover(surface, kind) if kind != "CAP" else None
                    add(Mention(span.start, span.end, kind, entity_id, value=surface, inferred=True))
                    if kind in ("CAP", "PER") and _looks_like_full_name(span):
                        cap_surnames.setdefault(surface.split()[-1], surface)
                        cap_given.setdefault(surface.split()[0], surface)
                i = j

    def _kind_from_context(self, doc: Doc, span: Span) -> str:
        """Guess what an unknown name is from the words around it."""
        before = doc[max(0, span.start - 4):span.start]
        after = doc[span.end:span.end + 2]
        before_words = " ".join(t.lower_ for t in before)
        after_word = after[0].lower_ if len(after) else ""
        after_two = " ".join(t.lower_ for t in after)
        if span.start >= 2 and doc[span.start - 1].lower_ == "at" and doc[span.start - 2].lower_ in self.employment_words:
            return "ORG"  # "previously at Airbnb", "a partner at Wexcombe & Lyle": an employer
        if after_word == "," and self._is_place_at(doc, span.end + 1):
            return "PLACE"  # "Duncaster, Vermont", "Galway, Ireland": a town before its state or country
        if self._in_place_slot(doc, span.start) and not (span.end < len(doc) and doc[span.end].is_title):
            # "based in Galway", "in Brackwater County, Ohio", "moved its headquarters to Austin, Texas";
            # not a name cut short by a known one ("near Lake Michigan")
            return "PLACE"
        if after_word == "of" and self._is_place_at(doc, span.end + 1):
            return "PLACE"  # "the Commonwealth of Pennsylvania"
        if after_word == "-" and span.end + 1 < len(doc) and doc[span.end + 1].lower_ == "based":
            return "PLACE"  # "Ostrava-based"
        if _looks_like_full_name(span):
            if span.start and self.gaz.roles.get(doc[span.start - 1].lower_):
                return "PER"
            if re.search(r"\b(hired|poached|recruited|appointed|named|tapped|founded by|co-founded by|"
                         r"led by|headed by|run by|according to)$", before_words):
                return "PER"
            if span[0].text in self.gaz.given_names:
                return "PER"
        if after_word == ",":
            # "Edgeholt, a data center in ...", "Quillfeather, a startup that ...": the appositive says.
            tail = []
            for t in doc[span.end + 1:span.end + 8]:
                if t.text in (",", ".", ";"):
                    break
                tail.append(t.lower_)
            phrase = " ".join(tail)
            if tail[:1] in (["who"], ["whom"], ["whose"]):
                return "PER"  # "Vijaye Raji, who founded Statsig, ..."
            if not self._opens_apposition(doc, span, tail):
                return "CAP"  # "previously at Airbnb, as its CFO": what follows the comma is no apposition
            if any(t in self.gaz.roles for t in tail) or any(
                    " ".join(tail[a:a + 3]) in self.gaz.roles or " ".join(tail[a:a + 2]) in self.gaz.roles
                    for a in range(len(tail))):
                return "PER"  # "Nwachukwu-Lowe, now the startup's chief scientist"
            if any(re.search(rf"\b{re.escape(n)}\b", phrase) for n in self.site_nouns):
                return "SITE"
            if any(re.search(rf"\b{re.escape(n)}\b", phrase) for n in self.org_nouns):
                return "ORG"
        if re.search(r"\b(called|named|dubbed|known as)$", before_words):
            for noun in self.site_nouns:
                if noun in before_words:
                    return "SITE"
            for noun in self.product_nouns:
                if re.search(rf"\b{re.escape(noun)}\b", before_words):
                    return "PROD"
            for noun in self.org_nouns:
                if re.search(rf"\b{re.escape(noun)}\b", before_words):
                    return "ORG"
        if after_word in self.site_nouns or after_two in self.site_nouns:
            return "SITE"
        return "CAP"

    def _opens_apposition(self, doc: Doc, span: Span, tail: list[str]) -> bool:
        """True when the words after "NAME ," describe NAME ("Edgeholt, a data center", "Wu, now
        the startup's chief scientist", "Lee, chief scientist at X"), not when the name sits in a
        prepositional phrase ("previously at Airbnb, as its CFO") or the clause goes on ("..., joins")."""
        if span.start and doc[span.start - 1].lower_ in ("at", "of", "from", "for", "with", "in", "to"):
            return False
        if not tail:
            return False
        if tail[0] in APPOSITIVE_OPENERS or tail[0] in ("previously", "one", "chief", "co-founder", "founder"):
            return True
        return any(" ".join(tail[:n]) in self.gaz.roles for n in (1, 2, 3)) or "'s" in tail[1:4]

    def _in_place_slot(self, doc: Doc, i: int, depth: int = 0) -> bool:
        """True when the words before token `i` ask for a place: a locating verb and its preposition
        ("based in", "built near", "headquarters to"), or a place and a comma before it ("Tamsett
        Parish, Louisiana"; "based in Galway, Ireland")."""
        before = " ".join(t.lower_ for t in doc[max(0, i - 2):i])
        if PLACE_CUE.search(before):
            return True
        if depth or i < 2 or doc[i - 1].text != ",":
            return False
        k = i - 2  # the capitalized name before the comma
        if doc[k].text in self.place_suffix_words or self._is_place_at(doc, k):
            return True
        while k > 0 and doc[k - 1].is_title and doc[k - 1].lower_ not in self.not_names:
            k -= 1
        return doc[k].is_title and self._in_place_slot(doc, k, depth + 1)

    def _is_place_at(self, doc: Doc, i: int) -> bool:
        """True when a known place's name starts at token `i` ("Vermont", "North Dakota")."""
        for n in (3, 2, 1):
            if i + n <= len(doc):
                entity_id = self.gaz.names.get(doc[i:i + n].text)
                entity = self.gaz.entities.get(entity_id) if entity_id else None
                if entity is not None and entity.type == "Place":
                    return True
        return False

    # ------------------------------------------------------------- references
    def _topic(self, mentions: list[Mention], state: _DocState) -> str | None:
        """The organization the article is about: the most mentioned one (a unit counts for its parent)."""
        # discovered names count, pronouns and descriptions (which carry a value) do not
        counts = Counter(m.entity_id for m in mentions if m.kind == "ORG" and m.entity_id
                         and not (m.inferred and m.value is not None))
        for m in mentions:
            owner = self.gaz.owners.get(m.entity_id or "")
            if m.kind == "DIV" and owner and not m.inferred:
                counts[owner] += 1
        if not counts:
            return None
        best = max(counts.values())
        for m in mentions:
            if counts.get(m.entity_id) == best:
                return m.entity_id
            owner = self.gaz.owners.get(m.entity_id or "")
            if owner and counts.get(owner) == best:
                return owner
        return None

    def _resolve_references(self, doc: Doc, sent: Sentence, mentions: list[Mention], state: _DocState) -> None:
        """Add mentions for pronouns and definite descriptions ("the company") of this sentence."""
        taken = set()
        for m in mentions:
            taken.update(range(m.start, m.end))
        added: list[Mention] = []
        removed: list[Mention] = []
        current: list[str] = []
        in_phrase: set[str] = set()  # organizations named after "from", "by", "including" ...
        possessors: set[str] = set()  # organizations named as possessors ("Nvidia's rival AMD")
        relative = False  # inside ", which ... ,": "YouTube, which Google bought, is training its models"
        positions = {m.start: m for m in mentions}
        starts_by_end: dict[int, int] = {}
        for m in mentions:
            starts_by_end.setdefault(m.end, m.start)
        toks = state.tokens
        i = sent.start
        while i < sent.end:
            if i in positions:
                m = positions[i]
                if m.kind in ("ORG", "DIV") and m.entity_id:
                    nxt = toks[m.end] if m.end < sent.end else None
                    if not (nxt is not None and nxt.text == "-" and not toks[m.end - 1].whitespace_):
                        current.append(m.entity_id)  # not "Amazon-backed": a modifier, not the subject
                        if m.start > sent.start and toks[m.start - 1].lower_ in PREPOSITIONS or relative:
                            in_phrase.add(m.entity_id)
                        elif nxt is not None and nxt.lower_ in ("'s", "’s", "'", "’"):
                            possessors.add(m.entity_id)  # "Microsoft's GitHub said ... its": GitHub's
                if m.kind == "PER" and m.entity_id:
                    state.last_person = m.entity_id
                if m.kind == "SITE" and m.entity_id:
                    state.last_site, state.last_site_at = m.entity_id, len(state.sentence_orgs)
                if m.kind == "CAP" and _looks_like_full_name(doc[m.start:m.end]):
                    state.last_name = str(m.value)
                if m.kind == "CAP" and m.start > sent.start:
                    state.last_cap = (str(m.value), len(state.sentence_orgs))
                elif m.kind == "CAP" and 2 <= m.end - m.start <= 4:
                    state.last_cap_subject = (str(m.value), len(state.sentence_orgs))
                if m.kind == "PLACE" and (site := self._place_named_site(toks, m, sent, taken, state)):
                    # "its Council Bluffs campus", "the Denton campus": a site named after its place
                    end, target, keep_place = site
                    if not keep_place:
                        removed.append(m)
                    added.append(Mention(m.end if keep_place else m.start, end, "SITE", target,
                                         value="description", inferred=True))
                    i = end
                    continue
                i = m.end
                continue
            token = toks[i]
            low = token.lower_
            if low in ("which", "who", "whom") and i > sent.start and toks[i - 1].text == ",":
                relative = True
            elif low == "," or token.is_punct and low not in ("-", "'s"):
                relative = False
            unit_ref = self._unit_description(toks, i, sent.end, taken, mentions, state)
            if unit_ref:
                # "Meta's superintelligence projects": the unit named earlier whose name says so
                end, target, owner = unit_ref
                removed.append(owner)
                added.append(Mention(owner.start, end, "DIV", target, value="description", inferred=True))
                i = end
                continue
            if low in ("we", "our", "us") and (speaker := self._speaker(toks, sent, mentions)):
                added.append(Mention(i, i + 1, "ORG", speaker, value="its" if low == "our" else low,
                                     inferred=True))
                i += 1
                continue
            if low in ("its", "their", "itself") or (
                    low in ("it", "they") and not (i + 1 < sent.end and toks[i + 1].lower_ in ("'s", "’s"))):
                # "it"/"its" within a sentence: the first organization that is not inside a
                # prepositional phrase, i.e. the clause's subject ("investors including X ... valued it").
                head = next((e for e in current if e not in in_phrase and e not in possessors), None)
                latest = head or next((e for e in current if e not in in_phrase), None)
                # a unit may own things too, when it is the subject after its parent ("Microsoft's GitHub")
                owned_by_unit = head is not None and bool(possessors) and current.index(head) > 0
                target = (latest if latest and (state.fits_org(latest) or owned_by_unit)
                          else state.salient_org(current, set()))
                if target:
                    added.append(Mention(i, i + 1, "ORG", target, value=low, inferred=True))
            elif low in ("he", "she", "his", "her") and (state.last_person or state.last_name):
                if not state.last_person:  # the unknown name met last was a person after all
                    state.last_person = state.discover(state.last_name, "PER")
                added.append(Mention(i, i + 1, "PER", state.last_person, value="pronoun", inferred=True))
            elif low == "the" and (state.last_person or state.last_name) and (
                    person_end := self._person_description(toks, i + 1, sent.end, positions)):
                # "the Turing Award winner", "the billionaire": the person met last
                if not state.last_person:
                    state.last_person = state.discover(state.last_name, "PER")
                removed.extend(m for m in mentions if i < m.start < person_end and m.kind == "CAP")
                added.append(Mention(i, person_end, "PER", state.last_person, value="description", inferred=True))
                i = person_end
                continue
            elif low in ("a", "an", "its", "their", "'s", "’s") and not (
                    (opener := starts_by_end.get(i, i)) > sent.start
                    and toks[opener - 1].lower_ in APPOSITION_OR_COPULA) and (
                    site := self._site_by_place(toks, i + 1, sent, positions, state)):
                # "Nscale operates a 30-megawatt data center in Glomfjord": the Glomfjord data center
                start, end, target = site
                added.append(Mention(start, end, "SITE", target, value="description", inferred=True))
                i = end
                continue
            elif low == "the" and (site := self._site_description(toks, i + 1, sent.end, taken, state)):
                end, target = site
                added.append(Mention(end - 1, end, "SITE", target, value="description", inferred=True))
                i = end
                continue
            elif low == "the" and i + 1 in positions and positions[i + 1].kind == "PLACE" and (
                    end := self._description_end(doc, positions[i + 1].end, sent.end, taken)):
                # "the Toronto company": keep the place, and the noun refers back
                head = toks[end - 1].lower_
                target = self._apposed_org(toks, i, mentions) or state.salient_org(
                    current, set(), kind_word=head, unit=head in self.unit_nouns)
                start = positions[i + 1].end
                if toks[start].text == "-" and toks[start + 1].lower_ == "based":
                    start += 2  # keep "PLACE - based" visible
                if target:
                    added.append(Mention(start, end, "ORG", target, value="description", inferred=True))
                i = positions[i + 1].start
                continue
            elif low == "the" or (low == "based" and i >= 2 and toks[i - 1].text == "-" and i - 2 in taken):
                end = self._description_end(doc, i + 1, sent.end, taken)
                if end and end < sent.end and (toks[end].lower_ in ("called", "named", "dubbed", "known")
                                               or (end in positions and positions[end].kind in ("ORG", "CAP"))):
                    end = None  # "the venture called X", "the chip-testing startup X" introduce X
                if end and low == "based":
                    i += 1  # keep "PLACE - based" visible: "the Paris-based startup"
                if end:
                    head = toks[end - 1].lower_
                    unit = head in self.unit_nouns
                    target = state.salient_org(current, set(), kind_word=head, unit=unit,
                                               opens_sentence=i == sent.start, fallback=False)
                    if target is None and not unit:
                        target = self._unknown_subject(state) or state.salient_org(current, set(), kind_word=head)
                    if target:
                        added.append(Mention(i, end, "DIV" if unit else "ORG", target,
                                             value="description", inferred=True))
                        i = end
                        continue
            i += 1
        for m in removed:
            mentions.remove(m)
        mentions.extend(added)
        mentions.sort(key=lambda m: m.start)

    def _person_description(self, toks: list, i: int, end: int, positions: dict[int, Mention]) -> int | None:
        """The end of "the [adjectives or an unknown name] NOUN" when NOUN names a person ("the
        Turing Award winner", "the billionaire"); None otherwise."""
        j = i
        while j < end and j - i <= 5:
            m = positions.get(j)
            if m is not None:
                if m.kind != "CAP":
                    return None
                j = m.end
                continue
            if toks[j].lower_ in self.person_nouns:
                return j + 1
            if not (toks[j].is_lower or toks[j].text == "-" or toks[j].like_num):
                return None
            j += 1
        return None

    def _speaker(self, toks: list, sent: Sentence, mentions: list[Mention]) -> str | None:
        """The organization quoted in this sentence ("..., AMD said"; "Alphabet chief executive
        Sundar Pichai said"), the referent of "we" and "our" inside the quote."""
        for m in mentions:
            if m.kind != "ORG" or not m.entity_id:
                continue
            window = [t.lower_ for t in toks[m.end:min(m.end + 5, sent.end)]]
            before = toks[m.start - 1].lower_ if m.start > sent.start else ""
            if any(w in SPEECH_VERBS for w in window) or before in SPEECH_VERBS:
                return m.entity_id
        if not any(t.lower_ in SPEECH_VERBS for t in toks[sent.start:sent.end]):
            return None
        # '"Our partnership ...," said John Ketchum, chair and CEO of NextEra Energy': the speaker's company
        roles = [m for m in mentions if m.kind == "ROLE"]
        for m in mentions:
            if m.kind == "ORG" and m.entity_id and any(0 <= m.start - r.end <= 2 or 0 <= r.start - m.end <= 2
                                                       for r in roles):
                return m.entity_id
        return None

    def _unit_description(self, toks: list, i: int, end: int, taken: set[int], mentions: list[Mention],
                          state: _DocState) -> tuple[int, str, Mention] | None:
        """At "'s" after an organization: (end, unit id, owner mention) when the words that follow name one of
        its units already met in the document by a distinctive word of that unit's name."""
        if toks[i].lower_ not in ("'s", "’s") or i == 0:
            return None
        owner = next((m for m in mentions if m.end == i and m.kind == "ORG" and m.entity_id), None)
        if owner is None:
            return None
        caps = {m.start for m in mentions if m.kind == "CAP" and m.end - m.start == 1}
        j, words = i + 1, []
        while j < end and j - i <= 4 and (j not in taken or j in caps) and (toks[j].is_lower or toks[j].is_upper):
            words.append(toks[j].lower_)
            if toks[j].lower_ in UNIT_WORDS:
                break
            j += 1
        if not words or words[-1] not in UNIT_WORDS:
            return None
        owner_entity = state.entity(owner.entity_id)
        owner_words = set(owner_entity.label.lower().split()) if owner_entity else set()
        for entity_id in state.seen:
            entity = state.entity(entity_id)
            if entity is None or entity.type not in ("Division", "ResearchLab"):
                continue
            if self.gaz.owners.get(entity_id) != owner.entity_id and not entity.label.startswith(owner_entity.label):
                continue
            distinctive = {w.lower() for w in entity.label.split()} - owner_words - GENERIC_UNIT_NAME_WORDS
            if distinctive and distinctive <= set(words):
                for m in [m for m in mentions if m.kind == "CAP" and i < m.start <= j]:
                    mentions.remove(m)  # "AGI" in "Amazon's AGI team" is part of the description
                return j + 1, entity_id, owner
        return None

    def _site_description(self, toks: list, i: int, end: int, taken: set[int],
                          state: _DocState) -> tuple[int, str] | None:
        """ "the campus", "the Louisiana site": (end, id of the site last named), or None."""
        j = i
        while j < end and j - i < 5:
            low = toks[j].lower_
            if low in self.site_nouns and j not in taken:
                recent = state.last_site and state.last_site_at >= len(state.sentence_orgs) - 1
                if j + 1 < end and toks[j + 1].lower_ in ("called", "named", "dubbed", "of", "at") or (
                        j + 1 < end and toks[j + 1].lower_ == "in" and not recent):
                    return None  # "the campus in Abilene" far from any site may be another one
                if state.last_site:
                    return j + 1, state.last_site
                site = self._unknown_site(state)
                return (j + 1, site) if site else None
            if j not in taken and not (toks[j].is_lower or toks[j].like_num or toks[j].text == "-"):
                return None  # "the 1,200-acre campus" is fine, "the Abilene campus" is a name
            if low in self.org_nouns or low in ("the", "a", "an", "has", "have", "had", "is", "was", "will"):
                return None  # "the company has run the site": the description ended before
            j += 1
        return None

    @staticmethod
    def _apposed_org(toks: list, i: int, mentions: list[Mention]) -> str | None:
        """For a description at token `i` set off by a comma after an organization ("Pallastra Labs,
        the Oslo startup, said"): that organization, which the apposition describes."""
        if i < 2 or toks[i - 1].text != ",":
            return None
        return next((m.entity_id for m in mentions if m.end == i - 1 and m.kind in ("ORG", "DIV") and m.entity_id
                     and m.value != "description"), None)

    def _unknown_subject(self, state: _DocState) -> str | None:
        """ "The company" when no organization was named yet: the unknown name that opened this or
        the previous sentence ("Hollin Vision sells cameras. ... the company has been a unit of ...")."""
        if state.last_cap_subject is None or state.last_cap_subject[1] < len(state.sentence_orgs) - 1:
            return None
        name = state.last_cap_subject[0]
        if name.split()[0] in self.gaz.given_names:
            return None
        state.last_cap_subject = None
        return state.discover(name, "ORG")

    def _unknown_site(self, state: _DocState) -> str | None:
        """ "The campus" when no site was named yet: the unknown name of this or the previous sentence
        ("Tamberlin AI has filed plans for Hollowfen. ... the campus ..."), now known to be a site."""
        if state.last_cap is None or state.last_cap[1] < len(state.sentence_orgs) - 1:
            return None
        name = state.last_cap[0]
        if len(name.split()) > 3 or name.split()[0] in self.gaz.given_names:
            return None
        state.last_site = state.discover(name, "SITE")
        state.last_site_at = len(state.sentence_orgs)
        state.last_cap = None
        return state.last_site

    def _site_by_place(self, toks: list, i: int, sent: Sentence, positions: dict[int, Mention],
                       state: _DocState) -> tuple[int, int, str] | None:
        """After "a", "its" or "X's": (start, end, site) for "[30-megawatt] data center [project] in
        PLACE", a site that has no name but its place ("Glomfjord data center"); None otherwise, and
        None for a site only planned or weighed ("would open a data center near Paris")."""
        if not any(t.lower_ in self.site_head_words for t in toks[i:min(i + 9, sent.end)]) or any(
                t.lower_ in self.plan_words for t in toks[max(sent.start, i - 6):i]):
            return None
        j = i
        while j < sent.end and j - i < 7:  # sizes and adjectives: "$4 billion", "30-megawatt", "new"
            m = positions.get(j)
            if toks[j].lower_ in self.site_heads or " ".join(t.lower_ for t in toks[j:j + 2]) in self.site_heads:
                break
            if m is not None and m.kind in ("GW", "MONEY"):
                j = m.end
            elif j not in positions and (toks[j].is_lower or toks[j].text == "-"
                                         or (toks[j].is_upper and len(toks[j]) <= 3)):  # "AI", "HPC"
                j += 1
            else:
                break
        k = j + 2 if " ".join(t.lower_ for t in toks[j:j + 2]) in self.site_heads else j + 1
        if j >= sent.end or " ".join(t.lower_ for t in toks[j:k]) not in self.site_heads:
            return None
        end = k + 1 if k < sent.end and toks[k].lower_ in ("project", "campus", "facility") else k
        after = end
        if after < sent.end and toks[after].text == "(":  # "a data center (pictured) in Glomfjord"
            after = next((n + 1 for n in range(after, min(after + 4, sent.end)) if toks[n].text == ")"), after)
        place = positions.get(after + 1)
        if after + 1 >= sent.end or toks[after].lower_ not in ("in", "near") or place is None \
                or place.kind not in ("PLACE", "CAP"):
            return None
        if place.kind == "CAP":  # "a data center in Glomfjord": an unknown name where a place is asked for
            place.kind, place.entity_id = "PLACE", state.discover(str(place.value), "PLACE")
        noun = " ".join(t.lower_ for t in toks[j:k])
        name = "".join(t.text_with_ws for t in toks[place.start:place.end]).strip()
        site = state.discover(f"{name} {noun}", "SITE")
        state.site_places.setdefault(site, [place.entity_id])
        state.last_site, state.last_site_at = site, len(state.sentence_orgs)
        return j, end, site

    def _place_named_site(self, toks: list, place: Mention, sent: Sentence, taken: set[int],
                          state: _DocState) -> tuple[int, str, bool] | None:
        """At a place after "the", "its" or "X's" and before a site noun ("the Denton campus"): (end of
        the description, the site, whether the place stays a unit of its own). The site named in this
        or the previous sentence when there is one ("Colossus ... the Memphis site"), else a new site
        named by the words themselves ("Council Bluffs campus")."""
        before = toks[place.start - 1].lower_ if place.start > sent.start else ""
        if before not in ("the", "its", "their", "'s", "’s", "our"):
            return None
        j = place.end
        places = [place.entity_id]
        if j + 1 < sent.end and toks[j].text == "," and j + 1 in taken and toks[j + 1].text[:1].isupper():
            # "IREN's Childress, Texas campus": the town, then its state
            k = j + 1
            while k < sent.end and k in taken and k - j <= 3:
                k += 1
            state_name = " ".join(t.text for t in toks[j + 1:k])
            state_id = self.gaz.names.get(state_name)
            if state_id and self.gaz.entities[state_id].type == "Place" and k < sent.end and toks[k].is_lower:
                places.append(state_id)
                j = k
        start = j
        while j < sent.end and j - start < 3 and j not in taken and toks[j].is_lower:
            j += 1
            noun = " ".join(t.lower_ for t in toks[start:j])
            if noun in self.site_nouns and not (j < sent.end and toks[j].is_lower and toks[j].lower_ not in (
                    "in", "near", "outside", "is", "was", "will", "has", "that", "which", "where")):
                if j < sent.end and toks[j].lower_ in ("called", "named", "dubbed", "of", "at"):
                    return None
                if state.last_site and state.last_site_at >= len(state.sentence_orgs) - 1:
                    return j, state.last_site, True
                name = " ".join(t.text for t in [*toks[place.start:place.end], *toks[start:j]])
                site = state.discover(name, "SITE")
                state.last_site, state.last_site_at = site, len(state.sentence_orgs)
                state.site_places.setdefault(site, places)
                return j, site, False
        return None

    def _description_end(self, doc: Doc, i: int, end: int, taken: set[int]) -> int | None:
        """End of "the [adjectives] NOUN" when NOUN refers to an organization, else None."""
        j = i
        while j < end and j - i < 5 and j not in taken:
            low = doc[j].lower_
            if low in self.org_nouns:
                if j + 1 < end and (doc[j + 1].lower_ in self.org_nouns or doc[j + 1].lower_ == "of"):
                    if doc[j + 1].lower_ in self.org_nouns:
                        j += 1
                        continue
                    return None  # "the parent company of X": handled by patterns
                return j + 1
            if not (doc[j].is_lower or doc[j].text == "-"):
                return None
            j += 1
        return None

    # ------------------------------------------------------------- relations
    def _facts(self, document: Document, doc: Doc, sent: Sentence, mentions: list[Mention],
               state: _DocState) -> list[Fact]:
        units, unit_mentions, lower_words = self._units(doc, sent, mentions, state.tokens)
        if not any(unit_mentions):
            return []
        current_orgs = [m.entity_id for m in mentions if m.kind in ("ORG", "DIV") and m.entity_id]
        raw = document.text[sent.start_char:sent.end_char]
        evidence = raw.strip()
        start_char = sent.start_char + (len(raw) - len(raw.lstrip()))
        appositives = _appositives(units)
        facts = self._match(units, unit_mentions, lower_words, current_orgs, state, document, evidence, start_char,
                            appositives=appositives)
        reduced = _without_appositives(units, unit_mentions, lower_words, appositives)
        reduced = _without_relative_clauses(*(reduced or (units, unit_mentions, lower_words))) or reduced
        if reduced is not None:  # "X, Alphabet's research lab, released Y": X released Y
            seen = {(f.subject_id, f.predicate, f.object_id, f.value) for f in facts}
            for fact in self._match(*reduced, current_orgs, state, document, evidence, start_char):
                if (fact.subject_id, fact.predicate, fact.object_id, fact.value) not in seen:
                    facts.append(fact)
        facts.extend(self._facts_from_names(doc, mentions, state, document, evidence, start_char, facts))
        return facts

    def _facts_from_names(self, doc: Doc, mentions: list[Mention], state: _DocState, document: Document,
                       evidence: str, start_char: int, facts_so_far: list[Fact]) -> list[Fact]:
        """subsidiaryOf facts a unit's name states: "Nvidia Networking" and "Microsoft AI", names
        the gazetteer lacks, are units of the company they are named after (once per document).
        Known units ("Google DeepMind") are not restated on every mention: annotators do not."""
        facts = []
        for m in mentions:
            if m.kind not in ("DIV", "ORG") or not m.entity_id or m.entity_id not in state.unit_owners \
                    or m.entity_id in state.units_stated:
                continue
            parent = state.unit_owners.get(m.entity_id)
            if parent is None:
                continue
            state.units_stated.add(m.entity_id)
            fact = self._fact("subsidiaryOf", m, Mention(m.start, m.start, "ORG", parent), {}, NAMED_UNIT,
                              state, document, evidence, start_char, False)
            if fact is not None:
                facts.append(fact)
        used = {f.subject_id for f in facts_so_far} | {f.object_id for f in facts_so_far}
        for m in mentions:  # "the Denton campus", "IREN's Childress, Texas campus": where the name says,
            # once the sentence states something of the site ("is evaluating a data center in X" does not)
            if m.kind == "SITE" and m.entity_id in state.site_places and m.entity_id not in state.units_stated \
                    and m.entity_id in used:
                state.units_stated.add(m.entity_id)
                for place in state.site_places[m.entity_id]:
                    fact = self._fact("locatedIn", m, Mention(m.start, m.start, "PLACE", place), {}, NAMED_SITE,
                                      state, document, evidence, start_char, False)
                    if fact is not None:
                        facts.append(fact)
        return facts

    def _match(self, units: list[str], unit_mentions: list, lower_words: list[str], current_orgs: list[str],
               state: _DocState, document: Document, evidence: str, start_char: int,
               appositives: list[tuple[int, int]] = ()) -> list[Fact]:
        """Run the relation patterns over one unit sequence. A subject inside an appositive
        cannot govern what follows it ("SK Hynix, Nvidia's supplier, reported ...")."""
        encoded = " " + " ".join(units) + " "
        offsets = []  # char offset in `encoded` of each unit
        pos = 1
        for u in units:
            offsets.append(pos)
            pos += len(u) + 1
        facts: list[Fact] = []
        features = {u if not u.startswith("@") else u.rstrip("0123456789") for u in units}
        candidates = set(self._unindexed)
        met = 0  # the needs this sentence meets, as a bit set, to test each pattern's needs at once
        for feature in features:
            candidates.update(self._pattern_index.get(feature, ()))
            met |= self._needs_met_by.get(feature, 0)
        unmet = self._every_need & ~met
        conditional = bool(units) and units[0] in ("if", "unless", "should")  # "If the merger goes ahead, ..."
        for n in sorted(candidates):
            if self._pattern_needs[n] & unmet:
                continue
            pattern = self.patterns[n]
            for match in pattern.regex.finditer(encoded):
                first = _unit_at(offsets, match.start())
                last = _unit_at(offsets, match.end() - 1)
                window = " ".join(filter(None, lower_words[max(0, first - 4):last + 1]))
                after = " ".join(filter(None, lower_words[last + 1:last + 4]))
                if not pattern.presupposed and (conditional or self.negation.search(window) or self.hedge.search(window) or (
                        not pattern.modal and self.intention.search(window)) or self.collapse.search(after)):
                    continue  # ... and "the deal between A and B was scrapped" undoes the deal
                if pattern.unless and pattern.unless.match(" ".join(units[last + 1:last + 4])):
                    continue
                if appositives and match.re.groupindex.get("s") and match.start("s") >= 0:
                    subject_at = _unit_at(offsets, match.start("s"))
                    if any(a < subject_at < b < last and not units[a - 1].startswith("@PER")
                           for a, b in appositives):  # "Lisa Su, AMD's CEO, showed": AMD may
                        continue
                facts.extend(self._emit(pattern, match, unit_mentions, units, current_orgs, state,
                                        document, evidence, start_char, first, last))
        return facts

    def _units(self, doc: Doc, sent: Sentence, mentions: list[Mention], toks: list):
        units: list[str] = []
        unit_mentions: list[Mention | None] = []
        lower_words: list[str] = []
        positions = {m.start: m for m in mentions}
        i = sent.start
        while i < sent.end:
            m = positions.get(i)
            if m is not None:
                if (units and units[-1] == "(" and len(units) >= 2 and unit_mentions[-2] is not None
                        and m.end < sent.end and toks[m.end].text == ")" and (
                            (unit_mentions[-2].entity_id and unit_mentions[-2].entity_id == m.entity_id)
                            or (unit_mentions[-2].kind == "ROLE" and m.kind == "ROLE")  # "chief executive (CEO)"
                            or (m.kind == "CAP" and m.end - m.start == 1 and toks[m.start].is_upper))):  # "(NBIS)"
                    units.pop(); unit_mentions.pop(); lower_words.pop()
                    i = m.end + 1
                    continue
                if units and units[-1] == "the" and m.kind not in ("ROLE", "MONEY", "DATE", "PCT", "GW"):
                    units.pop(); unit_mentions.pop(); lower_words.pop()
                if m.kind == "CAP" or m.entity_id or m.kind not in ("ORG", "DIV", "PER", "PROD", "SITE", "PLACE"):
                    units.append(f"@{m.kind}{len(units)}")
                    unit_mentions.append(m)
                    lower_words.append("")
                    if m.value in ("its", "their", "his", "her"):  # a possessive pronoun: "its CEO"
                        units.append("'s"); unit_mentions.append(None); lower_words.append("")
                i = m.end
                continue
            token = toks[i]
            text = token.text
            if text == "," and (alias_end := _alias_end(toks, i, sent.end, self.alias_cues)):
                i = alias_end  # "Xiao Hong, also known as Red, the co-founder ...": the alias says nothing
                continue
            if text in QUOTES or token.is_space or (token.lower_ in self.fillers and units and units[-1] != ","):
                i += 1  # "both supply", "is now the largest": fillers carry nothing a pattern needs
                continue
            if (text == "-" and not toks[i - 1].whitespace_ and i + 1 < sent.end and not token.whitespace_
                    and units and not units[-1].startswith("@") and i + 1 not in positions
                    and toks[i + 1].is_alpha and units[-1][-1:].isalpha()):
                units[-1] = f"{units[-1]}-{toks[i + 1].lower_}"  # "held-for-sale", "co-led": one word
                lower_words[-1] = units[-1] if lower_words[-1] else ""
                i += 2
                continue
            if text in ("’s", "'s", "’", "'") and units and units[-1].startswith("@"):
                word = "'s"
            elif text in DASHES:
                word = ","
            else:
                word = token.lower_.replace("’", "'")
            units.append(word)
            unit_mentions.append(None)
            lower_words.append("" if text in ("May", "Will", "If") and not token.is_sent_start else text.lower())
            i += 1
        return units, unit_mentions, lower_words

    def _emit(self, pattern: Pattern, match: re.Match, unit_mentions, units, current_orgs, state,
              document, evidence, start_char, first, last) -> list[Fact]:
        groups = {k: v for k, v in match.groupdict().items() if v}

        def members(name: str) -> list[Mention]:
            text = groups.get(name)
            return [unit_mentions[int(n)] for n in _UNIT_NUMBER.findall(text)] if text else []

        in_match = {unit_mentions[k].entity_id for k in range(first, last + 1)
                    if unit_mentions[k] is not None and unit_mentions[k].entity_id}
        value: dict = {}
        amount = members("amt")
        if amount and amount[0].value.currency != "USD":
            # "€11.7 billion, or about $13.7 billion": the article's own conversion to dollars
            k = unit_mentions.index(amount[0])
            for n in range(k + 1, min(k + 5, len(units))):
                if units[n].startswith("@MONEY") and unit_mentions[n].value.currency == "USD" \
                        and ("or" in units[k + 1:n] or "worth" in units[k + 1:n]):
                    amount = [unit_mentions[n]]
                    break
        if amount:
            money: Money = amount[0].value
            sign = -1.0 if pattern.negate else 1.0
            if money.currency == "USD":
                if money.high is not None:
                    value.update(amount_usd_min=sign * money.amount, amount_usd_max=sign * money.high)
                else:
                    value["amount_usd"] = sign * money.amount
            value.update(amount=sign * money.amount, currency=money.currency)
        if members("gw"):
            value["gigawatts"] = float(members("gw")[0].value)
        if members("pct"):
            value["percent"] = float(members("pct")[0].value)
        role: Role | None = members("role")[0].value if members("role") else None
        if role is None and pattern.role:
            value["role"] = pattern.role
        if role is not None:
            former = re.search(r"\bformer\b", " ".join(units[max(0, first - 3):last + 1]))
            value["role"] = role.title + (" (former)" if former or pattern.role == "(former)" else "")
        dates = members("when") or [m for m in unit_mentions if m is not None and m.kind == "DATE"]
        if len(dates) > 1 and amount:
            # "over $30B from Microsoft in its first fiscal quarter and almost $85B from Alphabet":
            # each amount takes the date written nearest to it
            at = unit_mentions.index(amount[0])
            dates = sorted(dates, key=lambda m: abs(unit_mentions.index(m) - at))
        facts = []
        for s_group, predicate, o_group in pattern.emit:
            if predicate == "role":
                if role is None or role.public:
                    continue  # "said Governor Glenn Youngkin": no post in the company named nearby
                predicate = "heads" if role.heads else "worksFor"
            if dates and predicate in ("capex", "revenue", "netIncome"):
                value.setdefault("period", dates[0].value.label)
            elif predicate in ("capex", "revenue", "netIncome") and document.published and re.search(
                    r"\b(annual|this year|full-year|full year|for the year)\b", " ".join(units)):
                value.setdefault("period", str(document.published.year))  # "annual forecast": the current year
            elif dates and predicate in ("valuation", "fundingRaised", "capacity"):
                value.setdefault("date", dates[0].value.label)
            elif predicate in ("valuation", "fundingRaised") and document.published:
                value.setdefault("date", document.published.strftime("%Y-%m"))  # as of the article
            subjects = members(s_group)
            objects = members(o_group) if o_group else [None]
            implicit = False
            target_hint = None
            for side in ("s", "o"):
                args, other = (subjects, objects) if side == "s" else (objects, subjects)
                group = s_group if side == "s" else o_group
                if args or group not in ("s", "o") or group in pattern.regex.groupindex:
                    continue  # only a subject or object the pattern leaves out is filled in
                allowed = SIGNATURES.get(predicate, ({"ORG", "DIV"}, set()))[0 if side == "s" else 1]
                if not allowed & {"ORG", "DIV"}:
                    continue
                exclude = {m.entity_id for m in other if m is not None} | in_match
                if first >= 2 and units[first - 1] == "'s" and unit_mentions[first - 2] is not None:
                    owner = unit_mentions[first - 2].entity_id
                    if o_group:
                        exclude.add(owner)  # "SoftBank's fund led the round": not SoftBank's round
                    elif owner not in exclude:
                        target_hint = owner  # "Palantir's revenue rose to ...": Palantir's revenue
                # An omitted argument refers back: to an organization named before the match
                # in this sentence, else to the one the previous sentences were about.
                before = [m.entity_id for m in unit_mentions[:first]
                          if m is not None and m.kind in ("ORG", "DIV") and m.entity_id]
                possessors = [unit_mentions[k].entity_id for k in range(first, last)
                              if units[k + 1] == "'s" and unit_mentions[k] is not None
                              and (predicate in ("heads", "worksFor")
                                   or not (k + 2 < len(units) and units[k + 2].startswith("@ROLE")))
                              and unit_mentions[k].kind in ("ORG", "DIV") and unit_mentions[k].entity_id]
                named = [m.entity_id for m in unit_mentions
                         if m is not None and m.kind in ("ORG", "DIV") and m.entity_id and m.value is None]
                adjacent = target_hint
                target_hint = None
                if pattern.local and first >= 1:
                    k = first - 2 if first >= 2 and units[first - 1] == "'s" else first - 1
                    m = unit_mentions[k]
                    if m is not None and m.kind in ("ORG", "DIV") and m.entity_id:
                        adjacent = m.entity_id  # "OpenAI cofounder and CEO Sam Altman"
                maker = next((self.gaz.owners.get(m.entity_id) for m in other
                              if m is not None and predicate == "develops" and m.entity_id in self.gaz.owners), None)
                if maker and maker not in exclude:
                    target = maker  # "the ChatGPT developer": whoever makes ChatGPT
                elif possessors and possessors[0] not in {m.entity_id for m in other if m is not None}:
                    target = possessors[0]  # "its first site, X": the possessor owns it
                elif adjacent:
                    target = adjacent
                elif pattern.local:
                    target = next((e for e in before + named if e not in exclude), None)
                    if target is None and role is not None and role.title.split()[0] in TOPIC_TITLES \
                            and state.topic not in exclude:
                        target = state.topic  # "CEO C.C. Wei predicts ...": the company the article is about
                else:
                    target = state.salient_org([e for e in before if e not in exclude], exclude)
                backed = next((unit_mentions[k + 1].entity_id for k in range(last + 1, min(last + 6, len(units) - 1))
                               if units[k] in ("back", "backing", "fund", "funding", "into")
                               and units[k + 1].startswith(("@ORG", "@CAP")) and unit_mentions[k + 1].entity_id),
                              None) if predicate == "investedIn" and side == "o" else None
                if backed and backed not in exclude:
                    target = backed  # "investors such as Samsung and LG to back Tenstorrent"
                if target is not None and predicate == "investedIn" and side == "o" \
                        and state.entity(target).type == "Investor":
                    # the money goes into a company, not into one of the funds named around it
                    target = state.salient_org([], exclude | {target} | {
                        e for e in before if state.entity(e) and state.entity(e).type == "Investor"})
                if target is None:
                    break
                args.append(Mention(0, 0, KIND_OF_TYPE[state.entity(target).type], target, inferred=True))
                implicit = True
            if not subjects or not objects:
                continue
            pairs = [(a, b) for a in subjects for b in objects]
            if s_group == o_group:  # "A, B and C are competing": every pair of the list
                pairs = [(a, b) for n, a in enumerate(subjects) for b in subjects[n + 1:]]
            for subj, obj in pairs:
                fact = self._fact(predicate, subj, obj, value, pattern, state, document, evidence,
                                  start_char, implicit)
                if fact is not None:
                    facts.append(fact)
        return facts

    def _supplier_first(self, a: Mention, b: Mention, state: _DocState) -> tuple[Mention, Mention] | None:
        """For "a cloud deal between A and B": (supplier, customer) when the gazetteer's kinds tell
        which one stands further up the supply chain (power, then hardware, then GPU capacity, then
        cloud: "Microsoft's deal with IREN" makes IREN the supplier); None when they do not."""
        tier_a, tier_b = self._supply_tier(a, state), self._supply_tier(b, state)
        if tier_a > tier_b:
            return a, b
        if tier_b > tier_a:
            return b, a
        return None

    def _supply_tier(self, m: Mention, state: _DocState) -> int:
        """How far up the supply chain an organization sells (0: it sells none of it)."""
        entity = state.entity(m.entity_id) if m.entity_id else None
        if entity is None:
            return 0
        if entity.kinds:
            return max((self.supply_tiers.get(kind, 0) for kind in entity.kinds), default=0)
        if m.entity_id in state.unit_owners:  # "Entergy Arkansas" sells what Entergy sells
            return self._supply_tier(Mention(m.start, m.end, "ORG", state.unit_owners[m.entity_id]), state)
        # an unknown name says what it sells by its last word: "Stormhaven Cloud", "Ansell Ridge Energy"
        return self.supply_tiers.get(entity.label.split()[-1], 0)

    def _fact(self, predicate, subj: Mention, obj: Mention | None, value: dict, pattern: Pattern,
              state: _DocState, document: Document, evidence: str, start_char: int, implicit: bool) -> Fact | None:
        if predicate == "supplyDeal":  # a deal whose direction the words do not give
            oriented = self._supplier_first(subj, obj, state) if obj is not None else None
            if oriented is None:
                return None
            subj, obj = oriented
            predicate = "supplies"
        subj_id = self._commit(subj, predicate, 0, state)
        if subj_id is None:
            return None
        subject = state.entity(subj_id)
        if predicate == "supplies" and subject.type == "Product" and subject.id in self.gaz.owners:
            subject = state.entity(self.gaz.owners[subject.id]) or subject  # "uses Trainium": its maker supplies
            subj_id = subject.id
        object_ = None
        if obj is not None:
            obj_id = self._commit(obj, predicate, 1, state)
            if obj_id is None or obj_id == subj_id:
                return None
            object_ = state.entity(obj_id)
            if predicate == "develops" and not self._may_make(subj_id, obj_id):
                return None  # "Oracle received GB200 racks": the gazetteer knows Nvidia makes them
        elif predicate in VALUE_SUBJECTS and KIND_OF_TYPE[subject.type] not in VALUE_SUBJECTS[predicate]:
            return None
        elif predicate not in VALUE_SUBJECTS and subject.type in ("Person", "Place", "Product"):
            return None
        if predicate == "capacity" and "gigawatts" not in value:
            return None
        if predicate in ("assetSale", "capex", "revenue", "netIncome", "valuation", "fundingRaised") \
                and not ({"amount_usd", "amount_usd_min", "amount"} & value.keys()):
            return None
        confidence = pattern.confidence
        if implicit or subj.inferred or (obj is not None and obj.inferred):
            confidence *= 0.85
        # Every field comes from the extractor's own typed values, so the records are built
        # without re-validation (`model_construct`): this runs for every match of every pattern.
        return Fact.model_construct(
            doc=document.name, subject=subject.label, subject_id=subject.id, subject_type=subject.type,
            predicate=predicate, object=object_.label if object_ else None,
            object_id=object_.id if object_ else None, object_type=object_.type if object_ else None,
            value=FactValue.model_construct(**{**_EMPTY_VALUE, **value}) if value else _NO_VALUE, evidence=evidence,
            start=start_char, end=start_char + len(evidence), confidence=round(confidence, 3), pattern=pattern.id,
        )

    def _may_make(self, maker_id: str, product_id: str) -> bool:
        """False when the gazetteer says another, unrelated organization makes the product."""
        owner = self.gaz.owners.get(product_id)
        if owner is None:
            return True
        return bool(self._lineage(maker_id) & self._lineage(owner))

    def _lineage(self, entity_id: str) -> frozenset[str]:
        """An organization and the ones above it (Google DeepMind -> Google -> Alphabet)."""
        if (known := self._lineages.get(entity_id)) is not None:
            return known
        found, start = {entity_id}, entity_id
        while (entity_id := self.gaz.owners.get(entity_id)) is not None and entity_id not in found:
            found.add(entity_id)
        self._lineages[start] = frozenset(found)
        return self._lineages[start]

    def _commit(self, mention: Mention, predicate: str, position: int, state: _DocState) -> str | None:
        """The entity id of a mention in a slot, discovering it when it was an unknown name."""
        allowed = SIGNATURES.get(predicate, (set(VALUE_SUBJECTS.get(predicate, {"ORG", "DIV"})), set()))[position]
        if mention.entity_id is None:
            if mention.kind != "CAP":
                return None
            slot = sorted(allowed)[0] if len(allowed) == 1 else UNKNOWN_NAME_SLOT.get(predicate) or (
                "ORG" if "ORG" in allowed else sorted(allowed)[0])
            words = str(mention.value).split()
            looks_personal = 2 <= len(words) <= 3 and words[0] in self.gaz.given_names
            if looks_personal and slot != "PER":
                return None  # "Karen Simonyan" is nobody's investor or subsidiary
            if (slot == "ORG" and position == 0
                    and predicate in ("investedIn", "acquired", "hired", "operates", "supplies", "develops")
                    and 2 <= len(words) <= 3 and words[-1] not in self.org_suffix_words):
                return None  # an unknown "First Last" that invests or hires is more likely a person
            mention.kind = slot
            mention.entity_id = state.discover(str(mention.value), slot)
            if slot == "SITE":
                # "the campus" in the next sentence refers to it
                state.last_site, state.last_site_at = mention.entity_id, len(state.sentence_orgs)
        entity = state.entity(mention.entity_id)
        if entity is None:
            return None
        kind = KIND_OF_TYPE[entity.type]
        if kind not in allowed:
            return None
        return entity.id


APPOSITIVE_OPENERS = frozenset({"the", "a", "an", "its", "their", "his", "her", "now", "currently", "formerly",
                                "another", "former", "longtime", "then", "also"})
ENTITY_UNIT = re.compile(r"^@(?:ORG|DIV|PER|CAP|SITE|PROD)\d+$")
_UNIT_NUMBER = re.compile(r"@[A-Z]+(\d+)")  # a unit's position in its sentence: "@ORG3" -> "3"


_CHIEF = hash_string("chief")




def _alias_end(toks: list, i: int, end: int, cues: tuple[tuple[str, ...], ...]) -> int | None:
    """At the comma of ", also known as Red," : the position of the closing comma, else None."""
    for cue in cues:
        if tuple(t.lower_ for t in toks[i + 1:i + 1 + len(cue)]) == cue:
            k = i + 1 + len(cue)
            for j in range(k + 1, min(k + 6, end)):
                if toks[j].text == ",":
                    return j
            return None
    return None


def _chief_officer_spans(doc: Doc) -> list[Span]:
    """Titles of the form "Chief ... Officer" that no list holds ("Chief Global Affairs and Legal Officer")."""
    spans = []
    for i in numpy.flatnonzero(doc.to_array(LOWER) == _CHIEF).tolist():  # each "chief", without a Token each
        token = doc[i]
        for j in range(token.i + 2, min(token.i + 8, len(doc))):
            if doc[j].lower_ == "officer":
                spans.append(Span(doc, token.i, j + 1))
                break
            if not (doc[j].is_alpha or doc[j].text in ("&", "-")):
                break
    return spans


def _appositives(units: list[str]) -> list[tuple[int, int]]:
    """(first, last) unit positions of each appositive after a name, both commas included:
    "X , the chipmaker , said" -> [(1, 4)]."""
    spans = []
    k = 0
    while k + 2 < len(units):
        if ENTITY_UNIT.match(units[k]) and units[k + 1] == ",":
            j = k + 2
            while j < len(units) and j - k <= 12 and units[j] not in (",", ".", ";", "(", ")"):
                j += 1
            segment = units[k + 2:j]
            opener = segment[0] if segment else ""
            listed = opener.startswith("@") and len(segment) > 1 and segment[1] in ("and", "or", "&")
            if (segment and j < len(units) - 1 and units[j] == "," and not ENTITY_UNIT.match(units[j + 1] or "x")
                    and (opener in APPOSITIVE_OPENERS or opener.startswith("@")) and not listed
                    and not any(w in ("who", "which", "that", "where", "when") for w in segment)):
                spans.append((k + 1, j))
                k = j + 1
                continue
        k += 1
    return spans


def _kept(units: list[str], unit_mentions: list, lower_words: list[str], keep: list[bool]):
    """The units marked to keep, renumbered (`@ORG7` becomes `@ORG3` when it is the fourth kept)."""
    new_units, new_mentions, new_words = [], [], []
    for n, unit in enumerate(units):
        if keep[n]:
            if unit.startswith("@"):
                unit = re.sub(r"\d+$", str(len(new_units)), unit)
            new_units.append(unit)
            new_mentions.append(unit_mentions[n])
            new_words.append(lower_words[n])
    return new_units, new_mentions, new_words


def _without_appositives(units: list[str], unit_mentions: list, lower_words: list[str],
                         spans: list[tuple[int, int]] | None = None):
    """The units with appositives after a name cut out ("X , the chipmaker , said" -> "X said"),
    renumbered; None when the sentence has none. `spans`: the appositives, when already found."""
    spans = _appositives(units) if spans is None else spans
    if not spans:
        return None
    keep = [True] * len(units)
    for first, last in spans:
        for n in range(first, last + 1):
            keep[n] = False
    return _kept(units, unit_mentions, lower_words, keep)


def _without_relative_clauses(units: list[str], unit_mentions: list, lower_words: list[str]):
    """The units with non-restrictive relative clauses after a name cut out ("the campus , which
    Entergy will power with gas plants , is designed to scale to 5 GW" -> "the campus is designed
    to scale to 5 GW"), renumbered; None when the sentence has none."""
    keep = [True] * len(units)
    found = False
    for k in range(len(units) - 3):
        if not (ENTITY_UNIT.match(units[k]) and units[k + 1] == "," and units[k + 2] in ("which", "where", "whose")):
            continue
        j = k + 3
        while j < len(units) and j - k <= 18 and units[j] not in (",", ".", ";", "(", ")"):
            j += 1
        if j < len(units) - 1 and units[j] == "," and not ENTITY_UNIT.match(units[j + 1]):
            for n in range(k + 1, j + 1):
                keep[n] = False
            found = True
    if not found:
        return None
    return _kept(units, unit_mentions, lower_words, keep)


COMMON_FEATURES = frozenset({"'s", "is", "was", "are", "were", "has", "have", "had", "and", "the", "a", "an",
                             "in", "of", "to", "by", "with", "for", "on", "at", "from", "its", "will", "as",
                             "@ORG", "@DIV", "@CAP", "@PER", "@PLACE", "@DATE"})


def _need_cost(need: frozenset[str]) -> tuple[int, int]:
    """How often a sentence would have one of these features (lower is rarer), for indexing."""
    return sum(f in COMMON_FEATURES for f in need) * 100 + len(need), 0


def _need_bits(patterns: Iterable[Pattern]) -> tuple[dict[str, int], list[int], int]:
    """The patterns' distinct needs (see `kg.patterns.required_features`) numbered as bits:
    for each feature the needs it meets, for each pattern the needs it has, and all needs.
    A sentence can match a pattern only when it meets all of the pattern's needs."""
    patterns = list(patterns)
    distinct = sorted({need for p in patterns for need in p.needs}, key=sorted)
    bit = {need: 1 << b for b, need in enumerate(distinct)}
    met_by: dict[str, int] = {}
    for need, b in bit.items():
        for feature in need:
            met_by[feature] = met_by.get(feature, 0) | b
    return met_by, [sum(bit[need] for need in set(p.needs)) for p in patterns], (1 << len(distinct)) - 1


_EMPTY_VALUE = {name: None for name in FactValue.model_fields}
_NO_VALUE = FactValue.model_construct(**_EMPTY_VALUE)  # shared by the facts without one: it is immutable


def _cue_regex(words: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted((re.escape(w) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?![\w'])")


def _is_name_word(token) -> bool:
    """A word that can be part of a proper name: "Quillfeather", "NVIDIA", "Run:ai"."""
    text = token.text
    return bool(text) and (text[0].isupper() or text in ("&",)) and not token.is_punct


NUMBER_UNIT_WORDS = frozenset({"%", "percent", "billion", "million", "trillion", "gigawatts", "gigawatt", "megawatts",
                               "megawatt", "gw", "mw", "gwh", "mwh", "acres", "acre", "years", "year", "people",
                               "employees", "days", "months", "weeks", "times", "-", "/", ".", ":"})


def _with_number(doc: Doc, span: Span, end: int, taken: list[bool]) -> Span:
    """A name with its sequence number: "Polaris Forge 1", "Colossus 2" (not "Nvidia 2 percent")."""
    k = span.end
    if k < end and not taken[k] and doc[k].is_digit and len(doc[k].text) <= 2 and not (
            k + 1 < end and (doc[k + 1].lower_ in NUMBER_UNIT_WORDS or doc[k + 1].like_num)):
        return doc[span.start:k + 1]
    return span


def _is_headline(tokens: list) -> bool:
    """True when (almost) every word is capitalized, as in titles and section heads."""
    words = [t for t in tokens if t.is_alpha]
    titled = sum(1 for t in words if t.text[:1].isupper())
    if len(words) < 3:
        return False
    last = next((t.text for t in reversed(tokens) if not t.is_space), "")
    ends_like_prose = last[-1:] in (".", "!", "?", "\u201d", '"')
    return titled / len(words) > (0.85 if ends_like_prose else 0.6)


def _without_redundant_posts(facts: list[Fact]) -> list[Fact]:
    """Drop "P worksFor O" when the document also says P heads O, unless the post is a former one
    ("named co-founder Ilya Sutskever chief executive": he heads it; "promoted from COO to CEO"
    keeps the former COO post, not a bare "(former)" one; an interim head usually keeps the post held before)."""
    heads = {(f.subject_id, f.object_id) for f in facts
             if f.predicate == "heads" and not re.search(r"\b(interim|acting)\b", f.value.role or "")}
    return [f for f in facts if not (
        f.predicate == "worksFor" and (f.subject_id, f.object_id) in heads
        and ("former" not in (f.value.role or "") or (f.value.role or "").startswith("(")))]


def _looks_like_full_name(span: Span) -> bool:
    """Two or three capitalized words, a hyphenated one counting as one word: "Cat Wu",
    "Ysolde Harrington-Mbeki" (the shape of a person's first and last name)."""
    words = span.text.split()
    return 2 <= len(words) <= 3 and all(
        part[:1].isupper() and part[1:2].islower() for word in words for part in word.split("-"))


def _is_cap(token) -> bool:
    text = token.text
    return (text[:1].isupper() and any(c.isalpha() for c in text)) and not token.is_punct


def _capitalized_words(doc: Doc, skip: set[int]) -> set[str]:
    """The capitalized words of a doc outside the token positions `skip` (each distinct word's
    text is looked up once, from the doc's ORTH array; lower-case words, numbers, spaces and
    punctuation, which cannot start with a capital, are left out before)."""
    orths, lowers, digits, spaces, puncts = doc.to_array([ORTH, IS_LOWER, IS_DIGIT, IS_SPACE, IS_PUNCT]).T
    maybe = (lowers | digits | spaces | puncts) == 0
    if skip:
        maybe[sorted(skip)] = False
    strings = doc.vocab.strings
    return {text for text in map(strings.__getitem__, set(orths[maybe].tolist())) if text[:1].isupper()}


class _NameMatch(NamedTuple):
    """A gazetteer match: token bounds and its key, "kind|entity id" (what a `Span` label would be)."""

    start: int
    end: int
    label_: str


def _longest_matches(matches: Iterable[tuple[int, int, int]], strings: StringStore) -> list[_NameMatch]:
    """PhraseMatcher matches (key, start, end) without overlaps, sorted by start: the longest wins,
    the first of equally long ones (`spacy.util.filter_spans`' choice, without a `Span` per match)."""
    chosen = []
    seen: set[int] = set()
    for key, start, end in sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True):
        if start not in seen and end - 1 not in seen:
            chosen.append(_NameMatch(start, end, strings[key]))
            seen.update(range(start, end))
    return sorted(chosen, key=lambda m: m.start)


def _sentence_index(starts: list[int], token_i: int) -> int:
    """Index of the sentence (by its start token) that holds token `token_i`."""
    return max(0, bisect_right(starts, token_i) - 1)


def _unit_at(offsets: list[int], char: int) -> int:
    """Index of the unit whose text (in the encoded sentence) holds character `char`."""
    return max(0, bisect_right(offsets, char) - 1)


def explain(text: str, extractor: Extractor | None = None) -> list[str]:
    """Each sentence of `text` as the unit string the relation patterns see (for debugging rules).

    >>> explain("Nvidia acquired Quillfeather Robotics.")
    ['@ORG0 acquired @ORG2 .']
    """
    extractor = extractor or Extractor()
    document = Document(name="explain", path="explain", text=text, sha256="")
    doc = extractor.nlp(text)
    state = _DocState(extractor.gaz)
    state.tokens, state.sentences = tokens_and_sentences(doc)
    mentions = extractor._mentions(doc, document, state)
    state.topic = extractor._topic(mentions, state)
    lines = []
    for sent in state.sentences:
        sent_mentions = [m for m in mentions if sent.start <= m.start < sent.end]
        extractor._resolve_references(doc, sent, sent_mentions, state)
        units, _, _ = extractor._units(doc, sent, sent_mentions, state.tokens)
        lines.append(" ".join(units))
        state.close_sentence(sent_mentions)
    return lines
