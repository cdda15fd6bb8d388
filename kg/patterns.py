"""Relation patterns: a small language over a sentence's units, compiled to regular expressions.

A sentence is rewritten as a sequence of units: every entity mention, amount, capacity,
percentage, date and role title becomes one symbol (`@ORG3`, `@MONEY5`, `@ROLE1` ...,
the number is the unit's position) and every other token its lower-case text. A pattern
is a space-separated list of tokens, each matching one unit:

- `ORG`, `PER`, `PROD`, `SITE`, `PLACE`, `DIV`, `MONEY`, `GW`, `PCT`, `DATE`, `ROLE`:
  one unit of that kind; `ORG:s` captures it as the argument `s`.
- `ORGS:s`, `PERS:o`, `PRODS:o`, `PLACES:o`: a coordinated list ("A, B and C").
- `*0-3`: skip zero to three units (as few as possible); `~0-3` skips words, commas, dates
  and percentages only, never a name, an amount or other punctuation.
- `DET`: a determiner or possessive pronoun ("the", "a", "its", "their").
- `AUX`: zero to three auxiliaries before a verb ("will", "has", "had agreed to", "is to").
- `[` ... `]?`: an optional sequence of tokens.
- anything else is a regular expression for one word; `_` stands for a space, so
  `(agreed_to_buy|bought)` matches "agreed to buy" or "bought".
- a trailing `?` makes the token optional.

>>> p = compile_pattern("ORG:s (acquired|bought) ORG:o")
>>> p.search(" @ORG0 acquired @ORG1 . ").group("s")
'@ORG0'
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from kg.errors import GazetteerError
from kg.gazetteer import SAFE_LOADER

KINDS = {
    "ORG": "(?:ORG|DIV|CAP)",
    "DIV": "(?:DIV)",
    "PER": "(?:PER|CAP)",
    "PROD": "(?:PROD)",
    "CPROD": "(?:PROD|CAP)",
    "OFFER": "(?:PROD|DIV)",
    "SITE": "(?:SITE)",
    "CSITE": "(?:SITE|CAP)",
    "PLACE": "(?:PLACE)",
    "NAT": "(?:NAT)",
    "MONEY": "(?:MONEY)",
    "GW": "(?:GW)",
    "PCT": "(?:PCT)",
    "DATE": "(?:DATE)",
    "ROLE": "(?:ROLE)",
    "ENT": "(?:ORG|DIV|CAP|PER|PROD|SITE|PLACE)",
}
CHAINS = {"PLACEC": "PLACE"}
"""`PLACEC:o` matches "Ashburn, Loudoun County, Virginia" (or "A in B, C") and yields each place."""
LISTS = {"ORGS": "ORG", "PERS": "PER", "PRODS": "PROD", "CPRODS": "CPROD", "PLACES": "PLACE", "SITES": "SITE"}


def word_alternation(words: tuple[str, ...]) -> str:
    """A regular expression for any one of `words` (plain words: no spaces), as a tree of common
    beginnings: Python's regex engine tries the branches of "ai|asset|bank|..." one by one at
    every position, but only one branch per letter of "a(?:i|sset)|bank...".

    >>> word_alternation(("chip", "chipmaker", "cloud", "ai"))
    '(?:ai|c(?:hip(?:maker)?|loud))'

    Every word is followed by a space where it is used, so at most one of them can match there
    and the tree matches exactly what the flat list does.
    """
    def tree(suffixes: list[str]) -> str:
        by_letter: dict[str, list[str]] = {}
        for word in suffixes:
            if word:
                by_letter.setdefault(word[0], []).append(word[1:])
        branches = [re.escape(letter) + tree(rest) for letter, rest in sorted(by_letter.items())]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in suffixes else body

    return tree(sorted(set(words)))


# Words allowed in front of each member of a list after the first ("French state bank Bpifrance").
# Possessive `*+` and `++` below never give back letters: a space follows them, never a letter.
_DESCRIPTOR = r"(?:@PLACE\d+ 's |@(?:PLACE|NAT)\d+ |@PER\d+ 's |the |a |an )?(?:[a-z][a-z-]*+ ){0,5}"
# What may stand before an organization without changing who it is: "France's Mistral AI",
# "the Paris-based startup", "Yuri Milner's DST Global", "AI startup Anthropic".
_ORG_PREFIX = (r"(?:(?:a|an|the|new) (?:[a-z-]++ ){0,2}(?:called|named|dubbed|known as) )?"
               r"(?:@PLACE\d+ (?:- based |based |'s )?|@NAT\d+ |@(?:PER|CAP)\d+ 's )?"
               r"(?:[a-z]++-[a-z]++(?:-[a-z]++)? (?=(?:designer|maker|startup|company|firm|specialist|developer|"
               r"provider|operator|giant|group|lab|supplier|manufacturer|chipmaker) ))?"  # "networking-chip designer"
               r"(?:" + word_alternation((
                   "ai", "chip", "chipmaker", "cloud", "startup", "rival", "giant", "firm", "company", "designer",
                   "provider", "lab", "developer", "maker", "operator", "investor", "fund", "group", "semiconductor",
                   "tech", "software", "neocloud", "data-center", "infrastructure", "computing", "model", "start-up",
                   "pc", "server", "energy", "utility", "financial", "giants", "firms", "investors", "funds",
                   "startups", "companies", "banks", "investment", "bank", "asset", "manager")) + " ){0,3}")
MODIFIER_NOUNS = ("(?:rival|rivals|creator|maker|owner|parent|backer|investor|partner|customer|supplier|"
                  "competitor|spinoff|spin-off|unit|subsidiary|co-founder|cofounder|founder|veteran|alum)")
# Auxiliaries and catenative verbs that may stand before the verb of a done or committed deal.
_AUX = (r"(?:(?:will|would|has|have|had|is|are|was|were|be|been|being|did|does|do|agreed to|agrees to|agree to|"
        r"signed up to|has agreed to|continue to|continues to|continued to|began to|begun to|started to|"
        r"went on to|is to|are to|to) ){0,3}")
_TOKEN = re.compile(r"^(?P<kind>[A-Z]+)(?::(?P<name>[a-z]+))?$")
_SKIP = re.compile(r"^\*(\d+)-(\d+)$")
_WORDS = re.compile(r"^~(\d+)-(\d+)$")
_WORD_LIST = re.compile(r"\((?:[a-z0-9'-]+\|)+[a-z0-9'-]+\)")  # alternative single words, no regex syntax


def _unit(kind: str) -> str:
    return f"@{KINDS[kind]}\\d+"


def _compile_token(token: str, next_token: str = "") -> str:
    if token == "[":
        return "(?:"
    if token in ("]", "]?"):
        return ")" + token[1:]
    optional = token.endswith("?") and len(token) > 1
    if optional:
        token = token[:-1]
    if token == "AUX":
        return _AUX
    if "AUX" in token.strip("()?").split("|"):
        raise GazetteerError(f"AUX cannot be an alternative inside {token!r}: write it as its own token")
    if token == "DET":  # a determiner, possessive pronouns included ("its" is `@ORG3 's` in units)
        body = r"(?:the|a|an|this|that|@(?:ORG|DIV|PER|CAP)\d+ 's) "
        return f"(?:{body})?" if optional else body
    skip = _SKIP.match(token)
    words = _WORDS.match(token)
    if words:  # skip plain words only, never an entity or number
        return f"(?:(?:[a-z0-9$',-][^\\s]*+|@(?:DATE|PCT|GW)\\d+) ){{{words.group(1)},{words.group(2)}}}?"
    m = _TOKEN.match(token)
    if skip:
        body = f"(?:\\S++ ){{{skip.group(1)},{skip.group(2)}}}?"
        return body
    if m and (m.group("kind") in KINDS or m.group("kind") in LISTS or m.group("kind") in CHAINS):
        kind, name = m.group("kind"), m.group("name")
        if kind in CHAINS:
            one = _unit(CHAINS[kind])
            inner = f"{one}(?: (?:, in|,|in) {one}){{0,2}}"  # "near New Carlisle in St. Joseph County, Indiana"
        elif kind in LISTS:
            one = _unit(LISTS[kind])
            # Two or more members need a conjunction: "A, B" alone is an apposition, not a list.
            # "A, B and C"; "A, B, and others ..."; "A, B, C and several other backers"
            inner = (f"{one}(?:(?: , {_DESCRIPTOR}{one})*(?: ,)? (?:and|&|or|as well as) {_DESCRIPTOR}{one}"
                     f"|(?: , {_DESCRIPTOR}{one})+(?= , (?:and|as well as) )"
                     f"|(?: , {_DESCRIPTOR}{one})+(?=(?: ,)? and (?:several|other|others|many|more|various|some|"
                     f"a number|a group|a host|a handful|existing|new) ))?")
        else:
            inner = _unit(kind)
        prefix = _ORG_PREFIX if kind in ("ORG", "ORGS") else ""
        if kind in LISTS:
            prefix = "(?:both |either |all )?" + prefix
        body = f"{prefix}(?P<{name}>{inner}) " if name else f"{prefix}(?:{inner}) "
        if name and not next_token:
            # a possessor or a modifier is not the argument: "heads Meta's projects",
            # "invested in Anthropic rival OpenAI"
            body += f"(?!'s |{MODIFIER_NOUNS} )"
    else:
        word = token.replace("_", " ")
        if not any(c.isalnum() for c in word) and word not in ("\\.",):
            word = re.escape(word)  # punctuation is literal: "(", ")", "-", ","
        elif _WORD_LIST.fullmatch(word):  # "(acquired|acquires|bought)": searched faster as a tree
            word = "(" + word_alternation(tuple(word[1:-1].split("|"))) + ")"
        body = f"(?:{word}) "
    return f"(?:{body})?" if optional else body


def required_features(source: str) -> tuple[frozenset[str], ...]:
    """What a sentence must contain for the pattern to match: for each mandatory token, the
    unit kinds (`@ORG`) or first words that can fill it. Lets the extractor skip patterns fast.

    >>> sorted(map(sorted, required_features("ORG:s (acquired|bought) ORG:o")))
    [['@CAP', '@DIV', '@ORG'], ['@CAP', '@DIV', '@ORG'], ['acquired', 'bought']]
    """
    needs = []
    depth = 0
    for token in source.split():
        if token == "[":
            depth += 1
            continue
        if token in ("]", "]?"):
            depth -= 1
            continue
        if depth or token.endswith("?") or token in ("DET", "AUX") or _SKIP.match(token) or _WORDS.match(token):
            continue
        m = _TOKEN.match(token)
        if m and (m.group("kind") in KINDS or m.group("kind") in LISTS or m.group("kind") in CHAINS):
            kind = LISTS.get(m.group("kind")) or CHAINS.get(m.group("kind")) or m.group("kind")
            needs.append(frozenset("@" + k for k in KINDS[kind][3:-1].split("|")))
            continue
        body = token[1:-1] if token.startswith("(") and token.endswith(")") else token
        if re.fullmatch(r"[a-z0-9'|_-]+", body):
            needs.append(frozenset(alt.split("_")[0] for alt in body.split("|")))
    return tuple(needs)


def compile_pattern(source: str) -> re.Pattern[str]:
    """Compile one pattern to a regular expression over a sentence's unit string."""
    tokens = source.split()
    parts = [_compile_token(t, tokens[i + 1] if i + 1 < len(tokens) else "") for i, t in enumerate(tokens)]
    try:
        return re.compile("(?<= )" + "".join(parts))
    except re.error as exc:
        raise GazetteerError(f"pattern {source!r} does not compile: {exc}") from None


