"""The README is the front door: its generated sections must match their sources."""

import pytest

from opsctl import docs
from tests.conftest import ROOT


@pytest.mark.parametrize("section", sorted(docs.SECTIONS))
def test_readme_generated_section_is_current(section):
    found = docs.embedded((ROOT / "README.md").read_text(), section)
    assert found is not None, f"README lost its {section} markers"
    assert found == docs.SECTIONS[section](), "README is stale: run `make docs`"
