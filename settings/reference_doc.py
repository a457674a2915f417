"""Rewrite the configuration reference between the README's markers: python -m settings.reference_doc README.md"""

import re
import sys
from pathlib import Path

from . import reference

MARKERS = re.compile(r"(<!-- config-reference:start -->\n).*?(\n<!-- config-reference:end -->)", re.S)


def main(path: str) -> None:
    readme = Path(path)
    text = readme.read_text()
    if not MARKERS.search(text):
        sys.exit(f"{path}: no <!-- config-reference:start/end --> markers")
    readme.write_text(MARKERS.sub(lambda m: m.group(1) + reference() + m.group(2), text))


if __name__ == "__main__":
    main(sys.argv[1])
