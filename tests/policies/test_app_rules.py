"""Issue-21 guardrails on what application stacks expose: broad AWS-managed policies attached to
identities, deprecated and soon-deprecated Lambda runtimes, secrets in plain environment variables.
Each: a compliant baseline, one changed field per failing case, unknown values at preview."""

from __future__ import annotations

import json
from datetime import date

import pytest

from policies.guardrails.rules.environment.plaintext_secrets import SECRET_VERSION
from policies.guardrails.vocabulary import lambda_runtimes
from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import DELETE, UNKNOWN, Res, changed, run_resource, run_stack

BROAD = "aws-iam-policyattachment-disallow-broad-managed-policies"
ADMIN = "aws-iam-policy-disallow-administrator-access"
DEPRECATED = "aws-lambda-function-disallow-deprecated-runtime"
WARNING = "aws-lambda-function-warn-runtime-deprecation"
SECRETS = "aws-environment-variables-disallow-plaintext-secrets"


def managed(name: str, partition: str = "aws") -> str:
    return f"arn:{partition}:iam::aws:policy/{name}"


# --- broad AWS-managed policies --------------------------------------------------------------

CONFIG_ROLE_ATTACHMENT = {"role": "ops-dev-config-role", "policyArn": managed("service-role/AWS_ConfigRole")}
"""What the committed stacks attach: the Config service role's policy, which is not broad."""


@pytest.mark.parametrize(
    ("arn", "flagged"),
    [
        pytest.param(managed("service-role/AWS_ConfigRole"), None, id="config-service-role-passes"),
        pytest.param(managed("ReadOnlyAccess"), None, id="read-only-passes"),
        pytest.param(managed("AmazonS3FullAccess"), "AmazonS3FullAccess", id="s3-full-access"),
        pytest.param(managed("IAMFullAccess"), "IAMFullAccess", id="iam-full-access"),
        pytest.param(managed("AWSLambda_FullAccess"), "AWSLambda_FullAccess", id="lambda-full-access"),
        pytest.param(managed("PowerUserAccess"), "PowerUserAccess", id="power-user"),
        pytest.param(managed("AmazonS3FullAccess", "aws-us-gov"), "AmazonS3FullAccess", id="govcloud-partition"),
        pytest.param(managed("PowerUserAccess", "aws-cn"), "PowerUserAccess", id="china-partition"),
        pytest.param("arn:aws:iam::123456789012:policy/AmazonS3FullAccess", None, id="customer-policy-of-that-name"),
        pytest.param(managed("AdministratorAccess"), None, id="administrator-access-is-the-admin-rule"),
    ],
)
def test_broad_managed_policy_attachments(arn, flagged):
    outcome = run_resource(BROAD, t.IAM_ROLE_POLICY_ATTACHMENT, changed(CONFIG_ROLE_ATTACHMENT, policyArn=arn))
    assert outcome.unchecked is None
    if flagged is None:
        assert outcome.violations == []
    else:
        assert len(outcome.violations) == 1 and f"AWS-managed {flagged} policy" in outcome.violations[0]


@pytest.mark.parametrize(
    ("type_", "props", "path"),
    [
        (t.IAM_USER_POLICY_ATTACHMENT, {"user": "u", "policyArn": managed("IAMFullAccess")}, "policyArn"),
        (t.IAM_GROUP_POLICY_ATTACHMENT, {"group": "g", "policyArn": managed("IAMFullAccess")}, "policyArn"),
        (
            t.IAM_POLICY_ATTACHMENT,
            {"roles": ["a", "b"], "users": ["u"], "groups": [], "policyArn": managed("IAMFullAccess")},
            "policyArn",
        ),
        (
            t.IAM_ROLE,
            {"name": "r", "managedPolicyArns": [managed("ReadOnlyAccess"), managed("IAMFullAccess")]},
            "managedPolicyArns[1]",
        ),
        (
            t.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE,
            {"roleName": "r", "policyArns": [managed("IAMFullAccess")]},
            "policyArns[0]",
        ),
        (
            t.IAM_USER_POLICY_ATTACHMENTS_EXCLUSIVE,
            {"userName": "u", "policyArns": [managed("IAMFullAccess")]},
            "policyArns[0]",
        ),
        (
            t.IAM_GROUP_POLICY_ATTACHMENTS_EXCLUSIVE,
            {"groupName": "g", "policyArns": [managed("IAMFullAccess")]},
            "policyArns[0]",
        ),
    ],
    ids=lambda value: value.split(":")[-1] if isinstance(value, str) and value.startswith("aws:") else None,
)
def test_every_spelling_of_an_attachment(type_, props, path):
    violations = run_resource(BROAD, type_, props).violations
    assert violations == [
        f"{path} attaches the AWS-managed IAMFullAccess policy (broadPolicies: *FullAccess); attach a customer-managed "
        "policy with the actions and resources this identity needs."
    ]