class LazyRegex:
    """A pattern's regular expression, compiled the first time it is used.

    Compiling every pattern took most of the extractor's start-up, and a sentence only tries
    the patterns whose words and units it has (`required_features`): a run over a few
    articles compiles only the patterns they can match. A pattern that does not compile
    raises `GazetteerError` on first use (tests/test_patterns.py compiles them all).
    """

    def __init__(self, source: str) -> None:
        self.source = source
        self._regex: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        """The compiled expression (compiled now if it was not yet)."""
        if self._regex is None:
            self._regex = compile_pattern(self.source)
        return self._regex

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        """`re.Pattern.finditer` of the compiled expression, which then stands in for this method."""
        self.finditer = self.compiled().finditer  # type: ignore[method-assign]
        return self.finditer(string)

    def __eq__(self, other: object) -> bool:  # as compiled expressions compare: by their source
        return isinstance(other, LazyRegex) and other.source == self.source

    def __hash__(self) -> int:
        return hash(self.source)

    def __getattr__(self, name: str) -> object:
        # everything else (groupindex, search, pattern ...) from the compiled expression
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.compiled(), name)


@dataclass(frozen=True)
class Pattern:
    """One relation pattern from data/patterns/relations.yaml."""

    id: str
    regex: re.Pattern[str] | LazyRegex
    emit: tuple[tuple[str, str, str], ...]
    """(subject group, predicate, object group); predicate `role` means heads or worksFor."""
    modal: bool = False
    """True when plans and forecasts count (capex guidance), negation still blocks."""
    local: bool = False
    """True when a missing argument may only come from the same sentence."""
    needs: tuple[frozenset[str], ...] = ()
    """See `required_features`."""
    presupposed: bool = False
    """True for noun phrases that take a fact for granted ("Nvidia CEO Jensen Huang", "Amazon-backed
    Anthropic"): a hedge or negation elsewhere in the clause does not undo them."""
    unless: re.Pattern[str] | None = None
    """Words right after the match that cancel it ("raised $2B by selling ..." is no funding round)."""
    negate: bool = False
    """True when the amount is a loss: "posted a net loss of $290 million" is netIncome -290e6."""
    role: str | None = None
    """The role to record when the pattern names none ("(former)" for "recruited X from Y")."""
    confidence: float = 0.85


