"""A synthetic corpus: AI-industry news articles made from templates, with the facts each one states.

Each article follows one company through a few paragraphs: funding rounds, acquisitions,
investments, executives, results, capex guidance, data-center sites, partnerships, supply
deals, hires, rivals and products, mixed with filler sentences and with hard negatives
(talks, rumours, denials) that state no fact. Names are invented from syllables (plus a
few real chipmakers), so the corpus can be as large as wanted and still be extraction work:
the extractor finds these names by their suffixes (Labs, Robotics, Capital, ...), not from
the gazetteer. The same seed always gives the same corpus.

Because every template knows the facts it states, the corpus is three things at once:

- a large extraction test: `write_corpus` writes ``NAME.txt`` and ``NAME.gold.jsonl``
  (the benchmark contract), so ``kg eval FOLDER`` scores the extractor on it;
- input for ``kg build`` at any size (``sources.yaml`` gives titles and dates);
- graphs without extraction: `Article.extraction()` turns the known facts into what the
  extractor would return, so benchmarks can load millions of triples quickly.

>>> articles = list(generate(3, seed=1))
>>> len(articles), all(a.facts for a in articles)
(3, True)
>>> a = articles[0]
>>> all(a.text[f.start:f.end] == f.sentence for f in a.facts)
True
"""
from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from kg.models import Document, Entity, Fact, FactValue

_FIRST = ("Vanta", "Quill", "Bright", "Lantern", "Meri", "Halcy", "Stone", "Harbor", "Kest", "Orla",
          "Tessel", "Corvi", "Arden", "Brava", "Calyx", "Dovre", "Elmar", "Fenwy", "Galen", "Hollis",
          "Istra", "Jarvo", "Kolby", "Lumen", "Marlo", "Norda", "Ostra", "Pellu", "Quenta", "Rivel",
          "Sorin", "Talve", "Umbra", "Velda", "Wrenn", "Xandr", "Yarro", "Zephra", "Astor", "Belden")
_SECOND = ("core", "feather", "moor", "fish", "dian", "lon", "bridge", "light", "rel", "vance",
           "wick", "stead", "field", "mark", "gate", "crest", "haven", "ridge", "spire", "wave",
           "vale", "forge", "brook", "stone", "wind", "fall", "shore", "glen", "hollow", "peak")
_ORG_SUFFIX = ("AI", "Labs", "Robotics", "Systems", "Compute", "Dynamics", "Technologies", "Networks",
               "Semiconductor", "Cloud")
_INVESTOR_SUFFIX = ("Capital", "Ventures", "Partners")
_GIVEN = ("Priya", "Tomas", "Lena", "Marcus", "Aiko", "Daniel", "Sofia", "Ravi", "Elena", "Jonah",
          "Amara", "Felix", "Nadia", "Oscar", "Ingrid", "Mateo", "Hana", "Viktor", "Leila", "Samuel",
          "Chloe", "Dmitri", "Yara", "Henrik", "Maya", "Kenji", "Olivia", "Tariq", "Greta", "Lucas")
_FAMILY = ("Okafor", "Reinholt", "Vasquez", "Lindqvist", "Moreau", "Tanaka", "Brennan", "Castellano",
           "Novak", "Adeyemi", "Halvorsen", "Kowalski", "Marchetti", "Oyelaran", "Petrov", "Quintero",
           "Sandoval", "Thorsen", "Ueda", "Valdivia", "Whitfield", "Yamamoto", "Zielinski", "Abernathy",
           "Bergstrom", "Delacroix", "Esposito", "Fairbanks", "Gallardo", "Hargrove")
_PLACES = ("Texas", "Ohio", "Louisiana", "Arizona", "Georgia", "Virginia", "Oregon", "Nevada", "Iowa",
           "Wisconsin", "Indiana", "Pennsylvania")
