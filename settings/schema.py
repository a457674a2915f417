"""A small declarative parser: frozen dataclasses in, every problem reported at once.

Each settings section is a frozen dataclass whose fields are declared with `setting(...)`;
rules that span fields go in an optional `problems()` method yielding (key, value, problem).
`Parser.section` walks the type hints (str, int, bool, float, Literal, tuple[T, ...],
Mapping[str, T], Optional[T], nested sections), applies per-field checks and collects
`Issue`s instead of stopping at the first one. Config keys are the camelCase field names.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Union

from policies.guardrails.spelling import counted, did_you_mean

Check = Callable[[Any], str | None]
"""A check returns None when the value is fine, else a phrase saying what is allowed."""
Problem = tuple[str, Any, str]
"""(key relative to the section, offending value or NO_VALUE, what is wrong and what is allowed)."""
SectionChecks = Mapping[type, Callable[[Any], Iterable[Problem]]]
"""Rules for a section's parsed value that another layer owns, by section class."""

_INT_STRING = re.compile(r"^[+-]?\d+$")
NO_VALUE = object()
UNIONS = (Union, types.UnionType)  # Optional[X] and X | None


@dataclass(frozen=True)
class Issue:
    key: str
    """Full config key path, e.g. `ops-baseline:alerting.emails[1]`."""
    value: str
    """The offending value as shown to the user (never a secret)."""
    problem: str
    """What is wrong and what is allowed."""

    def __str__(self) -> str:
        if self.value:
            return f"{self.key}: {self.value} — {self.problem}"
        return f"{self.key}: {self.problem}"


def issue(key: str, problem: str, *, value: Any = NO_VALUE, secret: bool = False) -> Issue:
    return Issue(key, "" if value is NO_VALUE else "[secret]" if secret else show(value), problem)


