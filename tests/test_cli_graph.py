"""The graph commands end to end: build, query, export, validate, stats, and every refusal."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import conftest
from conftest import Extraction, make_fact
from kg.cli import app
from kg.store import Store

runner = CliRunner()
QUERIES = Path(__file__).resolve().parent.parent / "queries"


class FakeExtractor:
    """Returns the fixture facts of a document, looked up by its file name (text must match)."""

    def __init__(self, extra: dict | None = None) -> None:
        self.by_name = {e.document.name: e for e in (conftest._doc_a(), conftest._doc_b())}
        self.by_name.update(extra or {})

    def extract(self, document):
        known = self.by_name.get(document.name)
        if known is None or known.document.text != document.text:
            return Extraction(document)
        return Extraction(document, list(known.facts), dict(known.entities))


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working folder with the two seed-like documents, a fake extractor, and AIKG_STORE set."""
    docs = tmp_path / "data" / "documents"
    docs.mkdir(parents=True)
    for e in (conftest._doc_a(), conftest._doc_b()):
        (docs / e.document.name).write_text(e.document.text, encoding="utf-8")
    (docs / "sources.yaml").write_text(
        "000_meta_asset_sale.txt:\n  title: Meta asset sale\n  publisher: Businesstimes\n  published: 2025-08\n"
        "001_meta_sells_assets.txt:\n  title: Meta sells assets\n  published: 2025-08\n", encoding="utf-8")
    fake = FakeExtractor()
    monkeypatch.setattr("kg.build.default_extractor", lambda: fake)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AIKG_STORE", str(tmp_path / "store"))
    return tmp_path


def run(*args: str):
    return runner.invoke(app, list(args))


def quads(path: Path) -> set:
    with Store(path, read_only=True) as store:
        return set(store.quads())


