"""Exceptions raised by aikg; every foreign error is translated at the boundary."""


class KGError(Exception):
    """Base class of every error aikg raises on purpose."""


class DocumentError(KGError):
    """A document could not be read: missing, empty, binary, undecodable or too large."""


class GazetteerError(KGError):
    """A gazetteer or pattern file is malformed."""


class StoreError(KGError):
    """The store could not be opened, read or written."""


class QueryError(KGError):
    """A SPARQL query is malformed or not allowed."""
