"""aikg: a knowledge graph of AI-industry events, built from news articles."""
from kg.errors import KGError
from kg.models import Document, Entity, Fact, FactValue

__version__ = "0.1.0"

__all__ = ["Document", "Entity", "Fact", "FactValue", "KGError", "KnowledgeGraph", "__version__"]


def __getattr__(name: str):
    # imported on first use: the API pulls in networkx and the store, which `kg extract` never needs
    if name == "KnowledgeGraph":
        from kg.graph import KnowledgeGraph

        return KnowledgeGraph
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