def assert_one_line_error(result, text: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and text in lines[0], result.output


def test_every_command_has_help_text():
    for command in ("build", "query", "export", "validate", "stats"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert len(result.output.split()) > 15, command


def test_build_writes_the_store_and_exports_and_rebuild_is_identical(project):
    result = run("build")
    assert result.exit_code == 0, result.output
    assert "built 2 documents (18 facts)" in result.output
    for name in ("graph.trig", "graph.ttl", "graph.jsonld"):
        assert (project / "exports" / name).stat().st_size > 0
    first = quads(project / "store")
    assert run("build").exit_code == 0
    assert quads(project / "store") == first


def test_validate_is_clean_on_the_built_graph(project):
    run("build")
    result = run("validate")
    assert result.exit_code == 0 and "valid: 2 documents" in result.output


def test_query_formats(project):
    run("build")
    table = run("query", "-f", str(QUERIES / "heads.rq"))
    assert table.exit_code == 0 and "Mark Zuckerberg" in table.output and "organization" not in table.output
    csv_out = run("query", "-f", str(QUERIES / "investors.rq"), "--format", "csv")
    assert csv_out.output.splitlines() == ["investor,amount,currency,date,document",
                                          "Meta,14300000000,USD,2025-06,000_meta_asset_sale.txt"]
    tsv_out = run("query", "-f", str(QUERIES / "competitors.rq"), "--format", "tsv")
    assert tsv_out.output.splitlines() == ["competitor\tsources", "OpenAI\t1"]
    json_out = run("query", "-f", str(QUERIES / "sites_above.rq"), "--bind", "min_gw=0.5", "--format", "json")
    assert [row["site"] for row in json.loads(json_out.output)] == ["Hyperion", "Prometheus"]
    ask = run("query", "-f", str(QUERIES / "has_invested.rq"), "--bind", "company=OpenAI")
    assert ask.output.strip() == "false"
    turtle = run("query", "-f", str(QUERIES / "direct_graph.rq"))
    assert turtle.exit_code == 0 and "aikg:investedIn" in turtle.output
    inline = run("query", "SELECT ?l WHERE { ?e aikg:entityId ?id ; rdfs:label ?l } ORDER BY ?l LIMIT 1",
                 "--format", "csv")
    assert inline.output.splitlines() == ["l", "Alexandr Wang"]


def test_malformed_sparql_is_one_line_with_line_and_column(project):
    run("build")
    result = run("query", "SELECT ?s\nWHERE { ?s ?p }")
    assert_one_line_error(result, "malformed SPARQL at line 2, column")


def test_updates_need_the_update_flag(project):
    run("build")
    before = quads(project / "store")
    update = "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }"
    assert_one_line_error(run("query", update), "--update")
    assert quads(project / "store") == before
    result = run("query", update, "--update")
    assert result.exit_code == 0 and len(quads(project / "store")) == len(before) + 1


def test_query_refusals(project):
    assert_one_line_error(run("query", "ASK {}"), "no store here yet")
    run("build")
    assert_one_line_error(run("query", "ASK {}", "-f", "x.rq"), "one of the two")
    assert_one_line_error(run("query", "-f", "missing.rq"), "cannot read the query file")
    assert_one_line_error(run("query", "ASK {}", "--bind", "x"), "NAME=VALUE")
    assert_one_line_error(run("query", "ASK {}", "--format", "xml"), "unknown format")


def test_a_path_that_is_not_a_store_is_refused_and_left_alone(project):
    folder = project / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    for args in (("build", "--store", str(folder)), ("query", "ASK {}", "--store", str(folder)),
                 ("stats", "--store", str(folder))):
        assert_one_line_error(run(*args), "not a store")
    assert [p.name for p in folder.iterdir()] == ["mine.txt"] and (folder / "mine.txt").read_text() == "keep me"


def test_a_locked_store_is_refused_and_not_overwritten(project):
    run("build")
    before = quads(project / "store")
    hold = textwrap.dedent("""
        import sys, time
        from kg.store import Store
        s = Store(sys.argv[1]); print("ready", flush=True); time.sleep(60)
    """)
    holder = subprocess.Popen([sys.executable, "-c", hold, str(project / "store")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert_one_line_error(run("build"), "in use by another process")
        assert run("query", "ASK { ?s ?p ?o }").output.strip() == "true"  # readers are not blocked
    finally:
        holder.kill()
        holder.wait()
    assert quads(project / "store") == before


def test_removing_and_changing_documents(project):
    run("build")
    docs = project / "data" / "documents"
    (docs / "001_meta_sells_assets.txt").unlink()
    result = run("build")
    assert "removed 1 documents no longer in the input: 001_meta_sells_assets.txt" in result.output
    heads = run("query", "-f", str(QUERIES / "heads.rq"), "--format", "csv")
    assert heads.output.splitlines()[1] == "Mark Zuckerberg,CEO,1"
    assert run("query", "-f", str(QUERIES / "subsidiaries.rq"), "--format", "csv").output.splitlines() == ["unit,type,sources"]

    (docs / "000_meta_asset_sale.txt").write_text("Meta changed its mind.", encoding="utf-8")
    run("build")
    statements = run("query", "-f", str(QUERIES / "document_statements.rq"), "--bind",
                     "document=000_meta_asset_sale.txt", "--format", "csv")
    assert statements.output.splitlines() == ["relation,subject,object,evidence,start,end,confidence"]


def test_building_named_documents_keeps_the_rest_unless_pruned(project):
    run("build")
    extra = project / "new_article.txt"
    extra.write_text("Nvidia acquired Quillfeather Robotics.", encoding="utf-8")
    result = run("build", str(extra), "--no-export")
    assert result.exit_code == 0, result.output
    with Store(project / "store", read_only=True) as store:
        assert set(store.documents()) == {"000_meta_asset_sale.txt", "001_meta_sells_assets.txt", "new_article.txt"}
    result = run("build", str(extra), "--no-export", "--prune")
    assert "removed 2 documents" in result.output
    with Store(project / "store", read_only=True) as store:
        assert set(store.documents()) == {"new_article.txt"}


def test_a_fact_that_violates_the_shapes_is_kept_and_reported_with_its_document(project, monkeypatch):
    doc = conftest.make_document("002_bad_units.txt", "Hyperion will draw 5000 gigawatts.")
    bad = make_fact(doc, doc.text, "hyperion", "capacity", gigawatts=5000)
    fake = FakeExtractor({doc.name: Extraction(doc, [bad], {"hyperion": conftest.ENTITIES["hyperion"]})})
    monkeypatch.setattr("kg.build.default_extractor", lambda: fake)
    (project / "data" / "documents" / doc.name).write_text(doc.text, encoding="utf-8")
    build = run("build")
    assert build.exit_code == 0 and "1 shape violations" in build.output
    result = run("validate")
    assert result.exit_code == 1
    assert ("002_bad_units.txt: Hyperion: a site's capacity is in gigawatts: a decimal from 0 to 50 "
            "(a larger number is likely megawatts) (value: 5000)") in result.output
    kept = run("query", "-f", str(QUERIES / "sites_above.rq"), "--bind", "min_gw=100", "--format", "csv")
    assert kept.output.splitlines()[1].startswith("Hyperion,5000,")


def test_export_formats(project):
    run("build")
    result = run("export", "--format", "nq", "--format", "nt", "--format", "ttl", "--out", "out")
    assert result.exit_code == 0
    assert sorted(p.name for p in (project / "out").iterdir()) == ["graph.nq", "graph.nt", "graph.ttl"]
    assert_one_line_error(run("export", "--format", "xml"), "unknown export format")


def test_stats(project):
    run("build")
    result = run("stats")
    assert result.exit_code == 0
    for text in ("documents", "Investment", "aikg:investedIn", "quads"):
        assert text in result.output


def test_build_refuses_a_missing_input_without_touching_the_store(project):
    run("build")
    before = quads(project / "store")
    assert_one_line_error(run("build", "no/such/folder"), "no such file or folder")
    assert quads(project / "store") == before
