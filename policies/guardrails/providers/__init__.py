"""Per-provider views of the same facts: a resource of another provider judged by the rules written
for pulumi-aws types.

A view turns one resource of another provider (aws-native, whose inputs are CloudFormation's
property names) into the pulumi-aws resources it amounts to, its *facets*: an `aws-native:s3:Bucket`
is a bucket, and, where its inline blocks are set, the encryption, versioning and public access
block resources the S3 guardrails look for beside a pulumi-aws bucket. Facets keep the resource's
URN, so findings name the real resource; unknown values stay unknown; each facet's top-level props
keep the property dependencies of the props they were read from, so references resolve in
AnalyzeStack as they do for pulumi-aws types. Messages name the provider's own props.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from ..props import MISSING, UNKNOWN, Props

SELF = "<self>"
"""A facet prop that names the resource itself (a setting's `bucket`): it depends on the resource."""


@dataclass(frozen=True)
class Facet:
    type: str
    """The pulumi-aws type token the guardrails judge it as."""
    props: Mapping[str, Any]
    """Props in that type's wire shape, with UNKNOWN where the resource's value is unknown."""
    sources: Mapping[str, str] = field(default_factory=dict)
    """Facet top-level prop → the resource's top-level prop it was read from (SELF: the resource
    itself); props not listed were read from the prop of the same name."""

    def wire_props(self) -> Mapping[str, Any]:
        """The props as the analyzer hands them over, unknowns as the SDK's sentinel."""
        return unknown_checking_proxy(_sentinels(dict(self.props)))

    def dependencies(self, own: Mapping[str, Iterable[str]], urn: str) -> dict[str, tuple[str, ...]]:
        """Facet prop → URNs, from the resource's property dependencies."""
        found = {}
        for prop in self.props:
            source = self.sources.get(prop, prop)
            urns = (urn,) if source == SELF else tuple(own.get(source, ()))
            if urns:
                found[prop] = urns
        return found


@dataclass(frozen=True)
class View:
    type: str
    """The provider's type token."""
    judged_as: tuple[str, ...]
    """The pulumi-aws types its facets take; the first is the resource's own kind."""
    facets: Callable[[Props], list[Facet]]
    names: Mapping[str, str] = field(default_factory=dict)
    """pulumi-aws prop path → the provider's, where they differ, to name the provider's props in
    messages (camelCase paths only: plain words like `name` also occur in prose)."""

    def rename(self, message: str) -> str:
        return _renamer(tuple(self.names.items()))(message)


@cache
def _renamer(names: tuple[tuple[str, str], ...]) -> Callable[[str], str]:
    """Replace whole prop paths; `[*]` stands for any index, kept in the replacement."""
    if not names:
        return lambda message: message
    longest_first = sorted(names, key=lambda pair: -len(pair[0]))
    any_index = re.escape("[*]")
    paths = [re.escape(classic).replace(any_index, r"\[\d+\]") for classic, _ in longest_first]
    pattern = re.compile("|".join(rf"(?P<n{i}>(?<![\w.]){path}(?!\w))" for i, path in enumerate(paths)))

    def replace(match: re.Match) -> str:
        group = match.lastgroup
        assert group is not None, "every alternative of the pattern is a named group"
        native = longest_first[int(group[1:])][1]
        for index in re.findall(r"\[\d+\]", match.group(0)):
            native = native.replace("[*]", index, 1)
        return native

    return lambda message: pattern.sub(replace, message)


def present(**props: Any) -> dict[str, Any]:
    """The props that are set (MISSING ones left out, as the provider leaves them out)."""
    return {k: v for k, v in props.items() if v is not MISSING}


def read(props: Props, *paths: str) -> list[Any]:
    """Plain values (UNKNOWN inside where unknown) at `paths`, recording nothing."""
    return [props.plain(p, record=False) for p in paths]


def tag_map(tags: Any) -> Any:
    """CloudFormation's tag list ([{key, value}]) as pulumi-aws's tag map; UNKNOWN when a key is."""
    if tags is MISSING or tags is UNKNOWN:
        return tags
    found: dict[str, Any] = {}
    for tag in tags if isinstance(tags, list) else ():
        if tag is UNKNOWN or (isinstance(tag, Mapping) and tag.get("key") is UNKNOWN):
            return UNKNOWN
        if isinstance(tag, Mapping) and isinstance(tag.get("key"), str):
            found[tag["key"]] = tag.get("value")
    return found


def _sentinels(value: Any) -> Any:
    if value is UNKNOWN:
        return UNKNOWN_STRING_VALUE
    if isinstance(value, Mapping):
        return {k: _sentinels(v) for k, v in value.items() if v is not MISSING}
    if isinstance(value, list):
        return [_sentinels(v) for v in value]
    return value


def _registry() -> dict[str, View]:
    from .aws_native import VIEWS

    return {view.type: view for view in VIEWS}


VIEWS: Mapping[str, View] = _registry()


def view_of(type_: str) -> View | None:
    return VIEWS.get(type_)


def facets_of(type_: str, props: Any, judged: Iterable[str] | None = None) -> list[Facet]:
    """The facets of a resource of another provider (of the `judged` types, when given); [] for a
    type no view knows."""
    view = VIEWS.get(type_)
    if view is None:
        return []
    wanted = None if judged is None else frozenset(judged)
    return [f for f in view.facets(Props(props)) if wanted is None or f.type in wanted]


def types_judged_with(classic_types: Iterable[str]) -> tuple[str, ...]:
    """`classic_types` and every provider type a view judges as one of them."""
    classic = tuple(classic_types)
    wanted = frozenset(classic)
    return (*classic, *(v.type for v in VIEWS.values() if wanted.intersection(v.judged_as)))


def judged_as(type_: str) -> str:
    """The pulumi-aws type a resource counts as when others reference it (its own, if no view)."""
    view = VIEWS.get(type_)
    return view.judged_as[0] if view else type_


def coverage_table() -> str:
    """Markdown: for every guardrail, the aws-native types it judges beside its pulumi-aws ones."""
    from ..catalog import CATALOG

    rows = ["| guardrail | aws-native types |", "|---|---|"]
    for guardrail in CATALOG:
        native = types_judged_with(guardrail.resource_types)[len(guardrail.resource_types) :]
        shown = ", ".join(f"`{t.removeprefix('aws-native:')}`" for t in native) or "— (pulumi-aws only)"
        rows.append(f"| `{guardrail.name}` | {shown} |")
    return "#### Providers\n\n" + "\n".join(rows)
