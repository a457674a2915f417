"""The wheel's version is the policy pack's: policies/PulumiPolicy.yaml holds the project's one version."""

import re
from pathlib import Path

from setuptools import setup

manifest = (Path(__file__).parent / "policies" / "PulumiPolicy.yaml").read_text()
setup(version=re.search(r"^version:\s*[\"']?([^\s#\"']+)", manifest, re.MULTILINE)[1])
