"""Declarative checks for the common case "this prop must be true / set / not false".

Rules with cross-field logic write their own check; these cover the rest. Unknown values never
produce a violation (the pack reports them through the SDK's preview path).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .props import MISSING, UNKNOWN, Props

Check = Callable[[Props, Mapping[str, Any]], Iterator[str]]


def require_true(path: str, message: str) -> Check:
    """`message` may use {value}: the current value, or "not set"."""

    def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
        value = props.get(path)
        if value is not UNKNOWN and value is not True:
            yield message.format(value="not set" if value is MISSING else repr(value))

    return check


def forbid_false(path: str, message: str) -> Check:
    """For settings that AWS turns on when absent: only an explicit false fails."""

    def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
        if props.get(path) is False:
            yield message

    return check


def require_set(*paths: str, message: str) -> Check:
    """`message` may use {paths}: the props that are absent or empty."""

    def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
        missing = [path for path in paths if props.get(path) in (MISSING, "")]
        if missing:
            yield message.format(paths=", ".join(missing))

    return check


def all_of(*checks: Check) -> Check:
    def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
        for each in checks:
            yield from each(props, config)

    return check
