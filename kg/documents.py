"""Read articles from disk: decode, strip markup, hash, and attach source metadata."""
from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import yaml

from kg.errors import DocumentError
from kg.models import Document

SUFFIXES = (".txt", ".md", ".html", ".htm")
METADATA_FILE = "sources.yaml"
MAX_BYTES = 10 * 1024 * 1024


class DocumentWarning(UserWarning):
    """A document inside a folder was skipped; the message names it and says why."""


@dataclass(frozen=True)
class Skipped:
    """A path that was not read, and why."""

    path: Path
    reason: str


class _VisibleText(HTMLParser):
    """Collects the text a browser would show: no scripts, styles, or markup."""

    HIDDEN = {"script", "style", "noscript", "template", "head", "svg", "iframe"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
             "article", "header", "footer", "blockquote", "title", "ul", "ol", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page, one block per paragraph.

    >>> html_to_text("<p>Meta <b>invests</b></p><script>alert(1)</script><p>Done</p>")
    'Meta invests\\n\\nDone'
    """
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _markdown_to_text(md: str) -> str:
    text = re.sub(r"```.*?```", "", md, flags=re.S)
    text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", text)
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s{0,3}#{1,6}\s*", "", text, flags=re.M)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    return text


def _decode(path: Path, raw: bytes) -> str:
    if b"\x00" in raw[:8192]:
        raise DocumentError(f"{path}: binary file, not text (expected .txt, .md or .html)")
    for encoding in ("utf-8-sig",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise DocumentError(
                f"{path}: not valid UTF-8 (byte {exc.start}); re-save it as UTF-8"
            ) from None
    raise AssertionError("unreachable")


def _parse_date(value: object) -> tuple[date | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, date):
        return value, value.isoformat()
    text = str(value)
    for pattern, fill in ((r"\d{4}-\d{2}-\d{2}", ""), (r"\d{4}-\d{2}", "-01"), (r"\d{4}", "-01-01")):
        if re.fullmatch(pattern, text):
            return date.fromisoformat(text + fill), text
    return None, text


def load_metadata(folder: Path) -> dict[str, dict]:
    """Source metadata for the documents of a folder, keyed by file name (empty when absent)."""
    path = folder / METADATA_FILE
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DocumentError(f"{path}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict):
        raise DocumentError(f"{path}: expected a mapping of file name to title/publisher/published/url")
    return {str(k): (v or {}) for k, v in data.items()}


def read_document(path: Path | str, *, metadata: dict | None = None, max_bytes: int = MAX_BYTES) -> Document:
    """Read one article file into a `Document`.

    Raises `DocumentError` with a one-line message naming the file when it is missing,
    empty, binary, not UTF-8, too large, or has no visible text.
    """
    path = Path(path)
    if not path.exists():
        raise DocumentError(f"{path}: no such file or folder")
    if not path.is_file():
        raise DocumentError(f"{path}: not a file")
    size = path.stat().st_size
    if size > max_bytes:
        raise DocumentError(
            f"{path}: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.0f} MB limit for one article; "
            "split it or raise --max-bytes"
        )
    raw = path.read_bytes()
    text = _decode(path, raw)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text = html_to_text(text)
    elif suffix == ".md":
        text = _markdown_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise DocumentError(f"{path}: empty document (no visible text)")
    if metadata is None:
        metadata = load_metadata(path.parent).get(path.name, {})
    published, published_text = _parse_date(metadata.get("published"))
    return Document(
        name=path.name,
        path=str(path),
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        title=metadata.get("title"),
        publisher=metadata.get("publisher"),
        published=published,
        published_text=published_text,
        url=metadata.get("url"),
    )


def iter_documents(paths: Iterable[Path | str], *, skipped: list[Skipped] | None = None,
                   max_bytes: int = MAX_BYTES) -> Iterator[Document]:
    """Read every article under `paths` (files and folders, folders recursively, sorted).

    A file named directly that cannot be read raises `DocumentError`. Inside a folder a bad
    file is skipped with a `DocumentWarning` (and recorded in `skipped` when given), so the
    other documents still load. A folder with no documents raises `DocumentError`.
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                raise DocumentError(f"{path}: folder has no .txt, .md or .html documents")
            meta_cache: dict[Path, dict[str, dict]] = {}
            for file in files:
                try:
                    if file.parent not in meta_cache:
                        meta_cache[file.parent] = load_metadata(file.parent)
                    meta = meta_cache[file.parent].get(file.name, {})
                    yield read_document(file, metadata=meta, max_bytes=max_bytes)
                except DocumentError as exc:
                    if skipped is not None:
                        skipped.append(Skipped(file, str(exc)))
                    warnings.warn(f"skipped {exc}", DocumentWarning, stacklevel=2)
        else:
            yield read_document(path, max_bytes=max_bytes)
