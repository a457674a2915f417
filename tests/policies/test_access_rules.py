"""Issue-12 guardrails on who may do what: IAM administrator access and service wildcards, public
resource policies (bucket, queue, key, repository, topic), Lambda permissions, TLS-only buckets."""

from __future__ import annotations

import json

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import UNKNOWN, Res, run_resource, run_stack

OWN = "123456789012"
ADMIN = "aws-iam-policy-disallow-administrator-access"
WILDCARDS = "aws-iam-policy-disallow-service-wildcards"


def document(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


LEAST_PRIVILEGE = document(
    allow(["logs:CreateLogStream", "logs:PutLogEvents"], "arn:aws:logs:eu-west-1:1:log-group:x:*")
)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        pytest.param(allow("*"), "grants every action on every resource", id="star-on-star"),
        pytest.param(allow("*:*"), "grants every action on every resource", id="star-colon-star"),
        pytest.param(allow(["s3:GetObject", "*"]), "every action on every resource", id="star-in-a-list"),
        pytest.param(allow("*", ["arn:aws:s3:::x", "*"]), "every action on every resource", id="star-among-resources"),
        pytest.param(allow("*", "arn:aws:*:*:*:*"), "every action on every resource", id="arn-made-of-wildcards"),
        pytest.param(
            {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
            "every action but its NotAction list on every resource",
            id="not-action",
        ),
        pytest.param(
            {"Effect": "Allow", "Action": "*", "NotResource": "arn:aws:s3:::audit/*"},
            "every action on every resource but its NotResource list",
            id="not-resource",
        ),
        pytest.param(
            allow("*", Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
            "every action on every resource",
            id="conditions-do-not-make-it-smaller",
        ),
        pytest.param(allow("*", "arn:aws:s3:::bucket/*"), None, id="star-on-one-bucket"),
        pytest.param(allow("s3:*"), None, id="service-wildcard-is-the-other-rule"),
        pytest.param({"Effect": "Deny", "Action": "*", "Resource": "*"}, None, id="deny"),
        pytest.param(allow("*", UNKNOWN), "UNDECIDED", id="unknown-resource"),
        pytest.param(allow("kms:Decrypt", UNKNOWN), None, id="unknown-resource-but-named-action"),
    ],
)
def test_administrator_access_in_a_policy_document(statement, expected):
    outcome = run_resource(ADMIN, t.IAM_ROLE_POLICY, {"role": "r", "policy": {"Statement": [statement]}})
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    elif expected == "UNDECIDED":
        assert outcome.violations == [] and "policy statements #0" in outcome.unchecked
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


@pytest.mark.parametrize(
    ("type_", "props"),
    [
        (t.IAM_POLICY, {"policy": document(allow("*"))}),
        (t.IAM_USER_POLICY, {"user": "u", "policy": document(allow("*"))}),
        (t.IAM_GROUP_POLICY, {"group": "g", "policy": document(allow("*"))}),
        (
            t.IAM_ROLE,
            {
                "name": "r",
                "inlinePolicies": [
                    {"name": "ok", "policy": LEAST_PRIVILEGE},
                    {"name": "all", "policy": document(allow("*"))},
                ],
            },
        ),
        (t.IAM_ROLE, {"name": "r", "managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"]}),
        (t.IAM_ROLE_POLICY_ATTACHMENT, {"role": "r", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        (
            t.IAM_USER_POLICY_ATTACHMENT,
            {"user": "u", "policyArn": "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"},
        ),
        (t.IAM_GROUP_POLICY_ATTACHMENT, {"group": "g", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
        (t.IAM_POLICY_ATTACHMENT, {"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_every_way_to_grant_administrator_access(type_, props):
    outcome = run_resource(ADMIN, type_, props)
    assert len(outcome.violations) == 1, outcome.violations


def test_a_role_names_the_inline_policy_at_fault():
    props = {"name": "r", "inlinePolicies": [{"name": "all", "policy": document(allow("*"))}]}
    assert (
        run_resource(ADMIN, t.IAM_ROLE, props).violations[0].startswith("IAM policy (inlinePolicies[0]) statement #0")
    )


def test_an_attachment_of_a_policy_created_in_the_stack_is_judged_by_its_document():
    policy = Res(t.IAM_POLICY, "custom", {"policy": LEAST_PRIVILEGE})
    attachment = Res(
        t.IAM_ROLE_POLICY_ATTACHMENT, "attach", {"role": "r", "policyArn": UNKNOWN}, {"policyArn": ("custom",)}
    )
    outcome = run_stack(ADMIN, [policy, attachment])
    assert outcome.violations == [] and outcome.unchecked is None
    outcome = run_stack(ADMIN, [Res(t.IAM_ROLE_POLICY_ATTACHMENT, "attach", {"role": "r", "policyArn": UNKNOWN})])
    assert "attach: policyArn can't be known during preview" in outcome.unchecked


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("kms:*", "every kms action (kms:*)"),
        (["s3:GetObject", "S3:*"], "every s3 action (s3:*)"),
        ("kms:Decrypt", None),
        ("kms:Get*", None),
        ("*", "every action of every service ('*')"),
    ],
)
def test_service_wildcards(action, expected):
    outcome = run_resource(
        WILDCARDS, t.IAM_POLICY, {"policy": document(allow(action, "arn:aws:kms:eu-west-1:1:key/k"))}
    )
    if expected is None:
        assert outcome.violations == []
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0]


PUBLIC_RULES = [
    ("aws-s3-bucketpolicy-disallow-public-access", t.S3_BUCKET_POLICY, "Bucket policy"),
    ("aws-s3-bucketpolicy-disallow-public-access", t.S3_BUCKET, "Bucket policy"),
    ("aws-sqs-queuepolicy-disallow-public-access", t.SQS_QUEUE_POLICY, "Queue policy"),
    ("aws-sqs-queuepolicy-disallow-public-access", t.SQS_QUEUE, "Queue policy"),
    ("aws-kms-keypolicy-disallow-public-access", t.KMS_KEY, "Key policy"),
    ("aws-kms-keypolicy-disallow-public-access", t.KMS_KEY_POLICY, "Key policy"),
    ("aws-ecr-repositorypolicy-disallow-public-access", t.ECR_REPOSITORY_POLICY, "Repository policy"),
    ("aws-sns-topicpolicy-disallow-public-access", t.SNS_TOPIC_POLICY, "Topic policy"),
    ("aws-secretsmanager-secretpolicy-disallow-public-access", t.SECRET_POLICY, "Secret policy"),
]

SHAPES = [
    ({"Effect": "Allow", "Principal": "*", "Action": "x:Get"}, "lets in any principal ('*')"),
    ({"Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{OWN}:root", "*"]}, "Action": "x:Get"}, "any principal"),
    ({"Effect": "Allow", "NotPrincipal": {"AWS": f"arn:aws:iam::{OWN}:root"}, "Action": "x:Get"}, "everyone except"),
    ({"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "x:Send"}, "any account's events"),
    (
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "x:Get",
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}},
        },
        None,
    ),
    (
        {
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": "x:Send",
            "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:events:*:{OWN}:rule/*"}},
        },
        None,
    ),
    ({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OWN}:root"}, "Action": "x:*"}, None),
]


@pytest.mark.parametrize(
    ("policy", "type_", "what"), [pytest.param(*r, id=f"{r[0]}:{r[1].split(':')[-1]}") for r in PUBLIC_RULES]
)
@pytest.mark.parametrize(
    ("statement", "expected"),
    SHAPES,
    ids=[
        "star",
        "star-among-accounts",
        "not-principal",
        "service-any-account",
        "org-pinned",
        "service-pinned",
        "own-account",
    ],
)
def test_public_resource_policies(policy, type_, what, statement, expected):
    outcome = run_resource(policy, type_, {"policy": document(statement)})
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert len(outcome.violations) == 1, outcome.violations
        assert outcome.violations[0].startswith(f"{what} statement #0 ") and expected in outcome.violations[0]


def test_our_key_policy_statements_pin_their_services():
    """CloudWatch Logs is pinned by the log-group ARN it puts in the encryption context."""
    logs = {
        "Effect": "Allow",
        "Principal": {"Service": "logs.eu-west-1.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*"],
        "Resource": "*",
        "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": f"arn:aws:logs:eu-west-1:{OWN}:log-group:*"}},
    }
    assert (
        run_resource("aws-kms-keypolicy-disallow-public-access", t.KMS_KEY, {"policy": document(logs)}).violations == []
    )
    logs["Condition"] = {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:*:log-group:*"}}
    assert run_resource("aws-kms-keypolicy-disallow-public-access", t.KMS_KEY, {"policy": document(logs)}).violations


def test_an_unknown_source_arn_from_the_stack_pins_the_caller():
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage",
        "Condition": {"ArnEquals": {"aws:SourceArn": UNKNOWN}},
    }
    rule = Res(t.KMS_KEY, "rule-key", {})
    queue_policy = Res(t.SQS_QUEUE_POLICY, "qp", {"policy": {"Statement": [statement]}}, {"policy": ("rule-key",)})
    outcome = run_stack("aws-sqs-queuepolicy-disallow-public-access", [rule, queue_policy])
    assert outcome.violations == [] and outcome.unchecked is None
    alone = Res(t.SQS_QUEUE_POLICY, "qp", {"policy": {"Statement": [statement]}})
    assert run_stack("aws-sqs-queuepolicy-disallow-public-access", [alone]).unchecked


