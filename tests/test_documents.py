"""Reading articles: formats, metadata, and every kind of bad input."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.documents import DocumentWarning, Skipped, html_to_text, iter_documents, read_document
from kg.errors import DocumentError

runner = CliRunner()


def test_reads_txt_md_and_html(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Meta invested in Scale AI.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Title\n\nNvidia **acquired** [Run:ai](http://x).", encoding="utf-8")
    (tmp_path / "c.html").write_text(
        "<html><head><title>t</title><script>var x='Evil Corp acquired Meta';</script></head>"
        "<body><p>OpenAI hired Jane Doe.</p><style>p{}</style></body></html>", encoding="utf-8")
    docs = {d.name: d for d in iter_documents([tmp_path])}
    assert set(docs) == {"a.txt", "b.md", "c.html"}
    assert "**" not in docs["b.md"].text and "Run:ai" in docs["b.md"].text
    assert docs["c.html"].text == "OpenAI hired Jane Doe."
    assert len(docs["a.txt"].sha256) == 64


def test_html_full_of_scripts_keeps_only_visible_text() -> None:
    html = "<script>" + "alert('x');" * 1000 + "</script><p>Visible</p>" + "<style>a{}</style>" * 50
    assert html_to_text(html) == "Visible"


def test_metadata_from_sources_yaml(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    (tmp_path / "sources.yaml").write_text(
        "a.txt:\n  title: T\n  publisher: P\n  published: 2025-07\n  url: https://example.org/a\n", encoding="utf-8")
    doc = read_document(tmp_path / "a.txt")
    assert (doc.title, doc.publisher, doc.url) == ("T", "P", "https://example.org/a")
    assert doc.published.isoformat() == "2025-07-01" and doc.published_text == "2025-07"


def test_seed_corpus_has_metadata() -> None:
    folder = Path(__file__).resolve().parent.parent / "data" / "documents"
    docs = list(iter_documents([folder]))
    assert len(docs) >= 2 and all(d.title and d.publisher for d in docs)


@pytest.mark.parametrize("name,content,message", [
    ("empty.txt", b"", "empty document"),
    ("blank.txt", b"   \n\t\n", "empty document"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("latin1.txt", "Caf\u00e9 Nvidia".encode("latin-1"), "not valid UTF-8"),
    ("scripts.html", b"<script>alert(1)</script><style>x{}</style>", "empty document"),
])
def test_bad_file_is_a_one_line_error_naming_it(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    text = str(info.value)
    assert name in text and message in text and "\n" not in text


def test_too_large_document(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Nvidia acquired a startup. " * (20 * 1024 * 1024 // 27 + 1))
    with pytest.raises(DocumentError, match="huge.txt.*MB limit"):
        read_document(path)


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        list(iter_documents([tmp_path / "nope.txt"]))
    with pytest.raises(DocumentError, match="no .txt, .md or .html"):
        list(iter_documents([tmp_path]))


def test_bad_file_in_folder_is_skipped_with_warning(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Nvidia acquired Quillfeather Robotics.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00bin")
    skipped: list[Skipped] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        docs = list(iter_documents([tmp_path], skipped=skipped))
    assert [d.name for d in docs] == ["good.txt"]
    assert [s.path.name for s in skipped] == ["bad.txt"]
    assert any(issubclass(w.category, DocumentWarning) and "bad.txt" in str(w.message) for w in caught)


def test_cli_extract_reports_bad_input_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Nvidia acquired Quillfeather Robotics.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path), "--format", "jsonl"])
    assert result.exit_code == 0
    assert "Quillfeather Robotics" in result.stdout
    assert "empty.txt" in result.stderr and "Traceback" not in result.stderr

    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    assert "missing.txt" in result.stderr and "Traceback" not in result.output

    result = runner.invoke(app, ["extract", str(tmp_path / "empty.txt"), str(tmp_path / "good.txt"),
                                 "--format", "jsonl"])
    assert result.exit_code == 1, "a bad file named directly is an error"
    assert "Quillfeather Robotics" in result.stdout, "the other documents are still processed"
