"""Safe, typed reads of resource props in the engine's wire form (camelCase, numbers as floats).

During a preview some values are unknown; the SDK's proxy raises UnknownValueError on them.
`Props.get` turns that into the UNKNOWN marker and remembers the path, so a rule can still fail
on other values that are known and wrong, and the pack reports the rest as undecided. Absent
values come back as MISSING, and a value of the wrong shape never raises.

Where the provider's schema has a boolean or a number, `flag` and `whole_number` read the value
the way the bridged provider coerces it (`"true"`, `"True"`, `"1"`, `"365"`); anything it cannot coerce comes back
as `Invalid`, which rules report as a violation naming the value.

In AnalyzeStack a value that is unknown can still be traced to the resources it was computed
from (`origins`), through the property dependencies the engine sends.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name

    def __bool__(self) -> bool:
        return False


MISSING = _Marker("MISSING")
UNKNOWN = _Marker("UNKNOWN")


@dataclass(frozen=True)
class Invalid:
    """A value the provider cannot read as the schema's type: deploying it would fail."""

    raw: Any
    expected: str

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return f"{self.raw!r}, which the provider cannot read as {self.expected}"


@dataclass(frozen=True)
class Origin:
    """A resource of the stack that an unknown value was computed from."""

    type: str
    name: str
    urn: str


Origins = Callable[[str], tuple[Origin, ...]]

_GO_BOOLS = {"1": True, "t": True, "T": True, "TRUE": True, "true": True, "True": True,
             "0": False, "f": False, "F": False, "FALSE": False, "false": False, "False": False}  # fmt: skip
"""Every spelling Go's strconv.ParseBool reads, as the bridge's CoerceTerraformString does."""
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_WHOLE_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)")
"""Decimal digits only: a leading zero or a sign other than '-' reads differently across the
provider's conversion paths (Go's ParseInt with base 0 takes '0365' as octal)."""


def unknown_value_errors() -> tuple[type[Exception], ...]:
    """The SDK's UnknownValueError once the SDK is loaded. Only its unknown-checking proxy raises
    it, so props read before anything imported the proxy (opsctl's reports, the live audit's values)
    hold no unknown, and their readers need not load the SDK and grpc."""
    proxy = sys.modules.get("pulumi_policy.proxy")
    return (proxy.UnknownValueError,) if proxy else ()


def top_level(path: str) -> str:
    """`rules[0].kmsKeyId` → `rules`: property dependencies are keyed by top-level property."""
    return re.split(r"[.\[]", path, maxsplit=1)[0]


