"""Safe reads of resource props in the engine's wire form (camelCase, numbers as floats).

During a preview some values are unknown; the SDK's proxy raises UnknownValueError on them.
`Props.get` turns that into the UNKNOWN marker and remembers the path, so a rule can still
fail on other values that are known and wrong. Absent values come back as MISSING, and a
value of the wrong shape never raises.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return False


MISSING = _Marker("MISSING")
UNKNOWN = _Marker("UNKNOWN")

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class Props:
    """A view of one resource's props that records which paths were unknown."""

    def __init__(self, props: Any):
        self._props = props
        self.unknowns: list[UnknownValueError] = []

    def get(self, path: str) -> Any:
        """Value at `a.b[0].c`, or MISSING (absent, null or wrong shape), or UNKNOWN."""
        current = self._props
        for name, index in _PATH_PART.findall(path):
            try:
                if name:
                    if not isinstance(current, Mapping) or name not in current:
                        return MISSING
                    current = current[name]
                else:
                    position = int(index)
                    if (
                        isinstance(current, (str, bytes))
                        or not isinstance(current, Sequence)
                        or position >= len(current)
                    ):
                        return MISSING
                    current = current[position]
            except UnknownValueError as unknown:
                self.unknowns.append(unknown)
                return UNKNOWN
            if current is None:
                return MISSING
        return current

    def items(self, path: str) -> Any:
        """Elements of a list at `path` (unknown elements as UNKNOWN); [] when absent or not a
        list; UNKNOWN when the list itself is not known yet."""
        value = self.get(path)
        if value is UNKNOWN:
            return UNKNOWN
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            return []
        return [self.get(f"{path}[{i}]") for i in range(len(value))]


def count(props: Props, path: str) -> Any:
    """Length of the list at `path` without reading its elements (they may be unknown): 0 when
    absent or not a list, UNKNOWN when the list itself is unknown."""
    value = props.get(path)
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
        return 0
    return len(value)


def number(value: Any) -> float | None:
    """A real number, or None for anything else (booleans included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def shown(value: Any) -> str:
    if value is MISSING:
        return "not set"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)
