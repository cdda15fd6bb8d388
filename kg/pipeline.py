"""The spaCy pipeline: a blank English model with our sentence rules and gazetteer matchers.

All spaCy registrations live in this module (as spaCy itself does) so importing it twice
or from several places never registers a component twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.attrs import SENT_START
from spacy.tokens import Doc

from kg.gazetteer import Gazetteer


@Language.component("newline_sentences", assigns=["token.is_sent_start", "doc.user_data"])
def newline_sentences(doc: Doc) -> Doc:
    """Start a new sentence after every line break: headlines and list items have no full stop."""
    tokens = list(doc)  # one Token object each: indexing a Doc builds a new one every time
    doc.user_data["aikg_tokens"] = tokens  # reused by the extractor
    for previous, token in zip(tokens, tokens[1:]):
        if "\n" in previous.text or "\n" in previous.whitespace_ or "\n" in token.text:
            token.is_sent_start = True
        elif token.is_sent_start and (token.is_lower or token.is_digit) and previous.text == ".":
            # "NVIDIA Corp. and AMD", "Inc. said": an abbreviation, not the end of a sentence.
            token.is_sent_start = False
    return doc


@lru_cache(maxsize=1)
def blank_pipeline() -> Language:
    """Blank English with the rule-based sentencizer and line-break sentence starts."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("newline_sentences", after="sentencizer")
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
    starts = [int(i) for i in (doc.to_array([SENT_START]) == 1).nonzero()[0]] if len(doc) else []
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    bounds = starts + [len(doc)]
    return tokens, [Sentence(a, b, tokens[a].idx, tokens[b - 1].idx + len(tokens[b - 1].text))
                    for a, b in zip(bounds, bounds[1:]) if b > a]
