"""The README is the front door and docs/ holds the long references: their generated sections must
match their sources."""

import re
import subprocess

import pytest

from tests.conftest import ROOT
from tools import docs


@pytest.mark.parametrize("section", docs.SECTIONS, ids=lambda s: s.name)
def test_generated_section_is_current(section):
    found = docs.embedded((ROOT / section.file).read_text(), section.name)
    assert found is not None, f"{section.file} lost its {section.name} markers"
    assert found == section.generate() + "\n", f"{section.file} is stale: run `make docs`"


def layout_paths() -> set[str]:
    """The paths the README's Layout table names in its first column."""
    section = (ROOT / "README.md").read_text().split("## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return {path.rstrip("/") for row in rows for path in re.findall(r"`([^`]+)`", row.split("|")[1])}


def test_the_layout_names_every_top_level_file_and_folder():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    top_level = {path.split("/", 1)[0] for path in tracked.splitlines()}
    named = {path.split("/", 1)[0] for path in layout_paths()}
    assert top_level - named == set(), "README's Layout misses these"
    assert named - top_level == set(), "README's Layout names what the repository lacks"
