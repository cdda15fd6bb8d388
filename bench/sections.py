"""Write one benchmark's section of docs/benchmarks.md, between its own markers, leaving the others."""
from __future__ import annotations

from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"


def write_section(text: str, begin: str, end: str, path: Path = BENCHMARKS) -> Path:
    """Replace the text between `begin` and `end` (both included in `text`), or append it.

    The file is read just before writing, so sections other runs wrote meanwhile survive.
    """
    current = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if begin in current and end in current:
        current = current[: current.index(begin)] + text + current[current.index(end) + len(end):]
    else:
        current = current.rstrip() + "\n\n" + text + "\n"
    path.parent.mkdir(exist_ok=True)
    path.write_text(current, encoding="utf-8")
    return path
