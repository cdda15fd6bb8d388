"""Questions in plain English -> helper calls: a few question forms matched with spaCy rules.

`parse_question` tokenizes with a blank English pipeline and matches the forms below with
a spaCy `Matcher` (each form's patterns are data in `FORMS`); the words a pattern leaves
open are the names. `answer` resolves the names and calls one `KnowledgeGraph` helper.

>>> parse_question("Who heads Meta Superintelligence Labs?").names
('Meta Superintelligence Labs',)
>>> parse_question("What happened to Meta since June 2025?").since
'2025-06'
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kg.errors import KGError
from kg.graph import Source

Form = Literal["heads", "investors", "location", "operates", "connection", "timeline"]

# Each pattern is a list of parts: a dict is one token (a spaCy Matcher token pattern), a
# string names a slot of one or more tokens. A question matches when a pattern covers it whole.
_WHO = {"LOWER": {"IN": ["who", "whom"]}}
_BE = {"LOWER": {"IN": ["is", "are", "was", "were", "'s"]}}
_THE = {"LOWER": {"IN": ["the", "a"]}, "OP": "?"}
FORMS: dict[str, dict] = {
    "heads": {
        "example": "Who heads Meta Superintelligence Labs?",
        "patterns": [
            [_WHO, {"LOWER": {"IN": ["heads", "leads", "runs", "headed", "led", "ran", "manages", "chairs"]}}, "x"],
            [_WHO, _BE, _THE, {"LOWER": {"IN": ["head", "leader", "ceo", "chief", "boss", "chair", "chairman",
                                                "president", "director"]}}, {"LOWER": "of"}, "x"],
            [_WHO, _BE, {"LOWER": "in"}, {"LOWER": "charge"}, {"LOWER": "of"}, "x"],
            [_WHO, {"LOWER": {"IN": ["heads", "leads", "runs"]}}, {"LOWER": "up", "OP": "?"}, "x"],
        ],
    },
    "investors": {
        "example": "Who invested in Scale AI?",
        "patterns": [
            [{"LOWER": {"IN": ["who", "which", "what"]}}, {"LOWER": {"IN": ["companies", "investors", "firms"]}, "OP": "?"},
             {"LOWER": {"IN": ["has", "have", "did"]}, "OP": "?"},
             {"LOWER": {"IN": ["invested", "invests", "invest", "put"]}}, {"LOWER": "money", "OP": "?"},
             {"LOWER": {"IN": ["in", "into"]}}, "x"],
            [_WHO, {"LOWER": {"IN": ["funds", "funded", "backs", "backed", "finances", "financed"]}}, "x"],
            [_WHO, _BE, _THE, {"LOWER": {"IN": ["investors", "investor", "backers", "funders"]}},
             {"LOWER": {"IN": ["in", "of", "behind"]}}, "x"],
        ],
    },
    "location": {
        "example": "Where is Hyperion?",
        "patterns": [
            [{"LOWER": "where"}, _BE, "x"],
            [{"LOWER": "where"}, _BE, "x", {"LOWER": {"IN": ["located", "based", "built", "headquartered"]}}],
        ],
    },
    "operates": {
        "example": "What does Meta operate?",
        "patterns": [
            [{"LOWER": {"IN": ["what", "which"]}}, {"LOWER": {"IN": ["sites", "data", "campuses", "facilities"]}, "OP": "?"},
             {"LOWER": "centers", "OP": "?"}, {"LOWER": {"IN": ["does", "do", "did"]}}, "x",
             {"LOWER": {"IN": ["operate", "run", "build", "own"]}}],
            [{"LOWER": {"IN": ["what", "which"]}}, {"LOWER": {"IN": ["sites", "campuses", "facilities"]}}, _BE,
             {"LOWER": {"IN": ["operated", "run", "built", "owned"]}}, {"LOWER": "by"}, "x"],
        ],
    },
    "connection": {
        "example": "How are Alexandr Wang and Meta connected?",
        "patterns": [
            [{"LOWER": "how"}, _BE, "x", {"LOWER": {"IN": ["and", "&"]}}, "y",
             {"LOWER": {"IN": ["connected", "related", "linked"]}}],
            [{"LOWER": "how"}, _BE, "x", {"LOWER": {"IN": ["connected", "related", "linked"]}},
             {"LOWER": {"IN": ["to", "with"]}}, "y"],
            [{"LOWER": "what"}, {"LOWER": {"IN": ["connects", "links"]}}, "x", {"LOWER": {"IN": ["and", "to", "with"]}}, "y"],
        ],
    },
    "timeline": {
        "example": "What happened to Meta since 2025?",
        "patterns": [
            [{"LOWER": "what"}, {"LOWER": {"IN": ["happened", "has"]}}, {"LOWER": "happened", "OP": "?"},
             {"LOWER": {"IN": ["to", "with", "at"]}}, "x", {"LOWER": {"IN": ["since", "after"]}}, "date"],
            [{"LOWER": "what"}, {"LOWER": {"IN": ["happened", "has"]}}, {"LOWER": "happened", "OP": "?"},
             {"LOWER": {"IN": ["to", "with", "at"]}}, "x"],
            [{"LOWER": "what"}, {"LOWER": {"IN": ["has", "did"]}}, "x", {"LOWER": {"IN": ["done", "do"]}},
             {"LOWER": {"IN": ["since", "after"]}}, "date"],
        ],
    },
}

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9


class UnknownQuestion(KGError):
    """The question matches none of the supported forms."""

    def __init__(self, question: str) -> None:
        self.question = question
        super().__init__(f"cannot answer {question!r}: the supported questions are\n{supported_forms()}\n"
                         "For anything else, write SPARQL: kg query 'SELECT ...' (see queries/*.rq).")


class Question(BaseModel):
    """A parsed question: its form, the names it mentions and, for timelines, a start date."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    form: Form
    names: tuple[str, ...]
    since: str | None = None
    splits: tuple[tuple[str, str], ...] = ()
    """For two-name questions, every way to split the words around an inner "and"."""


