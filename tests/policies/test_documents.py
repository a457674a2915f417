"""The policy-document analyzer: principal shapes, caller-pinning conditions, documents as text or
objects, unknown parts; and random documents against a small reference evaluator that plays an
outsider trying every request it could make."""

from __future__ import annotations

import fnmatch
import ipaddress
import itertools
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policies.guardrails.documents import DocumentError, exposure, read_document
from policies.guardrails.props import UNKNOWN

OWN = "111122223333"
OTHER = "444455556666"


def statement(principal=None, effect="Allow", condition=None, not_principal=None, **extra):
    found = {"Effect": effect, "Action": "sns:Publish", "Resource": "*", **extra}
    if principal is not None:
        found["Principal"] = principal
    if not_principal is not None:
        found["NotPrincipal"] = not_principal
    if condition is not None:
        found["Condition"] = condition
    return found


def verdict(document, scope_services=True):
    found = exposure(read_document(document), scope_services=scope_services)
    if found.grants:
        return "open"
    return "undecided" if found.undecided else "closed"


PRINCIPALS = [
    ("star", "*", "open"),
    ("aws-star", {"AWS": "*"}, "open"),
    ("star-among-accounts", {"AWS": [f"arn:aws:iam::{OWN}:root", "*"]}, "open"),
    ("wildcard-inside-an-arn", {"AWS": "arn:aws:iam::*:root"}, "open"),
    ("account-id", {"AWS": OWN}, "closed"),
    ("named-accounts-and-role", {"AWS": [f"arn:aws:iam::{OWN}:root", f"arn:aws:iam::{OTHER}:role/reader"]}, "closed"),
    ("canonical-user", {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, "closed"),
    ("service-any-account", {"Service": "events.amazonaws.com"}, "open"),
    ("services-list", {"Service": ["events.amazonaws.com", "cloudwatch.amazonaws.com"]}, "open"),
    ("service-star", {"Service": "*"}, "open"),
    ("federated-provider", {"Federated": "accounts.google.com"}, "open"),
    ("lowercase-element", {"aws": "*"}, "open"),
    ("no-principal", None, "closed"),
]


@pytest.mark.parametrize(("principal", "expected"), [pytest.param(p, e, id=i) for i, p, e in PRINCIPALS])
def test_principal_shapes(principal, expected):
    assert verdict({"Statement": [statement(principal)]}) == expected


def test_service_principals_can_be_accepted_without_scope():
    document = {"Statement": [statement({"Service": "events.amazonaws.com"})]}
    assert verdict(document, scope_services=False) == "closed"


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        pytest.param({"Statement": [statement(not_principal={"AWS": OWN})]}, "open", id="not-principal-allow"),
        pytest.param(
            {"Statement": [statement(not_principal={"AWS": OWN}, effect="Deny")]}, "closed", id="not-principal-deny"
        ),
        pytest.param({"Statement": [statement("*", effect="Deny")]}, "closed", id="deny-grants-nothing"),
        pytest.param({"Statement": [statement("*", effect="allow")]}, "open", id="lowercase-effect"),
        pytest.param({"Statement": statement("*")}, "open", id="single-statement-object"),
        pytest.param({"statement": [statement("*")]}, "open", id="lowercase-statement-key"),
        pytest.param({"Statement": []}, "closed", id="no-statements"),
        pytest.param({"Statement": "everything"}, "closed", id="statement-not-a-list"),
        pytest.param(
            {"Statement": [statement({"AWS": OWN}), statement("*", Sid="Later")]}, "open", id="second-statement-opens"
        ),
        pytest.param({"Statement": [statement(UNKNOWN)]}, "undecided", id="unknown-principal"),
        pytest.param({"Statement": [statement({"AWS": [UNKNOWN, "*"]})]}, "open", id="star-next-to-an-unknown"),
        pytest.param({"Statement": [statement({"AWS": [UNKNOWN]})]}, "undecided", id="unknown-account"),
        pytest.param({"Statement": UNKNOWN}, "undecided", id="unknown-statements"),
        pytest.param({"Statement": [UNKNOWN, statement("*")]}, "open", id="open-next-to-an-unknown-statement"),
        pytest.param(
            {"Statement": [statement(UNKNOWN, condition={"StringEquals": {"aws:SourceAccount": OWN}})]},
            "closed",
            id="unknown-principal-pinned-by-condition",
        ),
        pytest.param({"Statement": [statement("*", effect=UNKNOWN)]}, "undecided", id="unknown-effect"),
    ],
)
def test_documents(document, expected):
    assert verdict(document) == expected