_SUPPLIERS = ("Nvidia", "AMD", "Broadcom")
_FILLER = (
    "Analysts expect demand for AI accelerators to keep rising through next year.",
    "The company did not give a timeline for the rest of the project.",
    "Shares were little changed in early trading.",
    "Executives declined to comment on pricing.",
    "The deal is part of a broader push into enterprise software.",
    "Industry observers said power supply remains the main constraint on new capacity.",
    "The announcement came as competition for graphics processors and skilled engineers intensified.",
    "Spending on training clusters has grown faster than most forecasts made a year ago.",
    "Investors have questioned how quickly such spending will translate into revenue.",
    "Several customers said they were testing the new tools in production workloads.",
    "Regulators in Europe and the United States are watching the market closely.",
    "The project still needs local permits and a long-term agreement with the regional utility.",
    "A spokesperson said more details would be shared at an event later this year.",
    "Engineers described the new system as easier to deploy than the previous generation.",
    "Demand from cloud providers remained strong throughout the quarter, according to analysts.",
    "Some economists warned that the pace of investment could slow if interest rates stay high.",
    "The company employs several thousand people across offices in North America, Europe and Asia.",
    "Competition for talent has pushed compensation for senior researchers to record levels.",
)
_ORDINAL = {1: "first", 2: "second", 3: "third", 4: "fourth"}
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass(frozen=True)
class Name:
    """An entity of the synthetic world: label and type (the id is the slug of the label)."""

    label: str
    type: str

    @property
    def id(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.label.lower()).strip("-")

    def entity(self) -> Entity:
        return Entity(id=self.id, label=self.label, type=self.type, known=False)


@dataclass(frozen=True)
class KnownFact:
    """A fact an article states: subject, predicate, object or value, and its sentence's offsets."""

    subject: Name
    predicate: str
    object: Name | None
    value: dict
    sentence: str
    start: int
    end: int

    def gold(self) -> dict:
        """The fact as a line of a ``NAME.gold.jsonl`` file (the benchmark contract)."""
        line = {"subject": [self.subject.label], "predicate": self.predicate,
                "object": [self.object.label] if self.object else None}
        if self.value:
            line["value"] = self.value
        return line


@dataclass
class Article:
    """One generated article: its name, publication date, title, text and the facts it states."""

    name: str
    published: date
    title: str
    text: str
    facts: list[KnownFact] = field(default_factory=list)

    def document(self) -> Document:
        return Document(name=self.name, path=self.name, text=self.text,
                        sha256=hashlib.sha256(self.text.encode("utf-8")).hexdigest(),
                        title=self.title, publisher="Synthetic Wire", published=self.published,
                        published_text=self.published.isoformat())

    def extraction(self) -> Extraction:
        """What a perfect extractor returns for this article (for loading graphs without extraction)."""
        facts = []
        entities: dict[str, Entity] = {}
        for f in self.facts:
            entities[f.subject.id] = f.subject.entity()
            if f.object:
                entities[f.object.id] = f.object.entity()
            value = dict(f.value)
            if "amount_usd" in value:
                value.update(amount=value["amount_usd"], currency="USD")
            facts.append(Fact(
                doc=self.name, subject=f.subject.label, subject_id=f.subject.id, subject_type=f.subject.type,
                predicate=f.predicate, object=f.object.label if f.object else None,
                object_id=f.object.id if f.object else None, object_type=f.object.type if f.object else None,
                value=FactValue(**value), evidence=f.sentence, start=f.start, end=f.end, confidence=0.9,
                pattern=f"synthetic-{f.predicate}"))
        return Extraction(self.document(), facts, entities)


@dataclass
class Extraction:
    """Same shape as `kg.extract.Extraction` (kept here so loading needs no spaCy)."""

    document: Document
    facts: list[Fact] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)


