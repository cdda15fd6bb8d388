"""Shape checks: validate each document's named graph against ontology/shapes.ttl with pyshacl.

Each named graph is validated on its own (core constraints, `inference="none"`), so every
violation is reported with the document that stated it. A violating fact stays in the
graph: validation reports, it never drops.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from kg.rdf import ID, SUMMARY_GRAPH, document_name

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
SHAPES_PATH = ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One failed constraint: where it was stated, on which node, and what is wrong."""

    document: str
    focus: str
    message: str
    shape: str
    path: str | None = None
    value: str | None = None

    def sentence(self) -> str:
        """The violation as one readable line: `doc: focus: message (value: ...)`."""
        text = f"{self.document}: {self.focus}: {self.message}"
        if self.value is not None:
            text += f" (value: {self.value})"
        return text


def load_shapes(path: Path | str = SHAPES_PATH) -> Graph:
    """The SHACL shapes graph."""
    return Graph().parse(str(path), format="turtle")


def _name(graph: Graph, node) -> str:
    label = graph.value(node, RDFS.label)
    if label is not None:
        return str(label)
    text = str(node)
    if text.startswith(ID):
        kinds = [str(t).rsplit("/", 1)[-1] for t in graph.objects(node, RDF.type)]
        kind = sorted(k for k in kinds if k not in ("Event", "Organization"))
        return f"{kind[0] if kind else 'node'} <{text[len(ID):]}>"
    return f"<{text}>"


def validate_graph(data: Graph, *, document: str, shapes: Graph | None = None) -> list[Violation]:
    """Violations of the shapes in one graph, each attributed to `document`."""
    shapes = shapes if shapes is not None else load_shapes()
    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_warnings=True,
        advanced=False, meta_shacl=False,
    )
    if conforms:
        return []
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        message = report.value(result, SH.resultMessage)
        shape = report.value(result, SH.sourceShape)
        # the message sits on the property shape; name the node shape that holds it
        owner = shapes.value(predicate=SH.property, object=shape) if shape is not None else None
        shape_name = str(owner if owner is not None else shape)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        found.append(Violation(
            document=document,
            focus=_name(data, focus),
            message=str(message) if message is not None else "violates " + shape_name,
            shape=shape_name,
            path=str(path) if path is not None else None,
            value=str(value) if value is not None and value != focus else None,
        ))
    return sorted(found, key=lambda v: (v.document, v.focus, v.message, v.value or ""))


def validate_dataset(dataset: Dataset, *, shapes: Graph | None = None) -> list[Violation]:
    """Violations in every document graph and the summary graph of a dataset."""
    shapes = shapes if shapes is not None else load_shapes()
    violations: list[Violation] = []
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if not isinstance(graph.identifier, URIRef) or len(graph) == 0:
            continue
        name = document_name(graph.identifier)
        if name is None and graph.identifier != SUMMARY_GRAPH:
            continue
        data = Graph()
        for triple in graph:
            data.add(triple)
        violations.extend(validate_graph(data, document=name or "summary graph", shapes=shapes))
    return violations