class Props:
    """A view of one resource's props that records which paths were read while unknown."""

    def __init__(self, props: Any, origins: Origins | None = None, provider: Any = None):
        self._props = props
        self._origins = origins
        self._provider = provider
        self.unknown_paths: list[str] = []

    def peek(self, path: str) -> Any:
        """Value at `a.b[0].c`, or MISSING (absent, null or wrong shape), or UNKNOWN; records nothing."""
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
            except unknown_value_errors():
                return UNKNOWN
            if current is None:
                return MISSING
        return current

    def get(self, path: str) -> Any:
        """Like `peek`, and an unknown value leaves the verdict undecided unless a rule decides it."""
        value = self.peek(path)
        if value is UNKNOWN:
            self.unknown_paths.append(path)
        return value

    def undecided(self, what: str) -> None:
        """Record that a verdict waits on an unknown part of `what` (e.g. statements of a document)."""
        self.unknown_paths.append(what)

    def items(self, path: str) -> Any:
        """Elements of a list at `path` (unknown elements as UNKNOWN); [] when absent or not a
        list; UNKNOWN when the list itself is not known yet."""
        value = self.get(path)
        if value is UNKNOWN:
            return UNKNOWN
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            return []
        return [self.get(f"{path}[{i}]") for i in range(len(value))]

    def count(self, path: str) -> Any:
        """Length of the list at `path` without reading its elements (they may be unknown): 0 when
        absent or not a list, UNKNOWN when the list itself is unknown."""
        value = self.get(path)
        if value is UNKNOWN:
            return UNKNOWN
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            return 0
        return len(value)

    def plain(self, path: str, *, record: bool = True) -> Any:
        """The value at `path` as plain dicts and lists, with UNKNOWN where a part is unknown
        (for documents that are judged as a whole, like a policy given as an object). With
        `record` false, a wholly unknown value is left for the caller to account for."""
        value = self.get(path) if record else self.peek(path)
        return value if value in (MISSING, UNKNOWN) else _plain(value)

    def flag(self, path: str) -> Any:
        """A boolean prop as the provider reads it: True, False, MISSING, UNKNOWN or Invalid."""
        value = self.get(path)
        if value in (MISSING, UNKNOWN) or isinstance(value, bool):
            return value
        if isinstance(value, str) and value in _GO_BOOLS:
            return _GO_BOOLS[value]
        return Invalid(value, "a boolean (true or false)")

    def whole_number(self, path: str) -> Any:
        """An integer prop as the provider reads it: a float, MISSING, UNKNOWN or Invalid."""
        return whole_number(self.get(path))

    def provider_default_tags(self) -> Any:
        """Tags the resource's provider adds to every resource (`defaultTags.tags`), where the
        engine sent the provider. The engine sends provider configuration as strings, so
        `defaultTags` arrives as JSON text; an object is read the same way. UNKNOWN when the
        setting is not known yet (a computed value in an explicit provider's defaultTags)."""
        if self._provider is None:
            return {}
        setting = Props(self._provider).plain("defaultTags", record=False)
        if setting is UNKNOWN:
            return UNKNOWN
        if isinstance(setting, str):
            try:
                setting = json.loads(setting)
            except ValueError:
                return {}  # the provider rejects it at CheckConfig: nothing is tagged
        tags = setting.get("tags") if isinstance(setting, Mapping) else None
        return tags if isinstance(tags, Mapping) else {}

    def origins(self, path: str) -> tuple[Origin, ...] | None:
        """Resources of the stack the value at `path` was computed from; None where the engine sent
        no dependencies (per-resource Analyze)."""
        if self._origins is None:
            return None
        return self._origins(top_level(path))

    def resolved(self, path: str, *types: str) -> tuple[Origin, ...]:
        """For a value read as UNKNOWN: the resources of `types` (any type when none is given) it
        points at, when every resource it was computed from is one of them. The read is then
        decided, so it is no longer counted as unknown; () leaves it undecided."""
        origins = self.origins(path) or ()
        if not origins or (types and any(o.type not in types for o in origins)):
            return ()
        self.unknown_paths = [p for p in self.unknown_paths if p != path]
        return origins


def unknown_reason(paths: Iterable[str]) -> str:
    """How the pack names the reads that waited on unknown values."""
    return f"{', '.join(dict.fromkeys(paths))} can't be known during preview"


def whole_number(value: Any) -> Any:
    """A value read with `peek` as the provider coerces an integer: a float, or MISSING, UNKNOWN
    or Invalid (for rules that decide which of several reads matter before recording them)."""
    if value in (MISSING, UNKNOWN):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return float(value)
    if isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value):
        return float(int(value))
    return Invalid(value, "a whole number")


def _plain(value: Any) -> Any:
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, Mapping):
        return {key: _element(value, key) for key in value}
    if isinstance(value, Sequence):
        return [_element(value, index) for index in range(len(value))]
    return value


def _element(container: Any, key: Any) -> Any:
    try:
        return _plain(container[key])
    except unknown_value_errors():
        return UNKNOWN


def contains_unknown(value: Any) -> bool:
    """Whether a `plain` value is, or holds, UNKNOWN anywhere."""
    if value is UNKNOWN:
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def shown(value: Any) -> str:
    if value is MISSING:
        return "not set"
    if isinstance(value, Invalid):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value)