def _parse_emit(text: str, pattern_id: str) -> tuple[str, str, str]:
    parts = text.split()
    if len(parts) == 2:
        return parts[0], parts[1], ""
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    raise GazetteerError(f"pattern {pattern_id}: emit {text!r} must be 'SUBJECT predicate [OBJECT]'")


@lru_cache(maxsize=4)
def load_patterns(path: Path) -> tuple[Pattern, ...]:
    """Read every relation pattern of a YAML file (each compiled on first use, see `LazyRegex`)."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER) or []
    except (OSError, yaml.YAMLError) as exc:
        raise GazetteerError(f"{path}: {exc}") from None
    patterns = []
    for entry in raw:
        emits = entry["emit"] if isinstance(entry["emit"], list) else [entry["emit"]]
        sources = entry["pattern"] if isinstance(entry["pattern"], list) else [entry["pattern"]]
        for i, source in enumerate(sources):
            patterns.append(Pattern(
                id=f"{entry['id']}" + (f".{i}" if len(sources) > 1 else ""),
                regex=LazyRegex(source),
                emit=tuple(_parse_emit(e, entry["id"]) for e in emits),
                modal=bool(entry.get("modal", False)),
                local=bool(entry.get("local", False)),
                needs=required_features(source),
                confidence=float(entry.get("confidence", 0.85)),
                role=entry.get("role"),
                negate=bool(entry.get("negate", False)),
                presupposed=bool(entry.get("presupposed", False)),
                unless=re.compile(entry["unless"]) if entry.get("unless") else None,
            ))
    return tuple(patterns)
