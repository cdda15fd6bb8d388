"""The spaCy pipeline: a blank English model with our sentence rules and gazetteer matchers.

All spaCy registrations live in this module (as spaCy itself does) so importing it twice
or from several places never registers a component twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.attrs import IS_DIGIT, IS_LOWER, IS_PUNCT, IS_SPACE, ORTH, SENT_START
from spacy.pipeline.sentencizer import Sentencizer
from spacy.strings import hash_string
from spacy.tokens import Doc

from kg.gazetteer import Gazetteer


# spaCy's sentencizer rule, by the hash of each punctuation mark (a token's ORTH)
_PUNCT_IDS = frozenset(hash_string(c) for c in Sentencizer.default_punct_chars)
_FULL_STOP = hash_string(".")


@Language.component("sentences", assigns=["token.is_sent_start", "doc.user_data"])
def sentences(doc: Doc) -> Doc:
    """Sentence starts: spaCy's sentencizer rule, then a new sentence after every line break
    (headlines and list items have no full stop), but none after an abbreviation's full stop.

    Works on the doc's attribute arrays in one pass: reading each `Token`'s attributes in
    Python, as spaCy's sentencizer does, cost about a tenth of the extraction time.
    """
    tokens = list(doc)  # one Token object each: indexing a Doc builds a new one every time
    doc.user_data["aikg_tokens"] = tokens  # reused by the extractor
    if not tokens:
        doc.user_data["aikg_sent_starts"] = []
        return doc
    orths, puncts, lowers, digits, spaces = doc.to_array([ORTH, IS_PUNCT, IS_LOWER, IS_DIGIT, IS_SPACE]).T.tolist()
    # the tokenizer keeps whitespace apart from words: a line break is inside a whitespace token
    breaks = {orth for orth, space in zip(orths, spaces) if space and "\n" in doc.vocab.strings[orth]}
    # Sentencizer: a sentence starts at the first token after . ! ? (and the like) that is
    # no punctuation itself.
    starts = [False] * len(orths)
    starts[0] = True
    seen_period = False
    for i, orth in enumerate(orths):
        if orth in _PUNCT_IDS:
            seen_period = True
        elif seen_period and not puncts[i]:
            starts[i] = True
            seen_period = False
    # Line breaks (a token's trailing whitespace is at most one space, so the break is a token).
    for i in range(1, len(orths)):
        if orths[i - 1] in breaks or orths[i] in breaks:
            starts[i] = True
        elif starts[i] and (lowers[i] or digits[i]) and orths[i - 1] == _FULL_STOP:
            # "NVIDIA Corp. and AMD", "Inc. said": an abbreviation, not the end of a sentence.
            starts[i] = False
    doc.from_array([SENT_START], numpy.where(starts, 1, -1).astype(numpy.uint64))
    doc.user_data["aikg_sent_starts"] = [i for i, start in enumerate(starts) if start]
    return doc


@lru_cache(maxsize=1)
def blank_pipeline() -> Language:
    """Blank English with rule-based sentence starts (full stops and line breaks)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentences")
    return nlp


class Matchers:
    """The gazetteer's names, role titles and discovery patterns as spaCy matchers."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        vocab = nlp.vocab
        self.names = PhraseMatcher(vocab, attr="ORTH")
        self.keys: dict[int, tuple[str, str]] = {}
        groups = (("name", gazetteer.names), ("short", gazetteer.short_names), ("demonym", gazetteer.demonyms))
        phrases: dict[str, list[str]] = {}
        for kind, table in groups:
            for name, entity_id in table.items():
                if len(name) < 2:
                    continue  # "X" (the platform) would match every "Meridian-X"
                key = f"{kind}|{entity_id}"
                phrases.setdefault(key, []).append(name)
                if len(name) > 3 and not name.isupper():
                    phrases[key].append(name.upper())
        # one tokenizer pass over every name, then one add per key: start-up stays short
        docs = iter(nlp.tokenizer.pipe([name for names in phrases.values() for name in names]))
        for key, names in phrases.items():
            self.names.add(key, [next(docs) for _ in names])
            kind, entity_id = key.split("|", 1)
            self.keys[vocab.strings[key]] = (kind, entity_id)
        self.roles = PhraseMatcher(vocab, attr="LOWER")
        for phrase, doc in zip(gazetteer.roles, nlp.tokenizer.pipe(list(gazetteer.roles))):
            self.roles.add(phrase, [doc])
        # Name endings: a PhraseMatcher finds the suffix word ("Robotics", "County", "Campus") and
        # the extractor walks left over the capitalized words before it. (A token Matcher with a
        # "+" over capitalized words cost a fifth of the extraction time; this costs almost nothing.)
        self.discovery = PhraseMatcher(vocab, attr="ORTH")
        for label, key in (("ORG_SUFFIX", "org_suffixes"), ("PLACE_SUFFIX", "place_suffixes"),
                           ("SITE_SUFFIX", "site_suffixes")):
            self.discovery.add(label, [nlp.make_doc(word) for word in sorted(gazetteer.words(key))])


@dataclass(frozen=True)
class Sentence:
    """A sentence as token and character bounds (lighter than a spaCy `Span`)."""

    start: int
    end: int
    start_char: int
    end_char: int


def tokens_and_sentences(doc: Doc) -> tuple[list, list[Sentence]]:
    """The doc's tokens (built once) and its sentences, faster than iterating `doc.sents`."""
    tokens = doc.user_data.get("aikg_tokens") or list(doc)
    if "aikg_sent_starts" in doc.user_data:  # set by the `sentences` component
        starts = list(doc.user_data["aikg_sent_starts"])
    else:
        starts = [int(i) for i in (doc.to_array([SENT_START]) == 1).nonzero()[0]] if len(doc) else []
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = starts + [len(doc)]
    return tokens, [Sentence(a, b, tokens[a].idx, tokens[b - 1].idx + len(tokens[b - 1].text))
                    for a, b in zip(bounds, bounds[1:]) if b > a]