def supported_forms() -> str:
    """The question forms, one example per line.

    >>> print(supported_forms().splitlines()[0])
      Who heads Meta Superintelligence Labs?     (also: leads, runs, is the CEO of)
    """
    notes = {
        "heads": "(also: leads, runs, is the CEO of)",
        "investors": "(also: funds, backs, is an investor in)",
        "location": "(also: where is X located / based)",
        "operates": "(also: which sites does X run / build)",
        "connection": "(also: how is X connected to Y)",
        "timeline": "(the date is optional: 2025, June 2025, 2025-06-15)",
    }
    return "\n".join(f"  {FORMS[f]['example']:<42} {notes[f]}" for f in FORMS)


def parse_date(text: str) -> str:
    """A date as written in a question -> ISO text as precise as given (YYYY, YYYY-MM or YYYY-MM-DD).

    >>> parse_date("2025"), parse_date("June 2025"), parse_date("2025-06-15"), parse_date("June 1, 2025")
    ('2025', '2025-06', '2025-06-15', '2025-06-01')
    >>> parse_date("last week")
    Traceback (most recent call last):
    kg.errors.KGError: cannot read the date 'last week'; write it like 2025, June 2025 or 2025-06-15
    """
    cleaned = " ".join(text.replace(",", " ").split()).strip().lower()
    cleaned = re.sub(r"\s*-\s*", "-", cleaned)
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", cleaned):
        return cleaned
    m = re.fullmatch(r"([a-z]+)\.?(?: (\d{1,2})(?:st|nd|rd|th)?)? (\d{4})", cleaned)
    if m and m.group(1) in _MONTHS:
        month = _MONTHS[m.group(1)]
        return f"{m.group(3)}-{month:02d}" + (f"-{int(m.group(2)):02d}" if m.group(2) else "")
    m = re.fullmatch(r"(\d{1,2}) ([a-z]+) (\d{4})", cleaned)
    if m and m.group(2) in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[m.group(2)]:02d}-{int(m.group(1)):02d}"
    raise KGError(f"cannot read the date {text!r}; write it like 2025, June 2025 or 2025-06-15")