def test_exact_names_and_paths_in_the_list():
    job_function = changed(CONFIG_ROLE_ATTACHMENT, policyArn=managed("job-function/SystemAdministrator"))
    assert run_resource(BROAD, t.IAM_ROLE_POLICY_ATTACHMENT, job_function).violations == []
    outcome = run_resource(BROAD, t.IAM_ROLE_POLICY_ATTACHMENT, job_function, {"broadPolicies": ["job-function/*"]})
    assert outcome.violations[0].startswith(
        "policyArn attaches the AWS-managed job-function/SystemAdministrator policy (broadPolicies: job-function/*);"
    )
    power_user = changed(CONFIG_ROLE_ATTACHMENT, policyArn=managed("PowerUserAccess"))
    assert "policy; attach" in run_resource(BROAD, t.IAM_ROLE_POLICY_ATTACHMENT, power_user).violations[0]
    assert run_resource(BROAD, t.IAM_ROLE_POLICY_ATTACHMENT, power_user, {"broadPolicies": []}).violations == []


def test_administrator_access_through_the_exclusive_sets_is_the_admin_rules():
    props = {"roleName": "r", "policyArns": [managed("AdministratorAccess", "aws-us-gov")]}
    assert run_resource(BROAD, t.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, props).violations == []
    assert run_resource(ADMIN, t.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, props).violations == [
        "policyArns[0] attaches the AWS-managed AdministratorAccess policy; attach a policy that grants only what "
        "this identity needs."
    ]


def test_unknown_policy_arns_at_preview():
    custom = Res(t.IAM_POLICY, "custom", {"policy": json.dumps({"Statement": []})})
    of_the_stack = Res(
        t.IAM_ROLE_POLICY_ATTACHMENT, "attach", {"role": "r", "policyArn": UNKNOWN}, {"policyArn": ("custom",)}
    )
    outcome = run_stack(BROAD, [custom, of_the_stack])
    assert outcome.violations == [] and outcome.unchecked is None

    outcome = run_resource(BROAD, t.IAM_ROLE_POLICY_ATTACHMENT, changed(CONFIG_ROLE_ATTACHMENT, policyArn=UNKNOWN))
    assert outcome.violations == [] and "policyArn can't be known during preview" in outcome.unchecked

    mixed = {"roleName": "r", "policyArns": [UNKNOWN, managed("AmazonS3FullAccess")]}
    outcome = run_resource(BROAD, t.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, mixed)
    assert len(outcome.violations) == 1 and "policyArns[0] can't be known" in outcome.unchecked

    outcome = run_resource(BROAD, t.IAM_ROLE_POLICY_ATTACHMENTS_EXCLUSIVE, {"roleName": "r", "policyArns": UNKNOWN})
    assert outcome.violations == [] and "policyArns can't be known" in outcome.unchecked


# --- Lambda runtimes ---------------------------------------------------------------------------

FUNCTION = {
    "name": "ops-dev-slack-notifier",
    "runtime": "python3.13",
    "packageType": "Zip",
    "handler": "slack_notifier.handler.handler",
    "role": "arn:aws:iam::123456789012:role/notifier",
}