PERMISSION = "aws-lambda-permission-disallow-public-access"


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"principal": "*"}, "lets in any principal ('*')"),
        ({"principal": "*", "principalOrgId": "o-abc123"}, None),
        ({"principal": "*", "sourceAccount": OWN}, None),
        ({"principal": "s3.amazonaws.com"}, "any account's s3.amazonaws.com"),
        ({"principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::uploads", "sourceAccount": OWN}, None),
        (
            {"principal": "apigateway.amazonaws.com", "sourceArn": f"arn:aws:execute-api:eu-west-1:{OWN}:abc123/*/*"},
            None,
        ),
        (
            {"principal": "apigateway.amazonaws.com", "sourceArn": "arn:aws:execute-api:eu-west-1:*:abc123/*/*"},
            "any account's apigateway",
        ),
        ({"principal": OWN}, None),
        ({"principal": f"arn:aws:iam::{OWN}:role/caller"}, None),
    ],
    ids=[
        "star",
        "star-in-organization",
        "star-from-account",
        "service-unscoped",
        "s3-scoped",
        "api-scoped",
        "api-any-account",
        "account",
        "role",
    ],
)
def test_lambda_permissions(props, expected):
    outcome = run_resource(
        PERMISSION, t.LAMBDA_PERMISSION, {"action": "lambda:InvokeFunction", "function": "fn", **props}
    )
    if expected is None:
        assert outcome.violations == []
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


