"""The README is the front door and docs/ holds the long references: their generated sections must
match their sources."""

import pytest

from tests.conftest import ROOT
from tools import docs


@pytest.mark.parametrize("section", docs.SECTIONS, ids=lambda s: s.name)
def test_generated_section_is_current(section):
    found = docs.embedded((ROOT / section.file).read_text(), section.name)
    assert found is not None, f"{section.file} lost its {section.name} markers"
    assert found == section.generate() + "\n", f"{section.file} is stale: run `make docs`"
