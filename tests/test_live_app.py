"""`opsctl audit` on the issue-21 exposures, against a moto server on 127.0.0.1: AWS-managed policies
attached to roles, users and groups (IAM, read once per account), Lambda runtimes and environments,
ECS task definitions' container environments."""

from __future__ import annotations

import io
import json
import urllib.request
import zipfile

import pytest

from tests.test_live import ACCOUNT, REGION, run

EXPOSURES = (
    "aws-iam-policyattachment-disallow-broad-managed-policies",
    "aws-lambda-function-disallow-deprecated-runtime",
    "aws-lambda-function-warn-runtime-deprecation",
    "aws-environment-variables-disallow-plaintext-secrets",
)
CONFIG = {
    "all": "mandatory",
    "aws-cloudtrail-trail-configure-cis-metric-alarms": {"requireTrail": False},
    "aws-cfg-recorder-record-all-resources": {"requireRecorder": False},
    "aws-xray-encryptionconfig-configure-kms-key": "disabled",  # moto has no route for X-Ray encryption
}


@pytest.fixture
def iam_with_managed_policies(moto_endpoint, monkeypatch, aws):
    """moto attaches AWS-managed policies only when it loads them (MOTO_IAM_LOAD_MANAGED_POLICIES);
    the server runs in this process, so the variable and a reset make it load them."""
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    urllib.request.urlopen(urllib.request.Request(f"{moto_endpoint}/moto-api/reset", method="POST")).read()
    return aws


def code() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    return buffer.getvalue()


def managed(name: str) -> str:
    return f"arn:aws:iam::aws:policy/{name}"


def seed(aws) -> None:
    iam = aws("iam")
    trust = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )
    role = iam.create_role(RoleName="app-role", AssumeRolePolicyDocument=trust)["Role"]["Arn"]
    iam.attach_role_policy(RoleName="app-role", PolicyArn=managed("AmazonS3FullAccess"))
    iam.attach_role_policy(RoleName="app-role", PolicyArn=managed("ReadOnlyAccess"))
    iam.attach_role_policy(RoleName="app-role", PolicyArn=managed("IAMFullAccess"))
    iam.create_role(RoleName="config-role", AssumeRolePolicyDocument=trust)
    iam.attach_role_policy(RoleName="config-role", PolicyArn=managed("service-role/AWS_ConfigRole"))
    iam.create_user(UserName="deployer")
    iam.attach_user_policy(UserName="deployer", PolicyArn=managed("PowerUserAccess"))
    iam.create_group(GroupName="operators")
    iam.attach_group_policy(GroupName="operators", PolicyArn=managed("IAMFullAccess"))

    functions = aws("lambda")
    common = {"Role": role, "Handler": "app.handler", "Code": {"ZipFile": code()}}
    functions.create_function(FunctionName="current-fn", Runtime="python3.13", **common)
    functions.create_function(FunctionName="old-fn", Runtime="python3.8", **common)
    functions.create_function(
        FunctionName="leaky-fn",
        Runtime="python3.13",
        Environment={"Variables": {"SLACK_CHANNEL": "#ops", "DB_PASSWORD": "hunter2"}},
        **common,
    )

    ecs = aws("ecs")
    container = {"name": "api", "image": "public.ecr.aws/nginx/nginx:1.27", "memory": 256}
    ecs.register_task_definition(
        family="safe-api",
        containerDefinitions=[
            {
                **container,
                "environment": [{"name": "STAGE", "value": "prod"}],
                "secrets": [
                    {"name": "DB_PASSWORD", "valueFrom": f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:db"}
                ],
            }
        ],
    )
    ecs.register_task_definition(
        family="leaky-api",
        containerDefinitions=[{**container, "environment": [{"name": "AWS_SECRET_ACCESS_KEY", "value": "not-real"}]}],
    )


def test_audit_reads_and_judges_the_exposures(iam_with_managed_policies, capsys, tmp_path):
    seed(iam_with_managed_policies)
    config = tmp_path / "policy.json"
    config.write_text(json.dumps(CONFIG))
    code_, out, err = run(capsys, "audit", "--region", REGION, "--policy-config", str(config), "--format", "json")
    assert "Traceback" not in err, err
    report = json.loads(out)
    assert not [f for f in report["findings"] if f["kind"] == "error"]
    found = sorted(  # the resource by its name: a task definition's ARN ends in its revision
        (f["policy"], f["resource"].removesuffix(":1").rsplit(":", 1)[-1].rsplit("/", 1)[-1], f["message"])
        for f in report["findings"]
        if f["policy"] in EXPOSURES
    )
    assert [(policy, resource) for policy, resource, _ in found] == [
        ("aws-environment-variables-disallow-plaintext-secrets", "leaky-api"),
        ("aws-environment-variables-disallow-plaintext-secrets", "leaky-fn"),
        ("aws-iam-policyattachment-disallow-broad-managed-policies", "app-role"),
        ("aws-iam-policyattachment-disallow-broad-managed-policies", "app-role"),
        ("aws-iam-policyattachment-disallow-broad-managed-policies", "deployer"),
        ("aws-iam-policyattachment-disallow-broad-managed-policies", "operators"),
        ("aws-lambda-function-disallow-deprecated-runtime", "old-fn"),
    ]
    messages = " ".join(message for _, _, message in found)
    assert "hunter2" not in messages and "not-real" not in messages
    assert "AWS-managed IAMFullAccess policy" in messages and "AWS-managed AmazonS3FullAccess policy" in messages
    assert "AWS-managed PowerUserAccess policy" in messages and "runtime python3.8 was deprecated" in messages
    assert code_ == 1