def test_a_permission_source_arn_unknown_until_deploy():
    topic = Res(t.SNS_TOPIC, "topic", {"name": "alerts"})
    permission = Res(
        t.LAMBDA_PERMISSION,
        "invoke",
        {"action": "lambda:InvokeFunction", "function": "fn", "principal": "sns.amazonaws.com", "sourceArn": UNKNOWN},
        {"sourceArn": ("topic",)},
    )
    assert run_stack(PERMISSION, [topic, permission]).violations == []
    assert run_stack(PERMISSION, [topic, permission]).unchecked is None
    orphan = Res(t.LAMBDA_PERMISSION, "invoke", {**permission.props})
    assert "invoke: principal and sourceArn" in run_stack(PERMISSION, [orphan]).unchecked


TLS = "aws-s3-bucket-require-tls-requests"
TLS_DENY = {
    "Sid": "DenyInsecureTransport",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def tls_stack(statement, deps=False):
    bucket = Res(t.S3_BUCKET, "logs", {"bucket": "logs"})
    policy = Res(
        t.S3_BUCKET_POLICY,
        "logs-policy",
        {"bucket": "logs", "policy": {"Statement": [statement]}},
        {"policy": ("logs",)} if deps else {},
    )
    return [bucket, policy]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, None),
        ({"Condition": {"Bool": {"aws:SecureTransport": False}}}, None),
        ({"Resource": "*"}, None),
        ({"Effect": "Allow"}, "does not deny requests made without TLS"),
        ({"Principal": {"AWS": OWN}}, "does not deny"),
        ({"Action": "s3:GetObject"}, "does not deny"),
        ({"Resource": ["arn:aws:s3:::logs"]}, "does not deny"),
        ({"Condition": {"Bool": {"aws:SecureTransport": "true"}}}, "does not deny"),
    ],
    ids=[
        "complete",
        "boolean-false",
        "any-resource",
        "allow",
        "one-principal",
        "one-action",
        "bucket-not-objects",
        "secure-true",
    ],
)
def test_tls_only_bucket_policy(change, expected):
    outcome = run_stack(TLS, tls_stack({**TLS_DENY, **change}))
    if expected is None:
        assert outcome.violations == []
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0]


def test_a_bucket_without_a_policy_fails_tls():
    outcome = run_stack(TLS, [Res(t.S3_BUCKET, "logs", {"bucket": "logs"})])
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::aws:s3/bucket:Bucket::logs"]


def test_tls_resources_unknown_until_deploy():
    unknown = {**TLS_DENY, "Resource": [UNKNOWN, UNKNOWN]}
    assert run_stack(TLS, tls_stack(unknown, deps=True)).violations == []
    assert run_stack(TLS, tls_stack(unknown, deps=True)).unchecked is None
    assert run_stack(TLS, tls_stack(unknown)).unchecked
    inline = Res(t.S3_BUCKET_V2, "logs", {"bucket": "logs", "policy": json.dumps({"Statement": [TLS_DENY]})})
    assert run_stack(TLS, [inline]).violations == []
