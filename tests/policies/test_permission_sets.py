"""Issue 23: IAM Identity Center permission sets become roles in every account they are assigned to,
so the administrator-access and service-wildcard guardrails judge their inline policies, AWS-managed
and customer-managed attachments and (administrator access only) their boundaries."""

from __future__ import annotations

import json

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import UNKNOWN, Res, run_resource, run_stack

ADMIN = "aws-iam-policy-disallow-administrator-access"
WILDCARDS = "aws-iam-policy-disallow-service-wildcards"
INSTANCE = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
PERMISSION_SET = f"{INSTANCE.replace('instance/', 'permissionSet/')}/ps-0123456789abcdef"
SET = {"instanceArn": INSTANCE, "permissionSetArn": PERMISSION_SET}
READ_REPORTS = {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "arn:aws:s3:::reports/*"}
EVERYTHING = {"Effect": "Allow", "Action": "*", "Resource": "*"}
S3_STAR = {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*"}


def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


@pytest.mark.parametrize(
    ("policy", "statement", "expected"),
    [
        pytest.param(ADMIN, READ_REPORTS, None, id="admin-baseline"),
        pytest.param(ADMIN, EVERYTHING, "IAM policy (inlinePolicy) statement #0 grants every action", id="admin-star"),
        pytest.param(WILDCARDS, READ_REPORTS, None, id="wildcards-baseline"),
        pytest.param(WILDCARDS, S3_STAR, "every s3 action (s3:*)", id="wildcards-s3-star"),
        pytest.param(WILDCARDS, {**READ_REPORTS, "Action": "*"}, "every action of every service", id="wildcards-star"),
    ],
)
def test_a_permission_sets_inline_policy(policy, statement, expected):
    outcome = run_resource(policy, t.SSO_PERMISSION_SET_INLINE_POLICY, {**SET, "inlinePolicy": document(statement)})
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


def test_an_inline_policy_unknown_until_deploy_is_undecided():
    outcome = run_resource(ADMIN, t.SSO_PERMISSION_SET_INLINE_POLICY, {**SET, "inlinePolicy": UNKNOWN})
    assert outcome.violations == [] and "inlinePolicy can't be known during preview" in outcome.unchecked


@pytest.mark.parametrize(
    ("type_", "props", "expected"),
    [
        pytest.param(
            t.SSO_MANAGED_POLICY_ATTACHMENT,
            {"managedPolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
            None,
            id="read-only",
        ),
        pytest.param(
            t.SSO_MANAGED_POLICY_ATTACHMENT,
            {"managedPolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
            "managedPolicyArn attaches the AWS-managed AdministratorAccess",
            id="administrator",
        ),
        pytest.param(
            t.SSO_MANAGED_POLICY_ATTACHMENT,
            {"managedPolicyArn": "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"},
            "AdministratorAccess",
            id="administrator-in-govcloud",
        ),
        pytest.param(
            t.SSO_MANAGED_POLICY_ATTACHMENT,
            {"managedPolicyArn": "arn:aws-cn:iam::aws:policy/AdministratorAccess"},
            "AdministratorAccess",
            id="administrator-in-china",
        ),
        pytest.param(
            t.SSO_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE,
            {
                "managedPolicyArns": [
                    "arn:aws:iam::aws:policy/ReadOnlyAccess",
                    "arn:aws:iam::aws:policy/AdministratorAccess",
                ]
            },
            "managedPolicyArns[1] attaches the AWS-managed AdministratorAccess",
            id="exclusive-list",
        ),
        pytest.param(
            t.SSO_PERMISSIONS_BOUNDARY_ATTACHMENT,
            {"permissionsBoundary": {"managedPolicyArn": "arn:aws:iam::aws:policy/PowerUserAccess"}},
            None,
            id="boundary-power-user",
        ),
        pytest.param(
            t.SSO_PERMISSIONS_BOUNDARY_ATTACHMENT,
            {"permissionsBoundary": {"managedPolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}},
            "permissionsBoundary.managedPolicyArn is the AWS-managed AdministratorAccess policy, a boundary that bounds nothing",
            id="boundary-administrator",
        ),
    ],
)
def test_managed_policies_of_a_permission_set(type_, props, expected):
    outcome = run_resource(ADMIN, type_, {**SET, **props})
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


def test_a_full_access_managed_policy_on_a_permission_set_is_broad():
    props = {**SET, "managedPolicyArn": "arn:aws:iam::aws:policy/AmazonS3FullAccess"}
    outcome = run_resource(
        "aws-iam-policyattachment-disallow-broad-managed-policies", t.SSO_MANAGED_POLICY_ATTACHMENT, props
    )
    assert len(outcome.violations) == 1 and "AmazonS3FullAccess" in outcome.violations[0]


def customer_policy(statement, name="deployers", path=None):
    return Res(
        t.IAM_POLICY,
        "deployers-policy",
        {"name": name, "policy": document(statement), **({"path": path} if path else {})},
    )


def reference(name="deployers", path=None, deps=None, type_=t.SSO_CUSTOMER_MANAGED_POLICY_ATTACHMENT):
    block = {"name": name, **({"path": path} if path else {})}
    if type_ == t.SSO_CUSTOMER_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE:
        props = {**SET, "customerManagedPolicyReferences": [{"name": "elsewhere"}, block]}
        top = "customerManagedPolicyReferences"
    elif type_ == t.SSO_PERMISSIONS_BOUNDARY_ATTACHMENT:
        props = {**SET, "permissionsBoundary": {"customerManagedPolicyReference": block}}
        top = "permissionsBoundary"
    else:
        props = {**SET, "customerManagedPolicyReference": block}
        top = "customerManagedPolicyReference"
    return Res(type_, "attach", props, {top: deps} if deps else {})


CUSTOMER_CASES = [
    # id, policy statement, reference, expected admin message, expected wildcard message
    ("least-privilege", READ_REPORTS, {}, None, None),
    (
        "administrator",
        EVERYTHING,
        {},
        "gives the permission set the stack's IAM policy deployers, whose statement #0 grants every action on every resource",
        "every action of every service",
    ),
    ("service-star", S3_STAR, {}, None, "IAM policy deployers, whose statement #0 grants every s3 action"),
    ("another-name", EVERYTHING, {"name": "auditors"}, None, None),
    ("another-path", EVERYTHING, {"path": "/teams/"}, None, None),
    ("default-path-spelled-out", EVERYTHING, {"path": "/"}, "grants every action on every resource", "every action"),
    (
        "name-unknown-from-the-policy",
        EVERYTHING,
        {"name": UNKNOWN, "deps": ("deployers-policy",)},
        "grants every action on every resource",
        "every action",
    ),
    (
        "exclusive-list",
        EVERYTHING,
        {"type_": t.SSO_CUSTOMER_MANAGED_POLICY_ATTACHMENTS_EXCLUSIVE},
        "customerManagedPolicyReferences[1] gives",
        "every action",
    ),
    (
        "boundary-administrator",
        EVERYTHING,
        {"type_": t.SSO_PERMISSIONS_BOUNDARY_ATTACHMENT},
        "permissionsBoundary.customerManagedPolicyReference gives",
        None,
    ),
    ("boundary-service-star", S3_STAR, {"type_": t.SSO_PERMISSIONS_BOUNDARY_ATTACHMENT}, None, None),
]


@pytest.mark.parametrize("policy", [ADMIN, WILDCARDS], ids=["admin", "wildcards"])
@pytest.mark.parametrize(
    ("statement", "ref", "admin", "wildcards"), [c[1:] for c in CUSTOMER_CASES], ids=[c[0] for c in CUSTOMER_CASES]
)
def test_a_customer_managed_policy_is_judged_by_the_stacks_policy_of_that_name(
    policy, statement, ref, admin, wildcards
):
    expected = admin if policy == ADMIN else wildcards
    outcome = run_stack(policy, [customer_policy(statement), reference(**ref)])
    on_attachment = [
        v for v, urn in zip(outcome.violations, outcome.urns, strict=True) if urn and urn.endswith("::attach")
    ]
    if expected is None:
        assert on_attachment == [] and outcome.unchecked is None, on_attachment
    else:
        assert len(on_attachment) == 1 and expected in on_attachment[0], on_attachment


def test_a_reference_name_unknown_and_not_from_the_stack_is_undecided():
    outcome = run_stack(ADMIN, [customer_policy(READ_REPORTS), reference(name=UNKNOWN)])
    assert (
        outcome.violations == []
        and "customerManagedPolicyReference.name can't be known during preview" in outcome.unchecked
    )


def test_a_policy_outside_the_stack_is_left_to_the_accounts_own_checks():
    outcome = run_stack(ADMIN, [reference()])
    assert outcome.violations == [] and outcome.unchecked is None
