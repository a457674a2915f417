"""Issue 23: full access and administrator access as AWS Config's IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS
/ ..._ADMIN_ACCESS and Security Hub IAM.21 / IAM.1 judge them, with NotAction and NotResource
read as what they grant. One baseline statement, one changed field per case."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import UNKNOWN, run_resource

ADMIN = "aws-iam-policy-disallow-administrator-access"
WILDCARDS = "aws-iam-policy-disallow-service-wildcards"
BASELINE = {"Effect": "Allow", "Action": ["s3:GetObject", "s3:Put*"], "Resource": "arn:aws:s3:::reports/*"}

CASES = [
    # id, change to the baseline, administrator access?, full access?
    ("baseline", {}, None, None),
    ("action-star-on-one-resource", {"Action": "*"}, None, "every action of every service ('*')"),
    ("star-among-actions-on-one-resource", {"Action": ["s3:GetObject", "*"]}, None, "every action of every service"),
    ("star-colon-star", {"Action": "*:*"}, None, "every action of every service"),
    ("service-star-as-a-string", {"Action": "s3:*"}, None, "every s3 action (s3:*)"),
    ("service-star-upper-case", {"Action": ["S3:*"]}, None, "every s3 action"),
    ("prefixed-wildcard-is-compliant", {"Action": "s3:Get*"}, None, None),
    (
        "star-on-star",
        {"Action": "*", "Resource": "*"},
        "every action on every resource",
        "every action of every service",
    ),
    ("service-star-on-star", {"Action": "kms:*", "Resource": "*"}, None, "every kms action"),
    (
        "not-action-on-one-resource",
        {"Action": None, "NotAction": "iam:*"},
        None,
        "every action of every service but its NotAction list",
    ),
    (
        "not-action-on-star",
        {"Action": None, "NotAction": ["iam:*"], "Resource": "*"},
        "every action but its NotAction list on every resource",
        "but its NotAction list",
    ),
    ("not-action-star-grants-nothing", {"Action": None, "NotAction": "*", "Resource": "*"}, None, None),
    (
        "not-resource-with-star",
        {"Action": "*", "Resource": None, "NotResource": "arn:aws:s3:::audit/*"},
        "every action on every resource but its NotResource list",
        "every action of every service",
    ),
    (
        "not-resource-star-covers-nothing",
        {"Action": "*", "Resource": None, "NotResource": "*"},
        None,
        "every action of every service",
    ),
    (
        "lower-case-element-names",
        {"Action": None, "action": "*", "Resource": None, "resource": "*"},
        "every action on every resource",
        "every action",
    ),
    ("deny", {"Effect": "Deny", "Action": "*", "Resource": "*"}, None, None),
    ("unknown-not-action", {"Action": None, "NotAction": UNKNOWN}, None, "UNDECIDED"),
    ("unknown-action-element", {"Action": ["s3:GetObject", UNKNOWN]}, None, "UNDECIDED"),
]


def statement(change):
    merged = {**BASELINE, **change}
    return {k: v for k, v in merged.items() if v is not None}


def assert_verdict(outcome, expected):
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None, (outcome.violations, outcome.unchecked)
    elif expected == "UNDECIDED":
        assert outcome.violations == [] and "policy statements #0" in outcome.unchecked
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


@pytest.mark.parametrize(("change", "admin", "full"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_administrator_access(change, admin, full):
    assert_verdict(run_resource(ADMIN, t.IAM_POLICY, {"policy": {"Statement": [statement(change)]}}), admin)


@pytest.mark.parametrize(("change", "admin", "full"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_full_access_to_a_service(change, admin, full):
    assert_verdict(run_resource(WILDCARDS, t.IAM_POLICY, {"policy": {"Statement": [statement(change)]}}), full)
