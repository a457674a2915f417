"""Declarative checks for the common case "this prop must be true / set / not false".

Rules with cross-field logic write their own check; these cover the rest. Unknown values never
produce a violation (the pack reports them as undecided); booleans are read as the provider
coerces them, and a value it cannot read fails with the value in the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .props import MISSING, UNKNOWN, Invalid, Props, shown

Check = Callable[[Props, Mapping[str, Any]], Iterator[str]]


def require_true(path: str, message: str) -> Check:
    """`message` may use {value}: the current value, or "not set"."""

    def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
        value = props.flag(path)
        if value is not UNKNOWN and value is not True:
            yield message.format(value=shown(value))

    return check


def forbid_false(path: str, message: str) -> Check:
    """For settings that AWS turns on when absent: only an explicit false (or a value the provider
    cannot read) fails. `message` may use {value}."""

    def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
        value = props.flag(path)
        if value is False or isinstance(value, Invalid):
            yield message.format(value=shown(value))

    return check


def require_set(paths: Mapping[str, tuple[str, ...]], message: str) -> Check:
    """Each path must hold a non-empty value. A path mapped to resource types holds a reference:
    while unknown, it is set when it was computed from resources of those types in the stack.
    `message` may use {paths}: the props that are absent or empty."""

    def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
        missing = []
        for path, referenced_types in paths.items():
            value = props.get(path)
            if value is UNKNOWN:
                if referenced_types:
                    props.resolved(path, *referenced_types)
            elif value in (MISSING, ""):
                missing.append(path)
        if missing:
            yield message.format(paths=", ".join(missing))

    return check


def all_of(*checks: Check) -> Check:
    def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
        for each in checks:
            yield from each(props, config)

    return check
