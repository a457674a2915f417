"""Resource policies (topic, bucket, queue, key, repository) judged as AWS evaluates who they let in.

A statement opens a resource when it is an Allow whose principal reaches beyond named principals:
`*` in any form (`"*"`, `{"AWS": "*"}`, a `*` among account ARNs), a `NotPrincipal`, an identity
provider's users, or (where the rule asks) a service principal, which any account's use of that
service matches. It stays closed when one of its conditions pins the caller with a concrete value:
the calling or source account, organization, ARN (one with an account: an S3 bucket's ARN, which
names no account, pins nobody alone), VPC or VPC endpoint, a narrow IP range, or a user id. A condition that can be met without those keys (`...IfExists`, `ForAllValues:`, the negated
operators) or with any value (`*` in a pattern, a policy variable) pins nothing, and neither does a
key the caller controls, such as `aws:SecureTransport`. Deny statements grant nothing, and neither
does a statement whose condition needs a key its actions never carry (`sns:Endpoint` on
`sns:Publish`; see `action_keys`).

Element names, condition operators and keys are read case-insensitively: AWS rejects spellings it
does not accept, so reading them leniently can only make a verdict stricter.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .props import MISSING, UNKNOWN
from .vocabulary.action_keys import carried_by_any

_WILDCARD = re.compile(r"[*?]")

_CALLER_KEYS = {
    "aws:sourceaccount": "account",
    "aws:sourceowner": "account",
    "aws:principalaccount": "account",
    "kms:calleraccount": "account",
    "s3:dataaccesspointaccount": "account",
    "aws:sourcearn": "arn",
    "aws:principalarn": "arn",
    "s3:dataaccesspointarn": "arn",
    "aws:principalorgid": "exact",
    "aws:sourceorgid": "exact",
    "aws:sourcevpc": "exact",
    "aws:sourcevpce": "exact",
    "aws:sourcevpcarn": "arn",
    "aws:vpceaccount": "account",
    "aws:vpceorgid": "exact",
    "aws:principalorgpaths": "org-path",
    "aws:sourceorgpaths": "org-path",
    "aws:vpceorgpaths": "org-path",
    "aws:sourceip": "ip",
    "aws:userid": "user-id",
}
"""Condition keys that say who is calling, and how a value of each must look to pin the caller.
`aws:VpceAccount`, `aws:VpceOrgID` and `aws:VpceOrgPaths` name the owner of the VPC endpoint the
request came through (IAM's global condition keys, 2025), as `aws:SourceVpce` names the endpoint."""

_EXACT_OPERATORS = ("stringequals", "stringequalsignorecase")
_PATTERN_OPERATORS = ("stringlike", "arnlike", "arnequals")
_IP_OPERATORS = ("ipaddress",)
_NARROWEST_OPEN_PREFIX = {4: 8, 6: 32}
"""An IP condition pins the caller only with ranges at least this narrow (/8 for IPv4, /32 for IPv6)."""


class DocumentError(ValueError):
    """The policy is not a JSON object with statements."""


@dataclass(frozen=True)
class Grant:
    """An Allow statement that lets in more than named principals, without pinning the caller."""

    statement: str
    """The statement's Sid, or `#<index>`."""
    who: str


@dataclass(frozen=True)
class Exposure:
    grants: tuple[Grant, ...]
    undecided: tuple[str, ...]
    """Statements whose verdict depends on a value unknown until deploy."""


def read_document(value: Any) -> Mapping[str, Any]:
    """A policy given as a JSON string or as an object; DocumentError for anything else."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise DocumentError(f"is not valid JSON ({error})") from None
    if not isinstance(value, Mapping):
        raise DocumentError(f"is a JSON {type(value).__name__}, not an object with a Statement list")
    return value


def exposure(document: Mapping[str, Any], *, scope_services: bool, unknown_pins: bool = False) -> Exposure:
    """Which Allow statements let in more than named principals without pinning the caller.

    `scope_services`: a service principal counts as open unless a condition pins the source
    account or resource (the confused-deputy rule for resources that services write to).
    `unknown_pins`: a condition value unknown until deploy pins the caller. True where the engine
    says the document was computed from resources of the stack, whose ARNs and ids are concrete.
    """
    return judge_statements(document, lambda statement: _statement_exposure(statement, scope_services, unknown_pins))


def judge_statements(document: Mapping[str, Any], judge) -> Exposure:
    """`judge(statement)` for every statement: a description of what it grants that the caller
    objects to, '' for nothing, or UNKNOWN."""
    grants: list[Grant] = []
    undecided: list[str] = []
    statements = _get(document, "Statement")
    if statements is UNKNOWN:
        return Exposure((), ("Statement",))
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        return Exposure((), ())
    for index, statement in enumerate(statements):
        label = f"#{index}"
        if statement is UNKNOWN:
            undecided.append(label)
            continue
        if not isinstance(statement, Mapping):
            continue
        sid = _get(statement, "Sid")
        label = str(sid) if isinstance(sid, str) and sid else label
        verdict = judge(statement)
        if verdict is UNKNOWN:
            undecided.append(label)
        elif verdict:
            grants.append(Grant(label, verdict))
    return Exposure(tuple(grants), tuple(undecided))


def _allows(statement: Mapping[str, Any]) -> Any:
    effect = _get(statement, "Effect")
    if effect is UNKNOWN:
        return UNKNOWN
    return isinstance(effect, str) and effect.lower() == "allow"


def _statement_exposure(statement: Mapping[str, Any], scope_services: bool, unknown_pins: bool) -> Any:
    """Who the statement opens the resource to ('' when nobody beyond named principals), or UNKNOWN."""
    allows = _allows(statement)
    if allows is not True:
        return UNKNOWN if allows is UNKNOWN else ""
    audience = _audience(statement, scope_services)
    if audience == "" or _never_met(statement):
        return ""
    scope = caller_scope(_get(statement, "Condition"), unknown_pins=unknown_pins)
    if scope is True:
        return ""
    if scope is UNKNOWN or audience is UNKNOWN:
        return UNKNOWN
    return audience


def _requires_key(operator: str) -> bool:
    """Whether a condition with this operator fails when its key is absent from the request."""
    operator = operator.lower().removeprefix("foranyvalue:")
    return not (
        operator.startswith("forallvalues:") or operator.endswith("ifexists") or "not" in operator or operator == "null"
    )


def _never_met(statement: Mapping[str, Any]) -> bool:
    """A condition that needs a key none of the statement's actions carries (`sns:Endpoint` on
    `sns:Publish`): the statement grants nothing. NotAction and unknown actions may carry any key."""
    conditions = _get(statement, "Condition")
    actions = _listed(statement, "Action")
    if not isinstance(conditions, Mapping) or not isinstance(actions, list) or UNKNOWN in actions:
        return False
    named = [a for a in actions if isinstance(a, str)]
    return any(
        _requires_key(str(operator)) and not carried_by_any(str(key), named)
        for operator, entries in conditions.items()
        if isinstance(entries, Mapping)
        for key in entries
    )


def _listed(statement: Mapping[str, Any], name: str) -> Any:
    """An Action/Resource-style element as a list (MISSING when absent, UNKNOWN when unknown)."""
    value = _get(statement, name)
    if value in (MISSING, UNKNOWN):
        return value
    return value if isinstance(value, list) else [value]


def _any_of(values: Any, test) -> Any:
    """True if a known value passes `test`, UNKNOWN if only an unknown one could, else False."""
    if values is UNKNOWN:
        return UNKNOWN
    if values is MISSING:
        return False
    if any(v is not UNKNOWN and test(v) for v in values):
        return True
    return UNKNOWN if UNKNOWN in values else False


def _every_action(action: Any) -> bool:
    return isinstance(action, str) and "*" in action and re.fullmatch(r"[*?]*(:[*?]*)?", action.strip()) is not None


def _every_resource(resource: Any) -> bool:
    if not isinstance(resource, str):
        return False
    if re.fullmatch(r"[*?]*\*[*?]*", resource):
        return True
    parts = resource.split(":", 5)
    return (
        len(parts) == 6
        and parts[0] == "arn"
        and parts[2] == "*"
        and parts[5] == "*"
        and parts[3] in ("*", "")
        and parts[4] in ("*", "")
    )


def _service_wide(action: Any) -> str | None:
    match = re.fullmatch(r"([A-Za-z0-9-]+):\*+", action.strip()) if isinstance(action, str) else None
    return match.group(1).lower() if match else None


def _three_way_and(*values: Any) -> Any:
    if any(v is False for v in values):
        return False
    return UNKNOWN if UNKNOWN in values else True


def _covers_all(statement: Mapping[str, Any], element: str, test) -> Any:
    """Whether `element` (Action or Resource) covers everything: a `Not...` list does (all but
    some) unless it excludes everything itself, and so does a value passing `test`."""
    negated = _listed(statement, f"Not{element}")
    if negated is not MISSING:
        excludes_everything = _any_of(negated, test)
        return UNKNOWN if excludes_everything is UNKNOWN else not excludes_everything
    return _any_of(_listed(statement, element), test)


def administrator_access(document: Mapping[str, Any]) -> Exposure:
    """Allow statements that grant every action (`*`, `*:*`, or all but a NotAction list) on every
    resource (`*`, or all but a NotResource list): administrator access, whatever the conditions.

    This is AWS Config's IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS and Security Hub IAM.1
    (`"Action": "*"` over `"Resource": "*"`; `service:*` on `*` is compliant there), with the
    negated forms read as what they grant. Every action on fewer resources is not administrator
    access; `service_wide_actions` reports it as full access."""

    def judge(statement: Mapping[str, Any]) -> Any:
        verdict = _three_way_and(
            _allows(statement),
            _covers_all(statement, "Action", _every_action),
            _covers_all(statement, "Resource", _every_resource),
        )
        if verdict is not True:
            return verdict
        what = "every action but its NotAction list" if _get(statement, "NotAction") is not MISSING else "every action"
        where = (
            "every resource but its NotResource list"
            if _get(statement, "NotResource") is not MISSING
            else "every resource"
        )
        return f"grants {what} on {where}"

    return judge_statements(document, judge)


def service_wide_actions(document: Mapping[str, Any]) -> Exposure:
    """Allow statements that grant every action of at least one service, on any resource: `kms:*`,
    `*` or `*:*` (every action of every service), or a NotAction list (every action but those
    listed, so all of some service).

    This is AWS Config's IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS ("allows full access to at
    least 1 AWS service", where `ec2:Describe*` is compliant and `ec2:*` is not) and Security Hub
    IAM.21. Full access on one resource is still full access: neither the rule nor the control looks
    at Resource. Every action on every resource is, in addition, administrator access."""

    def judge(statement: Mapping[str, Any]) -> Any:
        allows = _allows(statement)
        if allows is not True:
            return UNKNOWN if allows is UNKNOWN else ""
        excluded = _listed(statement, "NotAction")
        if excluded is not MISSING:
            excludes_everything = _any_of(excluded, _every_action)
            if excludes_everything is not False:
                return UNKNOWN if excludes_everything is UNKNOWN else ""
            return "grants every action of every service but its NotAction list"
        actions = _listed(statement, "Action")
        if actions in (MISSING, UNKNOWN):
            return actions if actions is UNKNOWN else ""
        if any(_every_action(a) for a in actions):
            return "grants every action of every service ('*')"
        services = sorted({s for a in actions if (s := _service_wide(a))})
        if services:
            return "grants " + ", ".join(f"every {s} action ({s}:*)" for s in services)
        return UNKNOWN if UNKNOWN in actions else ""

    return judge_statements(document, judge)


def _audience(statement: Mapping[str, Any], scope_services: bool) -> Any:
    not_principal = _get(statement, "NotPrincipal")
    if not_principal is UNKNOWN:
        return UNKNOWN
    if not_principal is not MISSING:
        return "everyone except its NotPrincipal"
    principal = _get(statement, "Principal")
    if principal is UNKNOWN:
        return UNKNOWN
    found = []
    unknown = False
    for kind, name in _principals(principal):
        if name is UNKNOWN:
            unknown = True
        elif not isinstance(name, str) or "*" in name or "?" in name:
            return "any principal ('*')"
        elif kind == "federated":
            found.append(f"any user of the identity provider {name}")
        elif kind == "service" and scope_services:
            found.append(f"any account's {name}")
    if found:
        return "; ".join(found)
    return UNKNOWN if unknown else ""


_ACCOUNT_PRINCIPAL = re.compile(r"^(?:(\d{12})|arn:[^:]+:(?:iam|sts)::(\d{12}):.+)$")
"""An AWS principal that names an account: its id, or an IAM or STS ARN (root, role, user, session)."""


def accounts_let_in(document: Mapping[str, Any], trusted: frozenset[str]) -> Exposure:
    """Allow statements whose AWS principals name accounts outside `trusted`, whatever their
    conditions (a named account is let in on purpose or by mistake, never by a wildcard). Principals
    that are wildcards or unknown are `exposure`'s to judge."""

    def judge(statement: Mapping[str, Any]) -> Any:
        if _allows(statement) is not True or _never_met(statement):
            return ""
        accounts = sorted(
            {
                found.group(1) or found.group(2)
                for kind, name in _principals(_get(statement, "Principal"))
                if kind == "aws" and isinstance(name, str) and (found := _ACCOUNT_PRINCIPAL.match(name.strip()))
            }
            - trusted
        )
        return f"lets in account {', '.join(accounts)}" if accounts else ""

    return judge_statements(document, judge)