@lru_cache(maxsize=1)
def _matcher():
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab)
    slots: dict[str, list[str | None]] = {}
    for form, spec in FORMS.items():
        for number, parts in enumerate(spec["patterns"]):
            key = f"{form}:{number}"
            tokens, names = [], []
            for part in parts:
                if isinstance(part, str):
                    tokens.append({"OP": "+"})
                    names.append(part)
                else:
                    tokens.append(part)
                    names.append(None)
            matcher.add(key, [tokens])
            slots[key] = names
    return nlp, matcher, slots


def parse_question(text: str) -> Question:
    """The form and names of a question; `UnknownQuestion` lists the supported forms.

    >>> q = parse_question("How are Alexandr Wang and Meta connected?")
    >>> q.form, q.names
    ('connection', ('Alexandr Wang', 'Meta'))
    >>> parse_question("Where is Hyperion located?").names
    ('Hyperion',)
    >>> parse_question("Tell me a joke")
    Traceback (most recent call last):
    kg.ask.UnknownQuestion: cannot answer 'Tell me a joke': the supported questions are
    ...
    """
    if not isinstance(text, str):
        raise TypeError("a question is a string")
    cleaned = " ".join(text.split()).strip().rstrip("?!. ").strip()
    nlp, matcher, slots = _matcher()
    doc = nlp(cleaned[:1000])
    best = None
    for match_id, start, end, alignment in matcher(doc, with_alignments=True):
        if start != 0 or end != len(doc):
            continue
        key = nlp.vocab.strings[match_id]
        # the most specific pattern: the one with the most fixed words
        fixed = sum(1 for i in alignment if slots[key][i] is None)
        if best is None or fixed > best[0]:
            best = (fixed, key, alignment)
    if best is None:
        raise UnknownQuestion(text)
    _, key, alignment = best
    form = key.split(":")[0]
    filled: dict[str, list] = {}
    for token, index in zip(doc, alignment):
        name = slots[key][index]
        if name is not None:
            filled.setdefault(name, []).append(token)
    def span(name: str) -> str:
        tokens = filled.get(name, [])
        return doc[tokens[0].i: tokens[-1].i + 1].text if tokens else ""

    names = tuple(span(n) for n in ("x", "y") if n in filled)
    since = parse_date(span("date")) if "date" in filled else None
    splits: tuple[tuple[str, str], ...] = ()
    if form == "connection" and len(names) == 2:
        # "X and Y" where a name may itself hold "and": offer every split, the parsed one first
        words = doc[filled["x"][0].i: filled["y"][-1].i + 1]
        cuts = [t.i for t in words if t.lower_ in ("and", "&", "to", "with") and t.i not in (words.start, words.end - 1)]
        splits = tuple((doc[words.start:c].text, doc[c + 1:words.end].text) for c in cuts)
    return Question(text=text, form=form, names=names, since=since, splits=splits)


class Item(BaseModel):
    """One line of an answer and the sources behind it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    sources: tuple[Source, ...] = ()


class Answer(BaseModel):
    """What `answer` found: a headline, one item per finding, and the helper results."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    question: Question
    headline: str
    items: tuple[Item, ...] = ()


def _money(value: float | None, currency: str | None = "USD") -> str:
    if value is None:
        return "an undisclosed amount"
    for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(value) >= scale:
            number = f"{value / scale:.2f}".rstrip("0").rstrip(".")
            return f"{'$' if currency == 'USD' else ''}{number} {word}{'' if currency == 'USD' else ' ' + (currency or '')}"
    return f"{value:g} {currency or ''}".strip()


def _figures(event) -> str:
    """The figures of an event as a short phrase (the first source's value of each)."""
    values: dict[str, tuple[float, str | None]] = {}
    for f in event.figures:
        values.setdefault(f.name, (f.value, f.currency))
    parts = []
    if "minAmount" in values and "maxAmount" in values:
        parts.append(f"{_money(*values['minAmount'])} to {_money(*values['maxAmount'])}")
    elif "amount" in values:
        parts.append(_money(*values["amount"]))
    for name, word in (("revenue", "revenue"), ("netIncome", "net income"), ("valuation", "valuation")):
        if name in values:
            parts.append(f"{word} {_money(*values[name])}")
    return "".join(f"; {p}" for p in parts)


