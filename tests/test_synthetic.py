"""The synthetic corpus: deterministic, facts located in the text, extractable, and loadable without extraction."""
from __future__ import annotations

import json

import pytest

from kg.evaluate import evaluate_folder
from kg.rdf import to_graph
from kg.store import Store
from kg.synthetic import generate, main, write_corpus


def test_same_seed_same_corpus_other_seed_other_corpus():
    first = [(a.name, a.text) for a in generate(5, seed=7)]
    assert first == [(a.name, a.text) for a in generate(5, seed=7)]
    assert first != [(a.name, a.text) for a in generate(5, seed=8)]


def test_every_fact_points_at_its_sentence():
    for article in generate(40, seed=2):
        assert article.facts
        for fact in article.facts:
            assert article.text[fact.start:fact.end] == fact.sentence
            assert fact.subject.label in fact.sentence or fact.predicate == "capacity"


def test_corpus_scales_without_repeating_itself():
    articles = list(generate(300, seed=1))
    assert len({a.text for a in articles}) == 300
    subjects = {f.subject.label for a in articles for f in a.facts}
    assert len(subjects) > 150  # a big corpus is not one clique of a few companies


def test_write_corpus_gives_articles_gold_and_sources(tmp_path):
    main(["3", str(tmp_path), "--seed", "4"])
    names = sorted(p.name for p in tmp_path.glob("*.txt"))
    assert len(names) == 3
    for name in names:
        gold = (tmp_path / name.replace(".txt", ".gold.jsonl")).read_text(encoding="utf-8").splitlines()
        assert gold and all(json.loads(line)["predicate"] for line in gold)
    assert all(name in (tmp_path / "sources.yaml").read_text(encoding="utf-8") for name in names)


@pytest.fixture(scope="module")
def extractor():
    from kg.extract import Extractor

    return Extractor()


def test_the_extractor_reads_the_corpus_back(tmp_path, extractor):
    write_corpus(tmp_path, 25, seed=9)
    report = evaluate_folder(tmp_path, extractor)
    precision, recall = _micro(report)
    assert recall >= 0.95 and precision >= 0.9, (precision, recall)


def test_known_facts_load_like_extracted_ones():
    store = Store(None)
    for article in generate(5, seed=3):
        store.write_document(to_graph(article.extraction()))
    assert len(store.documents()) == 5
    assert store.ask("ASK { ?a aikg:investedIn ?b }") or store.ask("ASK { ?a aikg:acquired ?b }")


def _micro(report) -> tuple[float, float]:
    from kg.evaluate import format_report

    last = format_report(report, per_document=False).strip().splitlines()[-1]
    fields = dict(part.split("=") for part in last.split() if "=" in part)
    return float(fields["P"]), float(fields["R"])