def _principals(principal: Any) -> Iterator[tuple[str, Any]]:
    """(kind, value) for every principal named: kind is aws, service, federated or canonicaluser."""
    if principal is MISSING:
        return
    if isinstance(principal, str):
        yield "aws", principal
    elif isinstance(principal, Mapping):
        for key, values in principal.items():
            kind = str(key).lower()
            for value in values if isinstance(values, list) else [values]:
                yield kind, value
    elif isinstance(principal, list):
        for value in principal:
            yield "aws", value
    else:
        yield "aws", principal


def caller_scope(conditions: Any, *, unknown_pins: bool = False) -> Any:
    """True when some condition pins the caller with concrete values, UNKNOWN when that depends on
    an unknown value, else False. Conditions of one statement must all hold, so one suffices.
    With `unknown_pins`, a value unknown until deploy counts as concrete."""
    if conditions is UNKNOWN:
        return UNKNOWN
    if not isinstance(conditions, Mapping):
        return False
    undecided = False
    for operator, entries in conditions.items():
        if entries is UNKNOWN:
            undecided = True
            continue
        if not isinstance(entries, Mapping):
            continue
        for key, values in entries.items():
            pinned = _pins_caller(str(operator), str(key), values)
            if pinned is UNKNOWN and unknown_pins:
                return True
            if pinned is True:
                return True
            undecided = undecided or pinned is UNKNOWN
    return UNKNOWN if undecided else False


