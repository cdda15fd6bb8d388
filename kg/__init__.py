"""aikg: a knowledge graph of AI-industry events, built from news articles."""
from kg.errors import KGError
from kg.models import Document, Entity, Fact, FactValue

__version__ = "0.1.0"

__all__ = ["Document", "Entity", "Fact", "FactValue", "KGError", "__version__"]