@pytest.fixture
def on(monkeypatch):
    """Judge on a given day."""

    def set_day(day: str) -> None:
        monkeypatch.setattr(lambda_runtimes, "today", lambda: date.fromisoformat(day))

    set_day("2026-12-02")
    return set_day


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        pytest.param({}, None, id="supported-runtime"),
        pytest.param({"runtime": DELETE, "packageType": "Image", "imageUri": "1.dkr.ecr/x:1"}, None, id="image"),
        pytest.param({"runtime": "python3.15"}, None, id="runtime-the-table-lacks"),
        pytest.param(
            {"runtime": "python3.8"},
            "Lambda function runtime python3.8 was deprecated on 2024-10-14 (no security patches; Lambda no longer "
            "accepts updates of functions on it); move to python3.14.",
            id="python3.8",
        ),
        pytest.param(
            {"runtime": "go1.x"},
            "Lambda function runtime go1.x was deprecated on 2024-01-08 (no security patches; Lambda no longer accepts "
            "updates of functions on it); move to provided.al2023.",
            id="go-moves-to-the-os-only-runtime",
        ),
        pytest.param(
            {"runtime": "java17"},
            "Lambda function runtime java17 was deprecated on 2026-06-30 (no security patches; Lambda no longer "
            "accepts updates of functions on it); move to java25.",
            id="amazon-linux-2-runtime",
        ),
        pytest.param(
            {"runtime": "dotnet8"},
            "Lambda function runtime dotnet8 was deprecated on 2026-11-10 (no security patches; Lambda blocks updates "
            "of functions on it from 2027-01-11); move to dotnet10.",
            id="deprecated-last-month-updates-still-allowed",
        ),
        pytest.param({"runtime": UNKNOWN}, "UNDECIDED", id="unknown-runtime"),
    ],
)
def test_deprecated_runtimes(on, changes, expected):
    outcome = run_resource(DEPRECATED, t.LAMBDA_FUNCTION, changed(FUNCTION, **changes))
    if expected == "UNDECIDED":
        assert outcome.violations == [] and "runtime can't be known during preview" in outcome.unchecked
    else:
        assert outcome.violations == ([expected] if expected else []) and outcome.unchecked is None


@pytest.mark.parametrize(
    ("day", "runtime", "config", "expected"),
    [
        pytest.param("2027-03-10", "python3.13", {}, None, id="years-ahead"),
        pytest.param(
            "2027-03-10",
            "nodejs22.x",
            {},
            "Lambda function runtime nodejs22.x is deprecated on 2027-04-30, in 51 days (warningDays 60); move to "
            "nodejs24.x.",
            id="within-60-days",
        ),
        pytest.param("2027-03-10", "nodejs22.x", {"warningDays": 30.0}, None, id="outside-a-shorter-window"),
        pytest.param("2027-04-30", "nodejs22.x", {}, None, id="on-the-day-it-is-the-deprecated-rule"),
    ],
)
def test_runtimes_close_to_deprecation(on, day, runtime, config, expected):
    on(day)
    outcome = run_resource(WARNING, t.LAMBDA_FUNCTION, changed(FUNCTION, runtime=runtime), config)
    assert outcome.violations == ([expected] if expected else [])


def test_on_the_deprecation_day_the_runtime_is_deprecated(on):
    on("2027-04-30")
    assert run_resource(DEPRECATED, t.LAMBDA_FUNCTION, changed(FUNCTION, runtime="nodejs22.x")).violations


def test_the_runtime_table_keeps_its_source_and_order():
    assert lambda_runtimes.SOURCE == "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
    for runtime, life in lambda_runtimes.RUNTIMES.items():
        assert life.update_blocked is None or life.update_blocked >= life.deprecated, runtime


# --- secrets in plain environment variables -----------------------------------------------------

