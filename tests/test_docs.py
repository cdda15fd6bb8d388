"""The documentation matches the tool: every command has help and a README entry, and the
examples the docs show give what they say."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
runner = CliRunner()


def test_there_are_commands() -> None:
    assert {"extract", "eval", "build", "query", "export", "validate", "stats", "ask"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_a_readme_entry(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and len(result.stdout.strip()) > 40
    assert re.search(rf"`kg {command}\b", README), f"README has no `kg {command}` entry"


def test_explain_example_in_docs() -> None:
    from kg.extract import explain

    text = (ROOT / "docs" / "extraction.md").read_text(encoding="utf-8")
    example = re.search(r'explain\("([^"]+)"\)\n# \["([^"]+)"\]', text)
    assert example, "docs/extraction.md lost its explain() example"
    assert explain(example.group(1)) == [example.group(2)]


def test_readme_links_exist() -> None:
    for link in re.findall(r"\]\(((?:docs|exports)/[^)]+)\)", README):
        assert (ROOT / link).exists(), link