def test_a_json_string_and_an_object_are_judged_alike():
    document = {"Statement": [statement("*", Sid="Open")]}
    assert exposure(read_document(json.dumps(document)), scope_services=True) == exposure(
        read_document(document), scope_services=True
    )
    assert exposure(read_document(document), scope_services=True).grants[0].statement == "Open"


@pytest.mark.parametrize(("value", "problem"), [("{oops", "is not valid JSON"), ("[]", "is a JSON list"), (7, "int")])
def test_what_is_not_a_document(value, problem):
    with pytest.raises(DocumentError, match=problem):
        read_document(value)


CONDITIONS = [
    ("source-account", {"StringEquals": {"aws:SourceAccount": OWN}}, "closed"),
    ("key-spelled-lowercase", {"StringEquals": {"aws:sourceaccount": OWN}}, "closed"),
    ("operator-spelled-lowercase", {"stringequals": {"aws:SourceAccount": OWN}}, "closed"),
    ("several-accounts", {"StringEquals": {"aws:SourceAccount": [OWN, OTHER]}}, "closed"),
    ("account-as-a-number", {"StringEquals": {"aws:SourceAccount": 111122223333}}, "closed"),
    ("literal-star-with-equals", {"StringEquals": {"aws:SourceAccount": "*"}}, "closed"),
    ("star-with-like", {"StringLike": {"aws:SourceAccount": "*"}}, "open"),
    ("partial-account-pattern", {"StringLike": {"aws:SourceAccount": "1111*"}}, "open"),
    ("one-open-alternative", {"StringLike": {"aws:SourceAccount": [OWN, "*"]}}, "open"),
    ("if-exists", {"StringEqualsIfExists": {"aws:SourceAccount": OWN}}, "open"),
    ("negated", {"StringNotEquals": {"aws:SourceAccount": OWN}}, "open"),
    ("for-all-values", {"ForAllValues:StringEquals": {"aws:SourceAccount": OWN}}, "open"),
    ("for-any-value", {"ForAnyValue:StringEquals": {"aws:SourceAccount": OWN}}, "closed"),
    ("null-check", {"Null": {"aws:SourceAccount": "false"}}, "open"),
    ("policy-variable", {"StringEquals": {"aws:SourceAccount": "${aws:PrincipalAccount}"}}, "open"),
    ("source-arn-of-own-account", {"ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:*:{OWN}:alarm:*"}}, "closed"),
    ("source-arn-any-account", {"ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:*:*:alarm:*"}}, "open"),
    ("bucket-arn-names-no-account", {"ArnEquals": {"aws:SourceArn": "arn:aws:s3:::victim-bucket"}}, "open"),
    (
        "bucket-arn-with-source-account",
        {
            "ArnEquals": {"aws:SourceArn": "arn:aws:s3:::victim-bucket"},
            "StringEquals": {"aws:SourceAccount": "123456789012"},
        },
        "closed",
    ),
    ("bucket-arn-pattern", {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::victim-*"}}, "open"),
    ("source-arn-star", {"ArnLike": {"aws:SourceArn": "*"}}, "open"),
    ("organization", {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, "closed"),
    ("any-organization", {"StringLike": {"aws:PrincipalOrgID": "o-*"}}, "open"),
    ("organization-path", {"ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/*"}}, "closed"),
    ("vpc-endpoint", {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}, "closed"),
    ("narrow-ip-range", {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, "closed"),
    ("whole-internet", {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, "open"),
    ("one-broad-range-among-narrow", {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "0.0.0.0/1"]}}, "open"),
    ("not-ip", {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}, "open"),
    ("role-sessions-of-one-role", {"StringLike": {"aws:userid": "AROAEXAMPLEID:*"}}, "closed"),
    ("secure-transport-only", {"Bool": {"aws:SecureTransport": "true"}}, "open"),
    ("kms-caller-account", {"StringEquals": {"kms:CallerAccount": OWN}}, "closed"),
    (
        "transport-and-account",
        {"Bool": {"aws:SecureTransport": "true"}, "StringEquals": {"aws:SourceAccount": OWN}},
        "closed",
    ),
    ("unknown-account", {"StringEquals": {"aws:SourceAccount": UNKNOWN}}, "undecided"),
    ("unknown-entries", {"StringEquals": UNKNOWN}, "undecided"),
    ("unknown-next-to-open-value", {"StringLike": {"aws:SourceAccount": [UNKNOWN, "*"]}}, "open"),
    (
        "unknown-next-to-pinning-condition",
        {"StringEquals": {"aws:SourceAccount": OWN, "aws:SourceArn": UNKNOWN}},
        "closed",
    ),
    ("unknown-condition-block", UNKNOWN, "undecided"),
]


@pytest.mark.parametrize(("condition", "expected"), [pytest.param(c, e, id=i) for i, c, e in CONDITIONS])
def test_conditions_that_pin_the_caller(condition, expected):
    assert verdict({"Statement": [statement("*", condition=condition)]}) == expected


def test_a_pinned_service_principal_is_closed():
    condition = {"ArnLike": {"aws:SourceArn": f"arn:aws:events:eu-west-1:{OWN}:rule/*"}}
    assert verdict({"Statement": [statement({"Service": "events.amazonaws.com"}, condition=condition)]}) == "closed"


# --- Random documents against a reference evaluator ---------------------------------------------
#
# The reference does not classify keys or values: it evaluates every statement, with IAM's
# operator semantics, against every request an outsider could send. The outsider may leave any
# context key out (a direct call) or fill it with a value it can produce: its own account, its own
# organization, any ARN in its own account, a global resource name that fits a pattern, an
# address inside a broad range. A document is open when some such request is allowed.

STRANGER = "999988887777"
OPERATORS_BY_KEY = {
    "aws:SourceAccount": (
        "StringEquals",
        "StringLike",
        "StringEqualsIfExists",
        "StringNotEquals",
        "ForAllValues:StringEquals",
        "ForAnyValue:StringLike",
        "Null",
    ),
    "aws:PrincipalOrgID": ("StringEquals", "StringLike", "StringNotLike", "Null"),
    "aws:SourceArn": ("ArnLike", "ArnEquals", "ArnNotLike", "ArnLikeIfExists", "StringLike", "Null"),
    "aws:SecureTransport": ("Bool", "Null"),
    "aws:SourceIp": ("IpAddress", "NotIpAddress", "Null"),
}
VALUES_BY_KEY = {
    "aws:SourceAccount": (OWN, OTHER, "*", "1111*", "${aws:PrincipalAccount}"),
    "aws:PrincipalOrgID": ("o-victim1234", "o-*", "*"),
    "aws:SourceArn": (
        f"arn:aws:events:eu-west-1:{OWN}:rule/nightly",
        f"arn:aws:events:*:{OWN}:rule/*",
        "arn:aws:events:*:*:rule/*",
        "arn:aws:s3:::victim-bucket",
        "arn:aws:s3:::victim-*",
        "*",
    ),
    "aws:SecureTransport": ("true", "false"),
    "aws:SourceIp": ("203.0.113.0/24", "10.0.0.0/8", "0.0.0.0/0", "0.0.0.0/4"),
}
NULL_VALUES = ("true", "false")


def _fill(pattern: str, with_: str) -> str:
    return pattern.replace("*", with_).replace("?", with_[:1])


def outsider_values(key: str, document_values: list[str]) -> list[str | None]:
    """Values of `key` an outsider's request may carry (None: the key is absent)."""
    found: list[str | None] = [None]
    if key == "aws:SourceAccount":
        found += [STRANGER] + [_fill(v, "9") for v in document_values if "*" in v or "?" in v]
    elif key == "aws:PrincipalOrgID":
        found += ["o-stranger99"] + [_fill(v, "x") for v in document_values if "*" in v]
    elif key == "aws:SourceArn":
        found.append(f"arn:aws:events:eu-west-1:{STRANGER}:rule/stranger")
        for pattern in document_values:
            parts = pattern.split(":", 5)
            if len(parts) != 6:
                continue
            account = STRANGER if ("*" in parts[4] or "?" in parts[4]) else parts[4]
            witness = ":".join([_fill(p, "x") for p in parts[:4]] + [account, _fill(parts[5], "x")])
            # An ARN without an account (an S3 bucket's) names a bucket any account may hold.
            if account in (STRANGER, ""):
                found.append(witness)
    elif key == "aws:SecureTransport":
        found += ["true", "false"]
    elif key == "aws:SourceIp":
        found.append("198.51.100.7")
        for cidr in document_values:
            network = ipaddress.ip_network(cidr, strict=False)
            if network.prefixlen < 8:
                found.append(str(network.network_address + 1))
    return found


def _matches(operator: str, value: str, pattern: str, request: dict) -> bool:
    pattern = pattern.replace("${aws:PrincipalAccount}", request.get("aws:PrincipalAccount", STRANGER))
    base = operator.removesuffix("IfExists")
    if base in ("StringEquals", "StringNotEquals", "Bool"):
        return value == pattern
    if base in ("StringLike", "StringNotLike"):
        return fnmatch.fnmatchcase(value, pattern)
    if base in ("ArnLike", "ArnEquals", "ArnNotLike"):
        got, want = value.split(":", 5), pattern.split(":", 5)
        if len(want) != 6:
            return fnmatch.fnmatchcase(value, pattern)
        return len(got) == 6 and all(fnmatch.fnmatchcase(g, w) for g, w in zip(got, want, strict=True))
    if base in ("IpAddress", "NotIpAddress"):
        return ipaddress.ip_address(value) in ipaddress.ip_network(pattern, strict=False)
    raise AssertionError(operator)


def condition_holds(operator: str, key: str, values: list[str], request: dict) -> bool:
    value = request.get(key)
    if operator == "Null":
        return (value is None) == (values[0] == "true")
    qualifier, _, operator = operator.rpartition(":")
    negated = "Not" in operator
    if value is None:
        return negated or operator.endswith("IfExists") or qualifier == "ForAllValues"
    matched = any(_matches(operator, value, v, request) for v in values)
    return not matched if negated else matched


def reference_open(document: dict) -> bool:
    keys: dict[str, list[str]] = {key: [] for key in VALUES_BY_KEY}
    for s in document["Statement"]:
        for op, entries in s.get("Condition", {}).items():
            for key, values in entries.items():
                keys[key] += [] if op == "Null" else values
    choices = {key: outsider_values(key, values) for key, values in keys.items()}
    for combination in itertools.product(*choices.values()):
        request = {k: v for k, v in zip(choices, combination, strict=True) if v is not None}
        for s in document["Statement"]:
            if s["Effect"] != "Allow":
                continue
            if "NotPrincipal" not in s and not _outsider_principal(s["Principal"]):
                continue
            if all(
                condition_holds(op, key, values, request)
                for op, entries in s.get("Condition", {}).items()
                for key, values in entries.items()
            ):
                return True
    return False


def _outsider_principal(principal) -> bool:
    if principal == "*":
        return True
    values = [v for vs in principal.values() for v in (vs if isinstance(vs, list) else [vs])]
    return "*" in values or "Service" in principal


def condition_entries():
    def entry(key):
        return st.sampled_from(OPERATORS_BY_KEY[key]).flatmap(
            lambda op: st.tuples(
                st.just(op),
                st.just(key),
                st.lists(
                    st.sampled_from(NULL_VALUES if op == "Null" else VALUES_BY_KEY[key]),
                    min_size=1,
                    max_size=1 if op == "Null" else 2,
                ),
            )
        )

    return st.lists(st.sampled_from(sorted(VALUES_BY_KEY)).flatmap(entry), max_size=2, unique_by=lambda e: e[1])


principals = st.sampled_from(
    ["*", {"AWS": "*"}, {"AWS": OWN}, {"AWS": [OWN, "*"]}, {"Service": "events.amazonaws.com"}, None]
)


@st.composite
def documents(draw):
    statements = []
    for index in range(draw(st.integers(1, 3))):
        principal = draw(principals)
        entries = draw(condition_entries())
        condition: dict = {}
        for op, key, values in entries:
            condition.setdefault(op, {})[key] = values
        found = {"Sid": f"S{index}", "Effect": draw(st.sampled_from(["Allow", "Deny"])), "Condition": condition}
        if principal is None:
            found["NotPrincipal"] = {"AWS": OWN}
        else:
            found["Principal"] = principal
        statements.append(found)
    return {"Version": "2012-10-17", "Statement": statements}


@settings(max_examples=400, deadline=None)
@given(documents())
def test_analyzer_agrees_with_the_reference_evaluator(document):
    analyzed = exposure(read_document(json.dumps(document)), scope_services=True)
    assert analyzed.undecided == ()
    assert bool(analyzed.grants) == reference_open(document), json.dumps(document)