def answer(kg, question: Question | str) -> Answer:
    """Answer a question from the graph with one helper call; every item carries its sources.

    >>> from kg.graph import KnowledgeGraph
    >>> kg = KnowledgeGraph.example()
    >>> a = answer(kg, "Who heads Meta Superintelligence Labs?")
    >>> a.headline, a.items[0].text
    ('Meta Superintelligence Labs is headed by:', 'Alexandr Wang (head)')
    >>> answer(kg, "Who invested in Scale AI?").items[0].text
    'Meta invested $14.3 billion in Scale AI (2025-06)'
    >>> [i.text for i in answer(kg, "Where is Hyperion?").items]
    ['Hyperion is in Louisiana']
    >>> [i.text for i in answer(kg, "What does Meta operate?").items]
    ['Hyperion, in Louisiana, 5 GW']
    >>> answer(kg, "How are Alexandr Wang and Meta connected?").items[0].text
    'Alexandr Wang <-hired- Meta'
    >>> answer(kg, "What happened to Meta since 2025-06?").items[0].text
    '2025: CapexGuidance (organization: Meta); $66 billion to $72 billion'
    """
    if isinstance(question, str):
        question = parse_question(question)
    form, names = question.form, question.names
    if form == "connection":
        a, b = _resolve_pair(kg, question)
        paths = kg.paths(a, b, max_hops=3)
        items = tuple(Item(text=str(p), sources=kg.sources(p)) for p in paths)
        headline = (f"How {a.label} and {b.label} are connected ({len(paths)} paths):" if paths
                    else f"No connection between {a.label} and {b.label} within 3 relations.")
        return Answer(question=question, headline=headline, items=items)
    entity = kg.entity(names[0])
    if form == "heads":
        roles = kg.leaders(entity)
        items = tuple(Item(text=f"{r.person.label}" + (f" ({r.title})" if r.title else ""), sources=r.sources)
                      for r in roles)
        headline = f"{entity.label} is headed by:" if roles else f"No source says who heads {entity.label}."
    elif form == "investors":
        found = kg.investments(investee=entity)
        items = tuple(Item(text=f"{i.investor.label} invested {_money(i.amount, i.currency)} in {i.investee.label}"
                                + (f" ({i.date})" if i.date else ""), sources=i.sources) for i in found)
        headline = f"Investors in {entity.label}:" if found else f"No source reports an investment in {entity.label}."
    elif form == "location":
        found = [r for r in kg.neighbors(entity, relations="locatedIn") if r.subject.iri == entity.iri]
        items = tuple(Item(text=f"{entity.label} is in {r.object.label}", sources=r.sources) for r in found)
        headline = f"Where {entity.label} is:" if found else f"No source says where {entity.label} is."
    elif form == "operates":
        found = kg.sites(operator=entity)
        items = tuple(Item(text=s.site.label + "".join(
            [f", in {', '.join(p.label for p in s.places)}" if s.places else "",
             f", {s.gigawatts:g} GW" if s.gigawatts is not None else ""]), sources=s.sources) for s in found)
        headline = f"Sites {entity.label} operates:" if found else f"No source names a site {entity.label} operates."
    else:  # timeline
        found = kg.events(entity, since=question.since)
        items = tuple(Item(text=f"{e.date or e.period or 'undated'}: {e.kind} ("
                                + ", ".join(str(p) for p in e.participants) + ")"
                                + _figures(e),
                           sources=e.sources) for e in found)
        since = f" since {question.since}" if question.since else ""
        headline = f"What happened to {entity.label}{since}:" if found else \
            f"No event involving {entity.label}{since} in the sources."
    return Answer(question=question, headline=headline, items=items)


def _resolve_pair(kg, question: Question):
    from kg.graph import EntityNotFound

    first_error = None
    for x, y in ((question.names[0], question.names[1]), *question.splits):
        try:
            return kg.entity(x), kg.entity(y)
        except EntityNotFound as exc:
            first_error = first_error or exc
    raise first_error


__all__ = ["FORMS", "Question", "Answer", "Item", "UnknownQuestion", "parse_question", "parse_date", "answer",
           "supported_forms"]