CIPHERTEXT = "AQICAHifCoHWAYb859mOk+pmJ7WgRbhk58UL9mhuMIcVAKJ18gHN1/SRRhwQVoVJvDS6i7MoAAAAaTBnBgkqhkiG9w0BBwagWjBY=="
NOTIFIER_VARIABLES = {
    "SLACK_WEBHOOK_CIPHERTEXT": CIPHERTEXT,
    "SLACK_CHANNEL": "#ops-alerts",
    "SLACK_USERNAME": "ops-baseline",
    "SLACK_ROUTES": json.dumps([{"name": "db", "channel": "#db", "severities": ["critical"], "sources": []}]),
    "SLACK_ROUTE_CIPHERTEXTS": json.dumps({"db": CIPHERTEXT}),
    "SECRET_ARN": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sample-AbCdEf",
    "BUILD_SHA256": "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881",
    "REQUEST_ID": "d7b15f0b-a774-46a5-a3e3-2f3cd7a7d1e0",
}
"""What the committed notifier and sample API set, plus published random-looking values: all pass."""

SECRET_VALUES = {
    "aws-access-key-id": ("AWS_KEY", "AKIAIOSFODNN7EXAMPLE", "an AWS access key id"),
    "aws-secret-access-key": ("AWS_KEY_2", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "an AWS secret access key"),
    "private-key": (
        "TLS_KEY",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----",
        "a private key",
    ),
    "slack-token": ("SLACK_BOT", "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUv", "a Slack token"),
    "slack-webhook": (
        "HOOK",
        "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX",
        "a Slack webhook URL",
    ),
    "github-token": ("GH", "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8", "a GitHub token"),
    "stripe-key": ("PAYMENTS", "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc", "a Stripe secret key"),
    "random-token": ("SIGNING", "Zt3kQ9vX2pLmN8rB5cW1yH7dF4gJ6sA0eU_qTzVo", "a long random string"),
    "password-name": ("DB_PASSWORD", "hunter2", "is named like a secret (*PASSWORD) and holds a literal value"),
    "lower-case-name": ("stripe_api_key", "plain-api-key-42", "is named like a secret (*API_KEY)"),
    "ecs-8-name": ("AWS_SECRET_ACCESS_KEY", "not-a-real-key", "is named like a secret (AWS_SECRET_ACCESS_KEY)"),
}


def with_variable(name, value):
    return {"name": "fn", "environment": {"variables": {**NOTIFIER_VARIABLES, name: value}}}


def test_the_committed_functions_environments_pass():
    outcome = run_resource(SECRETS, t.LAMBDA_FUNCTION, {"name": "fn", "environment": {"variables": NOTIFIER_VARIABLES}})
    assert outcome.violations == [] and outcome.unchecked is None


@pytest.mark.parametrize(("name", "value", "reason"), SECRET_VALUES.values(), ids=SECRET_VALUES.keys())
def test_secrets_in_a_lambda_environment_are_named_never_shown(name, value, reason):
    violations = run_resource(SECRETS, t.LAMBDA_FUNCTION, with_variable(name, value)).violations
    assert len(violations) == 1, violations
    assert violations[0].startswith(f"Lambda function environment variable {name} ") and reason in violations[0]
    assert value not in violations[0] and "the value is not shown" in violations[0]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        pytest.param("DB_PASSWORD", "", id="empty"),
        pytest.param("DB_PASSWORD", "arn:aws:ssm:eu-west-1:123456789012:parameter/db/password", id="ssm-arn"),
        pytest.param("DB_PASSWORD", "arn:aws-us-gov:secretsmanager:us-gov-west-1:1:secret:db-AbCd", id="secret-arn"),
        pytest.param("DB_PASSWORD", "{{resolve:secretsmanager:db:SecretString:password}}", id="dynamic-reference"),
        pytest.param("DB_PASSWORD", CIPHERTEXT, id="kms-ciphertext"),
        pytest.param("DB_PASSWORD_SECRET_ARN", "arn:aws:secretsmanager:eu-west-1:1:secret:db", id="arn-variable"),
        pytest.param("TOKEN_TTL_SECONDS", "3600", id="not-the-suffix"),
        pytest.param("DESCRIPTION", "MyServiceConfigurationVersion2024Build2", id="camel-case-words"),
    ],
)
def test_references_and_plain_settings_pass(name, value):
    assert run_resource(SECRETS, t.LAMBDA_FUNCTION, with_variable(name, value)).violations == []


