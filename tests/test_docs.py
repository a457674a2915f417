"""The README is the front door: its configuration reference must match the settings model."""

import re

import settings
from tests.conftest import ROOT


def test_readme_configuration_reference_is_current():
    readme = (ROOT / "README.md").read_text()
    embedded = re.search(r"<!-- config-reference:start -->\n(.*?)\n<!-- config-reference:end -->", readme, re.S)
    assert embedded, "README lost its config-reference markers"
    assert embedded.group(1) == settings.reference(), "README is stale: run `make docs`"