class _World:
    """The names a corpus draws from; it grows with the corpus so big corpora are not one clique."""

    def __init__(self, rng: random.Random, size: int) -> None:
        self.rng = rng
        n_orgs = max(40, min(len(_FIRST) * len(_SECOND) * len(_ORG_SUFFIX), size * 2))
        n_people = max(40, min(len(_GIVEN) * len(_FAMILY), size * 2))
        stems = [a + b for a in _FIRST for b in _SECOND]
        rng.shuffle(stems)
        self.orgs = [Name(f"{stems[i % len(stems)]} {_ORG_SUFFIX[(i // len(stems)) % len(_ORG_SUFFIX)]}", "Company")
                     for i in range(n_orgs)]
        self.investors = [Name(f"{stems[-1 - i % len(stems)]} {_INVESTOR_SUFFIX[(i // len(stems)) % 3]}", "Investor")
                          for i in range(max(10, min(len(stems) * 3, n_orgs // 8)))]
        people = [f"{g} {f}" for g in _GIVEN for f in _FAMILY]
        rng.shuffle(people)
        self.people = [Name(p, "Person") for p in people[:n_people]]
        self.sites = [Name(stems[(7 * i + 3) % len(stems)], "Site") for i in range(max(10, n_orgs // 4))]
        self.products = [Name(f"{stems[(11 * i + 5) % len(stems)]}-{i % 9 + 2}", "Product")
                         for i in range(max(10, n_orgs // 4))]

    def org(self, *avoid: Name) -> Name:
        while True:
            pick = self.rng.choice(self.orgs)
            if pick not in avoid:
                return pick


def _money(rng: random.Random, low: float, high: float, unit: str) -> tuple[str, float]:
    """("$450 million", 450e6) with a round-ish number."""
    number = round(rng.uniform(low, high), 1 if unit == "billion" else 0)
    if number == int(number):
        number = int(number)
    scale = 1e9 if unit == "billion" else 1e6
    return f"${number} {unit}", round(number * scale)


class _Writer:
    """Assembles one article, sentence by sentence, keeping each fact's offsets."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.facts: list[KnownFact] = []
        self._pending: list[tuple] = []

    def sentence(self, text: str, *facts: tuple) -> None:
        if self.parts and not self.parts[-1].endswith("\n\n"):
            self._add(" ")
        start = self.length
        self._add(text)
        for subject, predicate, obj, value in facts:
            self.facts.append(KnownFact(subject, predicate, obj, value, text, start, start + len(text)))

    def paragraph(self) -> None:
        self._add("\n\n")

    def _add(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts).rstrip() + "\n"


def _paragraph(w: _Writer, world: _World, focus: Name, when: date, rng: random.Random) -> None:
    kind = rng.randrange(12)
    year = when.year
    if kind == 0:
        amount, usd = _money(rng, 20, 900, "million")
        lead = rng.choice(world.investors)
        series = rng.choice("ABCDE")
        w.sentence(f"{focus.label} raised {amount} in a Series {series} round led by {lead.label}, "
                   f"the company said on {rng.choice(_WEEKDAYS)}.",
                   (focus, "fundingRaised", None, {"amount_usd": usd}), (lead, "investedIn", focus, {}))
    elif kind == 1:
        target = world.org(focus)
        amount, usd = _money(rng, 50, 990, "million")
        w.sentence(rng.choice((f"{focus.label} acquired {target.label} for {amount}.",
                               f"The {amount} acquisition of {target.label} by {focus.label} closed last week.")),
                   (focus, "acquired", target, {"amount_usd": usd}))
    elif kind == 2:
        target = world.org(focus)
        amount, usd = _money(rng, 1, 9, "billion")
        w.sentence(rng.choice((f"{focus.label} invested {amount} in {target.label}.",
                               f"{target.label} received a {amount} investment from {focus.label}.")),
                   (focus, "investedIn", target, {"amount_usd": usd}))
    elif kind == 3:
        chief, finance = rng.sample(world.people, 2)
        w.sentence(rng.choice((f"{focus.label} appointed {chief.label} as chief executive.",
                               f"{focus.label} CEO {chief.label} opened the company's developer conference.")),
                   (chief, "heads", focus, {"role": "CEO"}))
        w.sentence(f"{finance.label}, the chief financial officer of {focus.label}, said revenue grew.",
                   (finance, "worksFor", focus, {"role": "CFO"}))
    elif kind == 4:
        quarter = rng.randint(1, max(1, (when.month - 1) // 3))
        amount, usd = _money(rng, 1, 40, "billion")
        w.sentence(rng.choice((f"{focus.label} reported revenue of {amount} for the {_ORDINAL[quarter]} quarter.",
                               f"{focus.label}'s revenue rose to {amount} in the {_ORDINAL[quarter]} quarter.")),
                   (focus, "revenue", None, {"amount_usd": usd, "period": f"{year}-Q{quarter}"}))
    elif kind == 5:
        partner = world.org(focus)
        w.sentence(rng.choice((f"{focus.label} partnered with {partner.label} to build data centers.",
                               f"{focus.label} has teamed up with {partner.label} to build a sovereign AI cloud.")),
                   (focus, "partneredWith", partner, {}))
    elif kind == 6:
        site, place = rng.choice(world.sites), rng.choice(_PLACES)
        w.sentence(f"{focus.label} is building a data center campus called {site.label} in {place}.",
                   (focus, "operates", site, {}), (site, "locatedIn", Name(place, "Place"), {}))
        if rng.random() < 0.5:
            gw = rng.choice((0.5, 1, 1.2, 1.5, 2, 3, 5))
            w.sentence(f"The campus is expected to reach {gw:g} gigawatt{'s' if gw != 1 else ''} of capacity by {year + 2}.",
                       (site, "capacity", None, {"gigawatts": gw, "date": str(year + 2)}))
    elif kind == 7:
        supplier = Name(rng.choice(_SUPPLIERS), "Company")
        w.sentence(f"{supplier.label} will supply chips to {focus.label}.",
                   (supplier, "supplies", focus, {}))
    elif kind == 8:
        amount, usd = _money(rng, 2, 60, "billion")
        w.sentence(rng.choice((f"{focus.label} expects capital expenditures of {amount} in {year + 1}.",
                               f"{focus.label} plans to spend {amount} on capital expenditures in {year + 1}.")),
                   (focus, "capex", None, {"amount_usd": usd, "period": str(year + 1)}))
    elif kind == 9:
        person = rng.choice(world.people)
        if rng.random() < 0.5:
            w.sentence(f"{focus.label} hired {person.label} to lead its research group.",
                       (focus, "hired", person, {}))
        else:
            w.sentence(f"{focus.label} has hired {person.label} as its chief scientist.",
                       (focus, "hired", person, {}), (person, "worksFor", focus, {"role": "Chief Scientist"}))
    elif kind == 10:
        rival, product = world.org(focus), rng.choice(world.products)
        if rng.random() < 0.5:
            w.sentence(f"{focus.label}, a rival of {rival.label}, develops the {product.label} model.",
                       (focus, "competesWith", rival, {}), (focus, "develops", product, {}))
        else:
            w.sentence(f"{focus.label} competes with {rival.label} in enterprise software.",
                       (focus, "competesWith", rival, {}))
            w.sentence(f"{focus.label} launched {product.label}, a new model for code generation.",
                       (focus, "develops", product, {}))
    else:
        amount, usd = _money(rng, 2, 90, "billion")
        w.sentence(rng.choice((f"{focus.label} is valued at {amount}.",
                               f"{focus.label} reached a valuation of {amount} after the round.")),
                   (focus, "valuation", None, {"amount_usd": usd}))
    for filler in rng.sample(_FILLER, rng.randint(1, 3)):  # most of an article states no fact
        w.sentence(filler)
    if rng.random() < 0.15:  # a hard negative: no fact
        other = world.org(focus)
        w.sentence(rng.choice((f"{focus.label} is in talks to acquire {other.label}, people familiar said.",
                               f"{focus.label} denied reports that it would invest in {other.label}.")))


def generate(n: int, *, seed: int = 0, start: date = date(2025, 1, 6)) -> Iterator[Article]:
    """`n` articles (deterministic for a seed), each of 3 to 7 paragraphs about one company."""
    rng = random.Random(seed)
    world = _World(rng, n)
    for i in range(n):
        focus = rng.choice(world.orgs)
        when = start + timedelta(days=rng.randrange(0, 330))
        w = _Writer()
        for _ in range(rng.randint(3, 7)):
            _paragraph(w, world, focus, when, rng)
            w.paragraph()
        text = w.text()
        name = f"syn_{i:07d}.txt"
        yield Article(name=name, published=when, title=f"{focus.label}: the week in AI infrastructure",
                      text=text, facts=w.facts)


def write_corpus(folder: Path | str, n: int, *, seed: int = 0, gold: bool = True) -> list[Path]:
    """Write `n` articles into `folder` (``NAME.txt``, ``NAME.gold.jsonl``, ``sources.yaml``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    sources = ["# Synthetic articles (kg.synthetic): title, publisher, published per file."]
    for article in generate(n, seed=seed):
        path = folder / article.name
        path.write_text(article.text, encoding="utf-8")
        written.append(path)
        if gold:
            lines = [json.dumps(f.gold(), ensure_ascii=False) for f in article.facts]
            (folder / (path.stem + ".gold.jsonl")).write_text("\n".join(lines) + "\n", encoding="utf-8")
        sources.append(f"{article.name}:\n  title: {json.dumps(article.title)}\n  publisher: \"Synthetic Wire\"\n"
                       f"  published: {article.published.isoformat()}")
    (folder / "sources.yaml").write_text("\n".join(sources) + "\n", encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> None:
    """``python -m kg.synthetic N FOLDER [--seed S]``: write a corpus."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="how many articles")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    paths = write_corpus(args.folder, args.n, seed=args.seed)
    print(f"wrote {len(paths)} articles to {args.folder}")


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["Article", "KnownFact", "Name", "generate", "write_corpus"]