def test_names_are_a_parameter():
    props = with_variable("DB_PASSWORD", "hunter2")
    assert run_resource(SECRETS, t.LAMBDA_FUNCTION, props, {"secretNames": []}).violations == []
    key = with_variable("DB_PASSWORD", "AKIAIOSFODNN7EXAMPLE")
    assert len(run_resource(SECRETS, t.LAMBDA_FUNCTION, key, {"secretNames": []}).violations) == 1


def test_unknown_values_at_preview():
    alone = run_resource(SECRETS, t.LAMBDA_FUNCTION, with_variable("DB_PASSWORD", UNKNOWN))
    assert alone.violations == [] and "environment.variables.DB_PASSWORD can't be known" in alone.unchecked

    ciphertext = Res("aws:kms/ciphertext:Ciphertext", "webhook", {"plaintext": UNKNOWN})
    function = Res(
        t.LAMBDA_FUNCTION, "fn", with_variable("SLACK_WEBHOOK_CIPHERTEXT", UNKNOWN), {"environment": ("webhook",)}
    )
    outcome = run_stack(SECRETS, [ciphertext, function])
    assert outcome.violations == [] and outcome.unchecked is None

    version = Res(SECRET_VERSION, "db", {"secretString": UNKNOWN})
    function = Res(t.LAMBDA_FUNCTION, "fn", with_variable("DB_PASSWORD", UNKNOWN), {"environment": ("db",)})
    outcome = run_stack(SECRETS, [version, function])
    assert outcome.violations == [] and "fn: environment.variables.DB_PASSWORD can't be known" in outcome.unchecked

    known_wrong = with_variable("DB_PASSWORD", UNKNOWN)
    known_wrong["environment"]["variables"]["API_TOKEN"] = "literal"
    outcome = run_resource(SECRETS, t.LAMBDA_FUNCTION, known_wrong)
    assert len(outcome.violations) == 1 and outcome.unchecked


def containers(*environment, secrets=()):
    return json.dumps(
        [
            {
                "name": "api",
                "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2",
                "essential": True,
                "environment": [{"name": n, "value": v} for n, v in environment],
                "secrets": [{"name": n, "valueFrom": v} for n, v in secrets],
            }
        ]
    )


TASK = {
    "family": "api",
    "containerDefinitions": containers(
        ("STAGE", "prod"),
        secrets=[("DB_PASSWORD", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf")],
    ),
}


@pytest.mark.parametrize(
    ("definitions", "expected"),
    [
        pytest.param(TASK["containerDefinitions"], None, id="secrets-from-arns"),
        pytest.param(
            containers(("DB_PASSWORD", "hunter2")),
            "ECS task definition container 'api' environment variable DB_PASSWORD is named like a secret (*PASSWORD) "
            "and holds a literal value (the value is not shown); move it to the container's secrets, valueFrom a "
            "Secrets Manager secret or SSM parameter ARN.",
            id="password-in-environment",
        ),
        pytest.param(
            containers(("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")),
            "ECS task definition container 'api' environment variable AWS_ACCESS_KEY_ID holds what looks like an AWS "
            "access key id (the value is not shown); move it to the container's secrets, valueFrom a Secrets Manager "
            "secret or SSM parameter ARN.",
            id="access-key",
        ),
        pytest.param(
            "[{", "ECS task definition containerDefinitions is not JSON; the provider rejects it.", id="not-json"
        ),
        pytest.param(
            '{"name": "api"}',
            "ECS task definition containerDefinitions is not a JSON list of container definitions; the provider "
            "rejects it.",
            id="not-a-list",
        ),
        pytest.param(UNKNOWN, "UNDECIDED", id="computed-at-deploy"),
    ],
)
def test_ecs_container_environments(definitions, expected):
    outcome = run_resource(SECRETS, t.ECS_TASK_DEFINITION, changed(TASK, containerDefinitions=definitions))
    if expected == "UNDECIDED":
        assert outcome.violations == [] and "containerDefinitions can't be known" in outcome.unchecked
    else:
        assert outcome.violations == ([expected] if expected else []) and outcome.unchecked is None
        assert "hunter2" not in " ".join(outcome.violations)
