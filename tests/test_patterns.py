"""Relation patterns compile on first use (kg.patterns.LazyRegex): check here that all of them do."""
from __future__ import annotations

import re

import pytest

from kg.errors import GazetteerError
from kg.extract import PATTERNS_FILE
from kg.patterns import LazyRegex, load_patterns


def test_every_pattern_compiles() -> None:
    for pattern in load_patterns(PATTERNS_FILE):
        assert isinstance(pattern.regex.compiled(), re.Pattern), pattern.id


def test_lazy_regex_compiles_once_and_reports_errors() -> None:
    regex = LazyRegex("ORG:s (acquired|bought) ORG:o")
    assert regex.finditer(" @ORG0 acquired @ORG1 . ").__next__().group("s") == "@ORG0"
    assert regex.compiled() is regex.compiled()
    assert set(regex.groupindex) == {"s", "o"}
    with pytest.raises(GazetteerError):
        LazyRegex("ORG:s (acquired ORG:o").compiled()
