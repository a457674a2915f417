"""Declarative checks for the common case "this prop must be true / set / not false".

Rules with cross-field logic write their own check; these cover the rest. Unknown values never
produce a violation (the pack reports them as undecided); booleans are read as the provider
coerces them, and a value it cannot read fails with the value in the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .documents import DocumentError, Exposure, Grant, exposure, read_document
from .model import Parameter, ResourceCheck, StackView, Undecided, Violation
from .props import MISSING, UNKNOWN, Invalid, Props, shown, unknown_reason

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


def each_resource(
    check: ResourceCheck, types: tuple[str, ...], stack: StackView, config: Mapping[str, Any]
) -> Iterator[Violation | Undecided]:
    """A resource check run on every resource of `types`, with property dependencies at hand."""
    for resource in stack.of_type(*types):
        for message in check(resource.props, config):
            yield Violation(message, resource.urn)
        if resource.props.unknown_paths:
            yield Undecided(f"{resource.name}: {unknown_reason(resource.props.unknown_paths)}", resource.urn)


def document_paths(props: Props) -> list[str]:
    """Where a resource holds policy documents: `policy`, a permission set's `inlinePolicy`, and
    each of a role's `inlinePolicies`."""
    inline = props.count("inlinePolicies")
    return ["policy", "inlinePolicy"] + [
        f"inlinePolicies[{i}].policy" for i in range(inline if isinstance(inline, int) else 0)
    ]


def document_check(
    what: str,
    judge: Callable[[Mapping[str, Any], Mapping[str, Any], bool], Exposure],
    ask: str,
    paths: Callable[[Props], list[str]] = document_paths,
) -> Check:
    """Judge every policy document of the resource with `judge(document, config, unknown_pins)`.

    Each grant it finds is a violation (`what`, statement, what it grants, then `ask`); statements that wait
    on unknown values leave the verdict undecided. A document given as text must be JSON.
    `unknown_pins` is true where the engine says the document was computed from resources of the
    stack (AnalyzeStack): their ARNs and ids are concrete values, never wildcards. `paths`: where
    the resource holds its documents, the main one first.
    """

    def check(props: Props, config: Mapping[str, Any]) -> Iterator[str]:
        for index, path in enumerate(paths(props)):
            value = props.plain(path)
            if value in (MISSING, UNKNOWN, ""):
                continue
            where = what if index == 0 else f"{what} ({path.removesuffix('.policy')})"
            try:
                document = read_document(value)
            except DocumentError as error:
                yield f"{where} {error}."
                continue
            found = judge(document, config, bool(props.origins(path)))
            for grant in found.grants:
                yield f"{where} statement {grant.statement} {grant.who}; {ask}"
            if found.undecided:
                props.undecided(f"{path} statements {', '.join(found.undecided)}")

    return check


SERVICE_PRINCIPALS = Parameter(
    "allowUnscopedServicePrincipals",
    {"type": "boolean", "default": False},
    "Accept a service principal (e.g. events.amazonaws.com) without aws:SourceAccount or aws:SourceArn, which lets that service act for any account.",
)
"""The parameter of every public-access rule on a resource policy."""

PIN_THE_CALLER = "name the principals, or pin the caller with aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID."


def public_access(document: Mapping[str, Any], config: Mapping[str, Any], unknown_pins: bool) -> Exposure:
    """Statements of a resource policy that let in more than named principals (see `documents`)."""
    found = exposure(document, scope_services=not config["allowUnscopedServicePrincipals"], unknown_pins=unknown_pins)
    return Exposure(
        tuple(Grant(g.statement, f"lets in {g.who} without a condition that pins the caller") for g in found.grants),
        found.undecided,
    )