class SettingsError(ValueError):
    """Raised with every problem found in the stack configuration."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
        lines = "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(f"invalid stack configuration ({counted(len(self.issues), 'problem')}):\n{lines}")


def setting(
    doc: str,
    *,
    default: Any = dataclasses.MISSING,
    check: Check | None = None,
    item_check: Check | None = None,
    secret: bool = False,
    key: str | None = None,
) -> Any:
    """Declare a settings field: its documentation, default, checks and secrecy.

    `check` sees the converted value; `item_check` sees each element of a list.
    """
    metadata = {"doc": doc, "check": check, "item_check": item_check, "secret": secret, "key": key}
    if isinstance(default, (list, dict, set)):
        raise TypeError("use tuples or mappings wrapped by freeze() for collection defaults")
    if isinstance(default, Mapping):
        frozen = default
        return dataclasses.field(default_factory=lambda: frozen, metadata=metadata, repr=not secret)
    return dataclasses.field(default=default, metadata=metadata, repr=not secret)


def default_of(field: dataclasses.Field) -> Any:
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return field.default


def has_default(field: dataclasses.Field) -> bool:
    return field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING


def config_key(field: dataclasses.Field) -> str:
    explicit = field.metadata.get("key")
    if explicit:
        return explicit
    head, *rest = field.name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def freeze(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return types.MappingProxyType(dict(mapping))


def show(value: Any) -> str:
    """Render a user value compactly for an error message."""
    try:
        text = json.dumps(value, default=str)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def type_name(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if hint is str:
        return "a string"
    if hint is int:
        return "an integer"
    if hint is float:
        return "a number"
    if hint is bool:
        return "true or false"
    if origin is Literal:
        return "one of " + ", ".join(show(v) for v in typing.get_args(hint))
    if origin is tuple:
        return f"a list of {type_name(typing.get_args(hint)[0]).removeprefix('a ').removeprefix('an ')}s"
    if origin in (Mapping, dict):
        return "a mapping"
    if dataclasses.is_dataclass(hint):
        return "a mapping"
    if origin in UNIONS:
        return " or ".join(type_name(arg) for arg in typing.get_args(hint) if arg is not type(None))
    return str(hint)


class Parser:
    """Collects issues while converting raw config values into typed values."""

    def __init__(self, secret_roots: frozenset[str] = frozenset(), section_checks: SectionChecks | None = None):
        self.issues: list[Issue] = []
        self.secret_roots = secret_roots
        self.section_checks = section_checks or {}

    def report(self, key: str, problem: str, *, value: Any = NO_VALUE, secret: bool = False) -> None:
        self.issues.append(issue(key, problem, value=value, secret=secret))

    def section(self, cls: type, raw: Any, path: str, root: str | None = None) -> Any:
        """Parse one dataclass section; returns None if it had issues.

        `path` is the key path so far (`ops-baseline:` at the top); `root` is the top-level
        Pulumi config key the section lives under, which decides whether it is secret.
        """
        if not isinstance(raw, Mapping):
            self.report(path, f"expected {type_name(cls)}", value=raw)
            return None
        fields = {config_key(f): f for f in dataclasses.fields(cls) if f.init}
        hints = typing.get_type_hints(cls)
        for key in raw:
            if key not in fields:
                self.report(join(path, key), unknown_key_problem(key, fields))
        before = len(self.issues)
        values: dict[str, Any] = {}
        for key, field in fields.items():
            child = join(path, key)
            field_root = root or child
            if key not in raw or raw[key] is None:
                if not has_default(field):
                    self.report(child, f"is required ({field.metadata['doc']})")
                continue
            secret = bool(field.metadata.get("secret"))
            if secret and field_root not in self.secret_roots:
                self.report(
                    child,
                    "is stored in plain text; store it as a Pulumi secret: "
                    f"pulumi config set --secret --path {child.split(':', 1)[1]} <value>",
                )
                continue
            values[field.name] = self.value(hints[field.name], raw[key], child, field_root, field)
        if len(self.issues) > before:
            return None
        parsed = cls(**values)
        # Cross-field rules live on the section as `problems()` -> (relative key, value, problem).
        for key, value, problem in getattr(parsed, "problems", tuple)():
            self.report(join(path, key) if key else path, problem, value=value)
        for key, value, problem in self.section_checks.get(cls, lambda _: ())(parsed):
            self.report(join(path, key) if key else path, problem, value=value)
        return None if len(self.issues) > before else parsed

    def value(self, hint: Any, raw: Any, path: str, root: str, field: dataclasses.Field | None = None) -> Any:
        secret = bool(field and field.metadata.get("secret"))
        converted = self.convert(hint, raw, path, root, secret)
        if converted is None or field is None:
            return converted
        item_check = field.metadata.get("item_check")
        if item_check is not None:
            problems = [(i, item_check(item)) for i, item in enumerate(converted)]
            for i, problem in problems:
                if problem:
                    self.report(f"{path}[{i}]", problem, value=converted[i], secret=secret)
            if any(problem for _, problem in problems):
                return None
        check = field.metadata.get("check")
        problem = check(converted) if check else None
        if problem:
            self.report(path, problem, value=raw, secret=secret)
            return None
        return converted

    def convert(self, hint: Any, raw: Any, path: str, root: str, secret: bool) -> Any:
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in UNIONS:
            inner = [arg for arg in args if arg is not type(None)]
            return self.convert(inner[0], raw, path, root, secret)
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self.section(hint, raw, path, root)
        if origin is tuple:
            if isinstance(raw, (str, bytes)) or not isinstance(raw, (list, tuple)):
                self.report(path, f"expected {type_name(hint)}", value=raw, secret=secret)
                return None
            items = [self.convert(args[0], item, f"{path}[{i}]", root, secret) for i, item in enumerate(raw)]
            return None if any(item is None for item in items) else tuple(items)
        if origin in (Mapping, dict):
            if not isinstance(raw, Mapping):
                self.report(path, f"expected {type_name(hint)}", value=raw, secret=secret)
                return None
            entries = {str(k): self.convert(args[1], v, f"{path}.{k}", root, secret) for k, v in raw.items()}
            return None if any(v is None for v in entries.values()) else freeze(entries)
        if origin is Literal:
            if raw in args and type(raw) is type(args[0]):
                return raw
            self.report(path, f"expected {type_name(hint)}", value=raw, secret=secret)
            return None
        converted = scalar(hint, raw)
        if converted is None:
            self.report(path, f"expected {type_name(hint)}", value=raw, secret=secret)
        return converted


def join(path: str, key: str) -> str:
    """`ops-baseline:` + `tags` → `ops-baseline:tags`; keys of other namespaces stand alone."""
    if ":" in key:
        return key
    return f"{path}{key}" if path.endswith(":") else f"{path}.{key}"


def scalar(hint: Any, raw: Any) -> Any:
    """Convert a scalar; numbers and booleans may arrive as strings from `pulumi config set`."""
    if hint is str:
        return raw if isinstance(raw, str) else None
    if hint is bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        return None
    if hint is int:
        if isinstance(raw, bool):
            return None
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str) and _INT_STRING.match(raw.strip()):
            return int(raw)
        return None
    if hint is float:
        if isinstance(raw, bool):
            return None
        if isinstance(raw, (int, float)):
            return float(raw)
        if isinstance(raw, str):
            try:
                return float(raw)
            except ValueError:
                return None
        return None
    raise TypeError(f"unsupported settings type {hint!r}")


def unknown_key_problem(key: str, fields: Mapping[str, Any]) -> str:
    allowed = sorted(name for name in fields if ":" not in name)
    return f"unknown key {key!r}; {did_you_mean(key, allowed)}allowed keys: {', '.join(allowed)}"


def describe(cls: type, prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(key, type, default, doc) rows for a section and its nested sections, for docs."""
    rows: list[tuple[str, str, str, str]] = []
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        key = f"{prefix}{config_key(field)}"
        hint = hints[field.name]
        inner = (
            [a for a in typing.get_args(hint) if a is not type(None)] if typing.get_origin(hint) in UNIONS else [hint]
        )
        default = default_of(field)
        if not has_default(field):
            shown = "required"
        elif dataclasses.is_dataclass(default):
            shown = "see below"
        elif isinstance(default, tuple) and default and dataclasses.is_dataclass(default[0]):
            shown = f"{len(default)} entry(ies), see meaning"
        else:
            shown = show(dict(default) if isinstance(default, Mapping) else default)
        rows.append((key, type_name(hint), shown, field.metadata.get("doc", "")))
        nested, nested_prefix = inner[0], f"{key}."
        if typing.get_origin(nested) is tuple:
            nested, nested_prefix = typing.get_args(nested)[0], f"{key}[]."
        elif typing.get_origin(nested) in (Mapping, dict):
            nested, nested_prefix = typing.get_args(nested)[1], f"{key}.<key>."
        if (
            isinstance(nested, type)
            and dataclasses.is_dataclass(nested)
            and not getattr(nested, "DOCUMENTED_SEPARATELY", False)
        ):
            rows.extend(describe(nested, prefix=nested_prefix))
    return rows


def reference_table(cls: type, prefix: str = "", *, top_level_only: bool = False) -> str:
    """The configuration reference as a Markdown table (docs/ and the README embed it; a test keeps it
    current). `top_level_only` leaves out the keys of nested sections."""
    lines = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for key, kind, default, doc in describe(cls):
        if top_level_only and "." in key:
            continue
        full = key if ":" in key else f"{prefix}{key}"
        lines.append(f"| `{full}` | {kind} | {default} | {doc} |")
    return "\n".join(lines)
