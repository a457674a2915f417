"""Runtime-faithful args for guardrail tests: props go through the SDK's unknown-checking proxy,
as the analyzer does, and violations are collected like the SDK's own `run_policy` helper."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.pack import to_policy
from policies.guardrails.sdk_private import NotApplicableError
from policies.guardrails.serve import Unlisted

UNKNOWN = UNKNOWN_STRING_VALUE
OPTIONS = PolicyResourceOptions(False, [], False, [], PolicyCustomTimeouts(0, 0, 0), [])


@dataclass
class Outcome:
    violations: list[str] = field(default_factory=list)
    urns: list[str | None] = field(default_factory=list)
    unchecked: str | None = None
    """The SDK's preview path: the UnknownValueError message, if the rule raised one."""
    not_applicable: str | None = None
    """The not-applicable reason, if the rule gave one (how the pack reports exempted findings)."""


def urn_of(type_: str, name: str) -> str:
    return f"urn:pulumi:test::ops-baseline::{type_}::{name}"


def run_resource(
    policy_name: str, type_: str, props: Mapping[str, Any], config: Mapping[str, Any] | None = None
) -> Outcome:
    """Judge one resource the way the pack does: in Analyze, or, for a guardrail that resolves
    references, in AnalyzeStack with the resource alone (no dependencies to follow)."""
    from pulumi_policy.proxy import UnknownValueError

    policy = to_policy(BY_NAME[policy_name])
    if isinstance(policy, StackValidationPolicy):
        return run_stack(policy_name, [Res(type_, "r", props)], config)
    outcome = Outcome()
    args = ResourceValidationArgs(
        type_,
        unknown_checking_proxy(copy.deepcopy(dict(props))),
        urn_of(type_, "r"),
        "r",
        OPTIONS,
        None,
        dict(config or {}),
    )
    try:
        policy.validate(args, lambda message, urn=None: outcome.violations.append(message))
    except UnknownValueError as unknown:
        outcome.unchecked = unknown.message
    except NotApplicableError as not_applicable:
        outcome.not_applicable = not_applicable.reason
    return outcome


@dataclass(frozen=True)
class Res:
    type: str
    name: str
    props: Mapping[str, Any]
    deps: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """prop → names of the resources (in the same stack) its value came from, or URNs of resources
    AnalyzeStack does not list (a stack reference)."""


def linked(by_name: Mapping[str, PolicyResource], name: str) -> PolicyResource:
    """A dependency as the pack's servicer links it: a listed resource, or a stand-in for a URN."""
    return Unlisted(name) if name.startswith("urn:") and name not in by_name else by_name[name]


def run_stack(policy_name: str, resources: list[Res], config: Mapping[str, Any] | None = None) -> Outcome:
    from pulumi_policy.proxy import UnknownValueError

    policy = to_policy(BY_NAME[policy_name])
    by_name: dict[str, PolicyResource] = {}
    for r in resources:
        by_name[r.name] = PolicyResource(
            r.type,
            unknown_checking_proxy(copy.deepcopy(dict(r.props))),
            urn_of(r.type, r.name),
            r.name,
            OPTIONS,
            None,
            None,
            [],
            {},
        )
    for r in resources:
        by_name[r.name].property_dependencies = {k: [linked(by_name, n) for n in names] for k, names in r.deps.items()}
    outcome = Outcome()

    def report(message: str, urn: str | None = None) -> None:
        outcome.violations.append(message)
        outcome.urns.append(urn)

    try:
        policy.validate(StackValidationArgs(list(by_name.values()), dict(config or {})), report)
    except UnknownValueError as unknown:
        outcome.unchecked = unknown.message
    except NotApplicableError as not_applicable:
        outcome.not_applicable = not_applicable.reason
    return outcome


def changed(base: Mapping[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of `base` with top-level keys replaced; a value of DELETE removes the key."""
    result = copy.deepcopy(dict(base))
    for key, value in changes.items():
        if value is DELETE:
            result.pop(key, None)
        else:
            result[key] = value
    return result


DELETE = object()


UNDECIDED = "UNDECIDED"


def assert_verdict(outcome: Outcome, expected: str | None, urn: str | None = None) -> None:
    """None: the stack passes; UNDECIDED: nothing fails but something is unchecked; else exactly one
    violation containing `expected` (on `urn`, when given)."""
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None, outcome
    elif expected == UNDECIDED:
        assert outcome.violations == [] and outcome.unchecked, outcome
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations
        assert urn is None or outcome.urns == [urn], outcome.urns
