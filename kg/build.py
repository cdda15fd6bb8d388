"""Build the graph: read documents, extract facts, write one named graph per document, prune, export.

The store ends up mirroring the input: every document read is (re)written, each in its
own transaction, and a document the store holds but the input no longer has is removed
(with what only it stated). A file that is still there but cannot be read this time is
skipped with a warning and its previous graph is kept.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.documents import Skipped, iter_documents
from kg.models import Document
from kg.rdf import to_graph
from kg.store import Store, export
from kg.validate import Violation, validate_dataset

DEFAULT_DOCUMENTS = Path("data/documents")
DEFAULT_EXPORTS = Path("exports")
BUILD_EXPORTS = ("trig", "ttl", "jsonld")


@dataclass
class BuildReport:
    """What a build did."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (document, why): not written, old graph kept
    facts: int = 0
    violations: list[Violation] = field(default_factory=list)
    exports: list[Path] = field(default_factory=list)


def default_extractor():
    """The extractor `build` uses when none is given (imported late: spaCy loads only when needed)."""
    from kg.extract import Extractor

    return Extractor()


def read_documents(paths: Iterable[Path | str], *, skipped: list[Skipped]) -> list[Document]:
    """Every document under `paths`; one name may appear only once (names are document ids)."""
    from kg.errors import DocumentError

    documents: dict[str, Document] = {}
    for document in iter_documents(paths, skipped=skipped):
        if document.name in documents and documents[document.name].path != document.path:
            raise DocumentError(
                f"{document.path}: another document has the same file name "
                f"({documents[document.name].path}); names identify documents in the graph"
            )
        documents[document.name] = document
    return list(documents.values())


def build(paths: Iterable[Path | str], store: Store, *, extractor=None,
          exports: Path | str | None = DEFAULT_EXPORTS, validate: bool = True,
          progress: Callable[[str], None] | None = None,
          documents: list[Document] | None = None,
          extractions: Callable[[list[Document]], Iterable[tuple[Document, object]]] | None = None,
          prune: bool = True) -> BuildReport:
    """Extract and load every document under `paths` into `store`, prune, validate, export.

    `progress` is called with each document name once it is written. Pass `documents`
    to skip reading (they must be what `paths` holds). `exports=None` writes no files.
    `extractions` runs the extraction elsewhere (`kg.parallel.parallel_extractions`, on
    Dask): it yields (document, extraction) pairs in any order, or (document, exception)
    for a document it could not extract; such a document is listed in `report.failed`
    and keeps its previous graph. With `prune` (the default) the store then mirrors the input:
    documents it holds that are not under `paths` are removed; `prune=False` only adds or
    replaces the documents given.
    """
    report = BuildReport()
    if documents is None:
        documents = read_documents(paths, skipped=report.skipped)
    if extractions is None:
        if extractor is None:
            extractor = default_extractor()
        results = ((document, extractor.extract(document)) for document in documents)
    else:
        results = extractions(documents)
    for document, extraction in results:
        if isinstance(extraction, BaseException):
            report.failed.append((document.name, str(extraction)))
            continue
        store.write_document(to_graph(extraction))
        report.written.append(document.name)
        report.facts += len(extraction.facts)
        if progress is not None:
            progress(document.name)
    keep = set(report.written) | {s.path.name for s in report.skipped} | {name for name, _ in report.failed}
    for name in (store.documents() if prune else ()):
        if name not in keep:
            store.remove_document(name)
            report.removed.append(name)
    if validate or exports is not None:
        dataset = store.to_rdflib()
        if validate:
            report.violations = validate_dataset(dataset)
        if exports is not None:
            report.exports = [export(dataset, exports, fmt=fmt) for fmt in BUILD_EXPORTS]
    return report