def _pins_caller(operator: str, key: str, values: Any) -> Any:
    operator = operator.lower()
    if operator.startswith("forallvalues:") or operator.endswith("ifexists"):
        return False  # both hold for a request without the key, e.g. a direct call
    operator = operator.removeprefix("foranyvalue:")
    kind = _CALLER_KEYS.get(key.lower()) or _context_kind(key)
    if kind is None or operator not in (*_EXACT_OPERATORS, *_PATTERN_OPERATORS, *_IP_OPERATORS):
        return False
    if values is UNKNOWN:
        return UNKNOWN
    unknown = False
    for value in values if isinstance(values, list) else [values]:
        if value is UNKNOWN:
            unknown = True
        elif not _concrete(operator, kind, _as_text(value)):
            return False  # values are alternatives: one open value opens the statement
    return UNKNOWN if unknown else True


def _concrete(operator: str, kind: str, value: str | None) -> bool:
    if value is None or "${" in value:
        return False  # a policy variable matches whatever the request carries
    if kind == "ip":
        return operator in _IP_OPERATORS and _narrow_network(value)
    if operator in _IP_OPERATORS:
        return False
    if kind == "arn" and _without_account(value):
        return False  # an S3 bucket's ARN: whoever owns a bucket of that name matches (confused deputy)
    if operator in _EXACT_OPERATORS:
        return True  # exact match: '*' is a literal character here
    if not _WILDCARD.search(value):
        return True
    if kind == "arn":
        parts = value.split(":", 5)
        return len(parts) == 6 and bool(parts[4]) and not _WILDCARD.search(parts[4])
    if kind == "org-path":
        return re.fullmatch(r"o-[a-z0-9]+/[^*?]*.*", value) is not None
    if kind == "user-id":
        return re.fullmatch(r"[A-Za-z0-9]+:\*", value) is not None
    if kind == "claim":
        first = _WILDCARD.search(value)
        return first is not None and "/" in value[: first.start()]
    return False


