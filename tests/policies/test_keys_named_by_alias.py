"""The program names its new key as `key/*` of its account and region, narrowed by kms:ResourceAliases,
so role policies are known at preview. The IAM guardrails judge actions, not how a key is named: a
condition (the alias one, a negated or IfExists form of it, or none at all) never turns full or
administrator access into less, and `key/*` is judged as the key ARN it stands for. One statement per
shape and action; the verdict must equal that of the same actions on one key ARN, with no condition."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import run_resource

ADMIN = "aws-iam-policy-disallow-administrator-access"
WILDCARDS = "aws-iam-policy-disallow-service-wildcards"
KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
EVERY_KEY = "arn:aws:kms:eu-west-1:123456789012:key/*"
ALIAS = {"kms:ResourceAliases": "alias/ops-dev"}

SHAPES = [
    # id, Resource, Condition
    ("key-star-narrowed-by-alias", EVERY_KEY, {"ForAnyValue:StringEquals": ALIAS}),
    ("key-star-without-condition", EVERY_KEY, None),
    ("key-star-negated-alias", EVERY_KEY, {"ForAnyValue:StringNotEquals": ALIAS}),
    ("key-star-alias-if-exists", EVERY_KEY, {"ForAnyValue:StringEqualsIfExists": ALIAS}),
    ("key-star-keys-without-any-alias", EVERY_KEY, {"ForAllValues:StringNotLike": {"kms:ResourceAliases": "alias/*"}}),
]
ACTIONS = [
    # id, Action, administrator access?, full access to a service?
    ("decrypt", "kms:Decrypt", None, None),
    ("data-keys", ["kms:Decrypt", "kms:GenerateDataKey*"], None, None),
    ("every-kms-action", "kms:*", None, "every kms action (kms:*)"),
    ("every-action", "*", None, "every action of every service ('*')"),
]


def verdict(policy_name, resource, action, condition=None):
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition is not None:
        statement["Condition"] = condition
    outcome = run_resource(policy_name, t.IAM_ROLE_POLICY, {"role": "r", "policy": {"Statement": [statement]}})
    assert outcome.unchecked is None
    return outcome.violations


def expect(violations, expected):
    if expected is None:
        assert violations == []
    else:
        assert len(violations) == 1 and expected in violations[0], violations


CASES = [
    pytest.param(resource, condition, action, admin, full, id=f"{shape}-{action_id}")
    for shape, resource, condition in SHAPES
    for action_id, action, admin, full in ACTIONS
]


@pytest.mark.parametrize(("resource", "condition", "action", "admin", "full"), CASES)
def test_a_key_named_by_alias_is_judged_as_its_arn(resource, condition, action, admin, full):
    for policy_name, expected in ((ADMIN, admin), (WILDCARDS, full)):
        found = verdict(policy_name, resource, action, condition)
        expect(found, expected)
        assert found == verdict(policy_name, KEY_ARN, action), "the shape judged unlike the key ARN it stands for"


@pytest.mark.parametrize("condition", [c for _, _, c in SHAPES], ids=[s for s, _, _ in SHAPES])
def test_no_condition_hides_administrator_access(condition):
    expect(verdict(ADMIN, "*", "*", condition), "every action on every resource")
