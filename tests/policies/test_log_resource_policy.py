"""CloudWatch Logs resource policies: a Route 53 delivery grant pinned to its account as the baseline,
then one changed field per case (principal, condition, effect, document form, parameters)."""

from __future__ import annotations

import json

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import UNKNOWN, run_resource

POLICY = "aws-cloudwatch-logresourcepolicy-disallow-public-access"
OWN = "123456789012"
OTHER = "210987654321"
ROUTE53 = {
    "Sid": "Route53Logs",
    "Effect": "Allow",
    "Principal": {"Service": "route53.amazonaws.com"},
    "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
    "Resource": f"arn:aws:logs:us-east-1:{OWN}:log-group:/aws/route53/*",
    "Condition": {"StringEquals": {"aws:SourceAccount": OWN}},
}


def props(**changes):
    """The baseline policy with the statement's top-level elements changed (None removes one)."""
    statement = {k: v for k, v in {**ROUTE53, **changes}.items() if v is not None}
    return {
        "policyName": "route53-query-logs",
        "policyDocument": json.dumps({"Version": "2012-10-17", "Statement": [statement]}),
    }


CASES = [
    ("baseline", props(), {}, None),
    ("any-principal", props(Principal="*", Condition=None), {}, "Route53Logs lets in any principal ('*')"),
    ("aws-star", props(Principal={"AWS": "*"}, Condition=None), {}, "lets in any principal ('*')"),
    ("service-unpinned", props(Condition=None), {}, "lets in any account's route53.amazonaws.com"),
    ("service-unpinned-allowed", props(Condition=None), {"allowUnscopedServicePrincipals": True}, None),
    (
        "service-source-arn",
        props(Condition={"ArnLike": {"aws:SourceArn": "arn:aws:route53:::hostedzone/*", "aws:SourceAccount": OWN}}),
        {},
        None,
    ),
    (
        "service-pinned-if-exists",
        props(Condition={"StringEqualsIfExists": {"aws:SourceAccount": OWN}}),
        {},
        "any account's route53.amazonaws.com",
    ),
    (
        "other-account-root",
        props(Principal={"AWS": f"arn:aws:iam::{OTHER}:root"}, Condition=None),
        {},
        f"lets in account {OTHER}, which trustedAccounts does not list",
    ),
    ("other-account-id", props(Principal={"AWS": OTHER}, Condition=None), {}, f"lets in account {OTHER}"),
    (
        "other-account-role-org-pinned",
        props(
            Principal={"AWS": f"arn:aws:iam::{OTHER}:role/reader"},
            Condition={"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        ),
        {},
        f"lets in account {OTHER}",
    ),
    (
        "other-account-trusted",
        props(Principal={"AWS": f"arn:aws:iam::{OTHER}:root"}, Condition=None),
        {"trustedAccounts": [OTHER]},
        None,
    ),
    ("deny-everyone", props(Effect="Deny", Principal="*", Condition=None), {}, None),
    (
        "policy-not-json",
        {"policyName": "p", "policyDocument": "{not json"},
        {},
        "Log resource policy is not valid JSON",
    ),
]


@pytest.mark.parametrize(("props_", "config", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_log_resource_policy(props_, config, expected):
    outcome = run_resource(POLICY, t.LOG_RESOURCE_POLICY, props_, config)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


def test_one_message_per_grant_names_statement_and_remedy():
    doc = {
        "Statement": [
            {**ROUTE53, "Condition": None},
            {"Sid": "Reader", "Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "logs:GetLogEvents"},
        ]
    }
    doc["Statement"][0].pop("Condition")
    outcome = run_resource(POLICY, t.LOG_RESOURCE_POLICY, {"policyName": "p", "policyDocument": json.dumps(doc)})
    assert [m.split(";")[0] for m in outcome.violations] == [
        "Log resource policy statement Route53Logs lets in any account's route53.amazonaws.com without a condition that pins the caller",
        f"Log resource policy statement Reader lets in account {OTHER}, which trustedAccounts does not list",
    ]
    assert all(m.endswith("and accounts listed in trustedAccounts.") for m in outcome.violations)


def test_unknown_values_leave_the_verdict_undecided():
    unknown_document = run_resource(POLICY, t.LOG_RESOURCE_POLICY, {"policyName": "p", "policyDocument": UNKNOWN})
    assert unknown_document.violations == [] and unknown_document.unchecked
    statement = {**ROUTE53, "Condition": {"StringEquals": {"aws:SourceAccount": UNKNOWN}}}
    unknown_pin = {"policyName": "p", "policyDocument": {"Statement": [statement]}}
    outcome = run_resource(POLICY, t.LOG_RESOURCE_POLICY, unknown_pin)
    assert outcome.violations == [] and "policyDocument statements Route53Logs" in outcome.unchecked


def test_a_document_given_as_an_object_is_judged_like_its_text():
    document = json.loads(props(Principal="*", Condition=None)["policyDocument"])
    outcome = run_resource(POLICY, t.LOG_RESOURCE_POLICY, {"policyName": "p", "policyDocument": document})
    assert len(outcome.violations) == 1 and "any principal" in outcome.violations[0]
