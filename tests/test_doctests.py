"""The docstring examples of the Python API modules run as tests (they use the built-in example graph)."""
from __future__ import annotations

import doctest
import importlib
import inspect

import pytest

MODULES = ["kg.graph", "kg.network", "kg.ask", "kg.example"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no doctests"
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name} (run pytest -rA for the output)"


def test_every_public_helper_has_a_doctest():
    from kg.graph import KnowledgeGraph

    missing = [name for name, member in inspect.getmembers(KnowledgeGraph)
               if not name.startswith("_") and callable(member) and ">>>" not in (member.__doc__ or "")]
    assert missing == []