def _without_account(arn: str) -> bool:
    """An ARN whose account field is empty (`arn:aws:s3:::uploads`): it names a resource by a
    name any account can hold, so alone it pins no caller. AWS Config's
    LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED fails an S3 invocation without aws:SourceAccount."""
    parts = arn.split(":", 5)
    return len(parts) == 6 and parts[0] == "arn" and parts[4] == ""


def _narrow_network(value: str) -> bool:
    try:
        network = ipaddress.ip_network(value, strict=False)
    except ValueError:
        return False
    return network.prefixlen >= _NARROWEST_OPEN_PREFIX[network.version]


def _context_kind(key: str) -> str | None:
    """Keys a service or identity provider sets, which a caller cannot choose:
    `kms:EncryptionContext:aws:logs:arn` (the ARN of the calling service's resource), and web
    identity claims such as `accounts.google.com:aud`."""
    lowered = key.lower()
    if re.fullmatch(r"kms:encryptioncontext:aws:[a-z0-9-]+:arn", lowered):
        return "arn"
    provider, _, claim = key.partition(":")
    return "claim" if claim and "." in provider else None


def _as_text(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value if isinstance(value, str) else None


def _get(element: Mapping[str, Any], name: str) -> Any:
    """A policy element by name, case-insensitively; MISSING when absent."""
    wanted = name.lower()
    for key, value in element.items():
        if str(key).lower() == wanted:
            return MISSING if value is None else value
    return MISSING


def denies_insecure_transport(document: Mapping[str, Any], *, unknown_names_the_bucket: bool) -> Any:
    """Whether a Deny statement refuses every S3 request made without TLS (`aws:SecureTransport`
    false), for everyone, on the bucket and its objects: True, False or UNKNOWN.

    `unknown_names_the_bucket`: resource values unknown until deploy were computed from the
    bucket itself (the engine's property dependencies say so), so they name it and its objects.
    """
    verdicts = [_tls_deny(s, unknown_names_the_bucket) for s in _statements(document)]
    if True in verdicts:
        return True
    return UNKNOWN if UNKNOWN in verdicts else False


def _statements(document: Mapping[str, Any]) -> list[Any]:
    statements = _get(document, "Statement")
    if statements is UNKNOWN:
        return [UNKNOWN]
    if isinstance(statements, Mapping):
        return [statements]
    return statements if isinstance(statements, list) else []


def _tls_deny(statement: Any, unknown_names_the_bucket: bool) -> Any:
    if statement is UNKNOWN:
        return UNKNOWN
    if not isinstance(statement, Mapping):
        return False
    effect = _get(statement, "Effect")
    everyone = _any_of([p for _, p in _principals(_get(statement, "Principal"))], lambda p: p == "*")
    every_s3_action = _any_of(
        _listed(statement, "Action"), lambda a: isinstance(a, str) and a.strip().lower() in ("*", "s3:*", "*:*")
    )
    resources = _listed(statement, "Resource")
    if resources is UNKNOWN or (isinstance(resources, list) and UNKNOWN in resources):
        covers: Any = True if unknown_names_the_bucket else UNKNOWN
    else:
        known = [r for r in resources if isinstance(r, str)] if isinstance(resources, list) else []
        covers = any(r == "*" for r in known) or (
            any(r.endswith("/*") for r in known) and any(r.startswith("arn:") and "/" not in r for r in known)
        )
    insecure = _insecure_transport_condition(_get(statement, "Condition"))
    return _three_way_and(
        UNKNOWN if effect is UNKNOWN else (isinstance(effect, str) and effect.lower() == "deny"),
        everyone,
        every_s3_action,
        covers,
        insecure,
    )


def _insecure_transport_condition(conditions: Any) -> Any:
    if conditions is UNKNOWN:
        return UNKNOWN
    if not isinstance(conditions, Mapping):
        return False
    for operator, entries in conditions.items():
        if str(operator).lower() not in ("bool", "boolifexists") or not isinstance(entries, Mapping):
            continue
        for key, values in entries.items():
            if str(key).lower() == "aws:securetransport":
                values = values if isinstance(values, list) else [values]
                if any(_as_text(v) == "false" for v in values):
                    return True
                if UNKNOWN in values:
                    return UNKNOWN
    return False
