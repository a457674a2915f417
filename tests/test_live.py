"""Live governance against a moto server on 127.0.0.1: opsctl audit (compliant and non-compliant
resources of each kind, --fix, a second clean audit), verify, drill, and the conformance pack.

Where moto lacks an API or a behaviour, the test says so and uses botocore's Stubber, whose
responses are validated against the botocore service model: composite alarms (not implemented),
X-Ray encryption (not routed), alarm notifications on set_alarm_state (never published)."""

from __future__ import annotations

import io
import json
import os
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from opsctl.cli import main
from opsctl.engine import preflight_stack
from opsctl.live.accounts import Account
from opsctl.live.audit import audit, resolved_policies
from opsctl.live.drill import Drill, choose, drill
from opsctl.live.inventory import Inventory, collect
from opsctl.live.judge import judge
from opsctl.live.readers import cloudwatch as cloudwatch_reader
from opsctl.live.readers import xray as xray_reader
from opsctl.live.verify import verify
from policies.guardrails.catalog import BY_NAME
from settings.compliance import CONFIG_RULE_GUARDRAILS
from tests.conftest import ROOT

REGION = "eu-west-1"
ACCOUNT = "123456789012"
TODAY = datetime.now(UTC).date()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


PUBLIC = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]}
)


def put_alarm(client: Any, name: str, **settings: Any) -> None:
    """A metric alarm on AWS/Lambda Errors > 0 over 300 s, with `settings` on top."""
    client.put_metric_alarm(
        **{
            "AlarmName": name,
            "MetricName": "Errors",
            "Namespace": "AWS/Lambda",
            "Statistic": "Sum",
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": 0,
            "ComparisonOperator": "GreaterThanThreshold",
            **settings,
        }
    )


def seed(aws) -> dict[str, str]:
    """Compliant and non-compliant resources of each kind the audit reads; returns names to ARNs."""
    arns: dict[str, str] = {}
    kms = aws("kms")
    key = kms.create_key(Description="good-key")["KeyMetadata"]
    kms.enable_key_rotation(KeyId=key["KeyId"])
    arns["good-key"] = key["Arn"]
    arns["bad-key"] = kms.create_key(Description="bad-key")["KeyMetadata"]["Arn"]

    logs = aws("logs")
    logs.create_log_group(logGroupName="/good", kmsKeyId=key["Arn"])
    logs.put_retention_policy(logGroupName="/good", retentionInDays=365)
    logs.create_log_group(logGroupName="/no-retention", kmsKeyId=key["Arn"])
    logs.create_log_group(logGroupName="/short", kmsKeyId=key["Arn"])
    logs.put_retention_policy(logGroupName="/short", retentionInDays=7)
    logs.create_log_group(logGroupName="/no-key")
    logs.put_retention_policy(logGroupName="/no-key", retentionInDays=400)

    sns = aws("sns")
    alerts = sns.create_topic(Name="alerts", Attributes={"KmsMasterKeyId": key["Arn"]})["TopicArn"]
    arns["plain"] = sns.create_topic(Name="plain", Attributes={"Policy": PUBLIC})["TopicArn"]

    cloudwatch = aws("cloudwatch")
    put_alarm(
        cloudwatch, "good-errors", AlarmActions=[alerts], Dimensions=[{"Name": "FunctionName", "Value": "good-fn"}]
    )
    put_alarm(cloudwatch, "silent")

    ecr = aws("ecr")
    ecr.create_repository(
        repositoryName="good-repo",
        imageTagMutability="IMMUTABLE",
        imageScanningConfiguration={"scanOnPush": True},
        encryptionConfiguration={"encryptionType": "KMS", "kmsKey": key["Arn"]},
    )
    ecr.create_repository(repositoryName="bad-repo")

    sqs = aws("sqs")
    sqs.create_queue(QueueName="good-queue", Attributes={"KmsMasterKeyId": key["Arn"]})
    sqs.create_queue(QueueName="open-queue", Attributes={"KmsMasterKeyId": key["Arn"], "Policy": PUBLIC})

    secrets = aws("secretsmanager")
    secrets.create_secret(Name="good-secret", KmsKeyId=key["Arn"], SecretString="x")
    secrets.create_secret(Name="bad-secret", SecretString="x")

    s3 = aws("s3")
    location = {"LocationConstraint": REGION}
    s3.create_bucket(Bucket="good-bucket", CreateBucketConfiguration=location)
    s3.put_public_access_block(
        Bucket="good-bucket",
        PublicAccessBlockConfiguration={
            k: True for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
        },
    )
    s3.put_bucket_encryption(
        Bucket="good-bucket",
        ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]}}]
        },
    )
    s3.put_bucket_versioning(Bucket="good-bucket", VersioningConfiguration={"Status": "Enabled"})
    tls_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws:s3:::good-bucket", "arn:aws:s3:::good-bucket/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }
    s3.put_bucket_policy(Bucket="good-bucket", Policy=json.dumps(tls_only))
    s3.create_bucket(Bucket="bad-bucket", CreateBucketConfiguration=location)
    return arns


EXPECTED = {
    ("aws-cloudwatch-loggroup-configure-retention", "/no-retention"),
    ("aws-cloudwatch-loggroup-configure-retention", "/short"),
    ("aws-cloudwatch-loggroup-configure-kms-key", "/no-key"),
    ("aws-cloudwatch-alarm-configure-actions", "silent"),
    ("aws-ecr-repository-enable-image-scanning", "bad-repo"),
    ("aws-ecr-repository-disallow-mutable-tags", "bad-repo"),
    ("aws-ecr-repository-configure-kms-encryption", "bad-repo"),
    ("aws-sns-topic-configure-kms-key", "plain"),
    ("aws-sns-topicpolicy-disallow-public-access", "plain"),
    ("aws-sqs-queuepolicy-disallow-public-access", "open-queue"),
    ("aws-kms-key-enable-key-rotation", "bad-key"),
    ("aws-secretsmanager-secret-configure-customer-managed-key", "bad-secret"),
    ("aws-secretsmanager-secret-enable-rotation", "good-secret"),
    ("aws-secretsmanager-secret-enable-rotation", "bad-secret"),
    ("aws-s3-bucket-enable-public-access-block", "bad-bucket"),
    ("aws-s3-bucket-configure-kms-encryption", "bad-bucket"),
    ("aws-s3-bucket-enable-versioning", "bad-bucket"),
    ("aws-s3-bucket-require-tls-requests", "bad-bucket"),
}
"""What the seeded account gets wrong, guardrail by resource. Account-wide expectations (a trail, a
recorder, the account's S3 Block Public Access) are switched off in AUDIT_CONFIG; they have tests of
their own."""

AUDIT_CONFIG = {
    "all": "mandatory",
    "aws-cloudtrail-trail-configure-cis-metric-alarms": {"requireTrail": False},
    "aws-cfg-recorder-record-all-resources": {"requireRecorder": False},
    "aws-s3-account-enable-public-access-block": "disabled",
    "aws-xray-encryptionconfig-configure-kms-key": "disabled",  # moto has no route for X-Ray encryption
}


def short_name(resource: str, arns: dict[str, str]) -> str:
    """A finding's resource as the seed named it."""
    by_arn = {arn: name for name, arn in arns.items()}
    if resource in by_arn:
        return by_arn[resource]
    for separator in ("log-group:", ":alarm:", "repository/", ":secret:", ":::", "/"):
        if separator in resource:
            tail = resource.rsplit(separator, 1)[-1]
            return tail.rsplit("-", 1)[0] if separator == ":secret:" else tail
    return resource.rsplit(":", 1)[-1]


def audit_json(capsys, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    config = tmp_path / "policy.json"
    config.write_text(json.dumps(AUDIT_CONFIG))
    code, out, err = run(
        capsys, "audit", "--region", REGION, "--policy-config", str(config), "--format", "json", *extra
    )
    assert "Traceback" not in err, err
    return code, json.loads(out)


def test_audit_finds_exactly_the_non_compliant_resources(aws, capsys, tmp_path):
    arns = seed(aws)
    code, report = audit_json(capsys, tmp_path)
    assert code == 1
    violations = {
        (f["policy"], short_name(f["resource"], arns)) for f in report["findings"] if f["kind"] == "violation"
    }
    assert violations == EXPECTED
    assert not [f for f in report["findings"] if f["kind"] == "error"]
    assert {f["account"] for f in report["findings"]} == {ACCOUNT}
    first = next(f for f in report["findings"] if f["policy"] == "aws-kms-key-enable-key-rotation")
    assert set(first) >= {"kind", "policy", "level", "severity", "resource", "account", "region", "message"}
    assert first["region"] == REGION and first["level"] == "mandatory"


def test_fix_repairs_the_safe_ones_and_a_second_audit_is_clean_for_them(aws, capsys, tmp_path):
    arns = seed(aws)
    code, report = audit_json(capsys, tmp_path, "--fix", "--yes")
    assert code == 1  # what no safe fix repairs still violates
    applied = {(f["policy"], short_name(f["resource"], arns)) for f in report["fixes"] if f["status"] == "applied"}
    assert applied == {
        ("aws-cloudwatch-loggroup-configure-retention", "/no-retention"),
        ("aws-cloudwatch-loggroup-configure-retention", "/short"),
        ("aws-ecr-repository-enable-image-scanning", "bad-repo"),
        ("aws-kms-key-enable-key-rotation", "bad-key"),
    }
    # Read back: each change is what the plan said, nothing else moved.
    groups = {g["logGroupName"]: g.get("retentionInDays") for g in aws("logs").describe_log_groups()["logGroups"]}
    assert groups == {"/good": 365, "/no-retention": 365, "/short": 365, "/no-key": 400}
    repository = aws("ecr").describe_repositories(repositoryNames=["bad-repo"])["repositories"][0]
    assert (
        repository["imageScanningConfiguration"]["scanOnPush"] is True and repository["imageTagMutability"] == "MUTABLE"
    )
    assert aws("kms").get_key_rotation_status(KeyId=arns["bad-key"])["KeyRotationEnabled"] is True
    _code, second = audit_json(capsys, tmp_path)
    remaining = {(f["policy"], short_name(f["resource"], arns)) for f in second["findings"] if f["kind"] == "violation"}
    assert remaining == EXPECTED - applied


def test_fix_without_a_terminal_or_yes_changes_nothing(aws, capsys, tmp_path, monkeypatch):
    seed(aws)
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))  # not a terminal: no one to answer
    _code, report = audit_json(capsys, tmp_path, "--fix")
    assert report["fixes"] == []
    assert aws("logs").describe_log_groups(logGroupNamePrefix="/short")["logGroups"][0]["retentionInDays"] == 7


def test_a_failed_fix_is_reported_and_the_others_still_made(aws, capsys, tmp_path, monkeypatch):
    arns = seed(aws)

    def refused(account, resource, config):
        raise boto3.client("kms").exceptions.KMSInvalidStateException(
            {"Error": {"Code": "KMSInvalidStateException"}}, "EnableKeyRotation"
        )

    rotation = BY_NAME["aws-kms-key-enable-key-rotation"]
    broken = replace(rotation.audit, fix=replace(rotation.audit.fix, apply=refused))
    monkeypatch.setitem(BY_NAME, rotation.name, replace(rotation, audit=broken))
    code, report = audit_json(capsys, tmp_path, "--fix", "--yes")
    statuses = {(f["policy"], f["status"]) for f in report["fixes"]}
    assert ("aws-kms-key-enable-key-rotation", "failed") in statuses
    assert ("aws-ecr-repository-enable-image-scanning", "applied") in statuses
    assert code == 1  # the key still violates at the threshold
    assert aws("kms").get_key_rotation_status(KeyId=arns["bad-key"])["KeyRotationEnabled"] is False


def test_exemptions_and_selection_come_from_the_same_policy_config(aws, capsys, tmp_path):
    arns = seed(aws)
    config = tmp_path / "policy.json"
    config.write_text(
        json.dumps(
            {
                **AUDIT_CONFIG,
                "aws-ecr-repository-disallow-mutable-tags": {
                    "exemptions": [{"resource": "bad-*", "reason": "legacy images"}]
                },
                "ops-baseline-selection": {"severities": ["critical", "high"]},
            }
        )
    )
    _code, out, _ = run(capsys, "audit", "--region", REGION, "--policy-config", str(config), "--format", "json")
    report = json.loads(out)
    kinds = {(f["policy"], short_name(f["resource"], arns)): f["kind"] for f in report["findings"]}
    severities = {f["severity"] for f in report["findings"] if f["kind"] == "violation"}
    assert severities <= {"critical", "high"}
    assert ("aws-cloudwatch-loggroup-configure-retention", "/short") not in kinds  # medium: not selected
    assert kinds.get(("aws-ecr-repository-enable-image-scanning", "bad-repo")) == "violation"


def test_every_format_renders_an_audit(aws, capsys, tmp_path):
    seed(aws)
    config = tmp_path / "policy.json"
    config.write_text(json.dumps(AUDIT_CONFIG))
    for fmt, marker in (
        ("text", "[violation · mandatory"),
        ("markdown", "### ❌ Audit"),
        ("junit", "<testsuites"),
        ("sarif", '"version": "2.1.0"'),
    ):
        code, out, _ = run(capsys, "audit", "--region", REGION, "--policy-config", str(config), "--format", fmt)
        assert code == 1 and marker in out, fmt


def test_access_denied_on_one_service_is_a_finding_not_a_crash(aws, capsys, tmp_path, monkeypatch):
    seed(aws)
    from botocore.exceptions import ClientError

    def denied(account, region, inventory):
        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "ListSecrets")

    import opsctl.live.readers as readers

    patched = tuple(
        s if s.service != "secretsmanager" else type(s)(s.service, s.types, denied, s.scope) for s in readers.SOURCES
    )
    monkeypatch.setattr("opsctl.live.audit.SOURCES", patched)
    monkeypatch.setattr("opsctl.live.judge.SOURCES", patched)
    code, report = audit_json(capsys, tmp_path)
    assert code == 2
    [error] = [f for f in report["findings"] if f["kind"] == "error"]
    assert "secretsmanager:ListSecrets access denied (AccessDeniedException)" in error["message"]
    assert "aws-secretsmanager-secret-enable-rotation" in error["message"]
    assert not any(f["policy"].startswith("aws-secretsmanager") for f in report["findings"] if f["kind"] == "violation")
    assert any(f["policy"] == "aws-kms-key-enable-key-rotation" for f in report["findings"])  # the rest was audited


def test_a_stopped_recorder_and_a_trail_that_does_not_log_are_found_and_fixed(aws, capsys, tmp_path):
    aws("s3").create_bucket(Bucket="trail-logs", CreateBucketConfiguration={"LocationConstraint": REGION})
    trail = aws("cloudtrail").create_trail(Name="main", S3BucketName="trail-logs", IsMultiRegionTrail=True)
    config = aws("config")
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": "default",
            "roleARN": f"arn:aws:iam::{ACCOUNT}:role/config",
            "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True},
        }
    )
    config.put_delivery_channel(DeliveryChannel={"name": "default", "s3BucketName": "trail-logs"})
    policy = tmp_path / "policy.json"
    policy.write_text(
        json.dumps(
            {
                "all": "mandatory",
                "aws-cloudtrail-trail-configure-cis-metric-alarms": "disabled",
                "aws-xray-encryptionconfig-configure-kms-key": "disabled",
            }
        )
    )
    _code, out, _ = run(
        capsys, "audit", "--region", REGION, "--policy-config", str(policy), "--format", "json", "--fix", "--yes"
    )
    fixes = {(f["policy"], f["status"]) for f in json.loads(out)["fixes"]}
    assert fixes >= {
        ("aws-cloudtrail-trail-enable-logging", "applied"),
        ("aws-cloudtrail-trail-enable-log-file-validation", "applied"),
        ("aws-cfg-recorder-record-all-resources", "applied"),
    }
    assert aws("cloudtrail").get_trail_status(Name=trail["TrailARN"])["IsLogging"] is True
    assert (
        aws("config").describe_configuration_recorder_status()["ConfigurationRecordersStatus"][0]["recording"] is True
    )


def test_bad_arguments_and_config_are_usage_errors(aws, capsys, tmp_path):
    config = tmp_path / "policy.json"
    config.write_text('{"no-such-guardrail": "mandatory"}')
    code, _, err = run(capsys, "audit", "--region", REGION, "--policy-config", str(config))
    assert code == 2 and "unknown policy 'no-such-guardrail'" in err
    with pytest.raises(SystemExit) as raised:
        main(["audit", "--region", REGION, "--all-regions"])
    assert raised.value.code == 2


# --- where moto is not enough: Stubber, validated against the service model -------------------------


def stubbed_account(service: str, region: str = REGION) -> tuple[Account, Stubber]:
    client = boto3.client(service, region_name=region, aws_access_key_id="x", aws_secret_access_key="x")
    account = Account(ACCOUNT, boto3.Session(region_name=region))
    account._clients[(service, region)] = client
    return account, Stubber(client)


METRIC = {
    "AlarmName": "errors",
    "AlarmArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:errors",
    "ActionsEnabled": True,
    "AlarmActions": [],
    "MetricName": "Errors",
    "Namespace": "AWS/Lambda",
    "StateValue": "OK",
}


def alarm_action_findings(rule: str) -> list[str]:
    """Alarm-actions findings for a silent metric alarm beside a notifying composite with `rule`."""
    account, stub = stubbed_account("cloudwatch")
    composite = {
        "AlarmName": "any",
        "AlarmArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:any",
        "AlarmRule": rule,
        "ActionsEnabled": True,
        "AlarmActions": [f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts"],
        "StateValue": "OK",
    }
    answer = {"MetricAlarms": [METRIC], "CompositeAlarms": [composite]}
    stub.add_response("describe_alarms", answer, {"AlarmTypes": ["MetricAlarm", "CompositeAlarm"]})
    inventory = Inventory(ACCOUNT, REGION)
    with stub:
        collect(cloudwatch_reader.SOURCE, account, REGION, inventory)
    findings, _ = judge(inventory, {}, TODAY)
    return [f.subject for f in findings if f.policy == "aws-cloudwatch-alarm-configure-actions"]


@pytest.mark.parametrize(("rule", "flagged"), [('ALARM("errors")', []), ('NOT ALARM("errors")', [METRIC["AlarmArn"]])])
def test_composite_alarms_are_read_and_judged(fake_aws_credentials, rule, flagged):
    """moto does not implement composite alarms: describe_alarms is stubbed. A silent alarm counts as
    covered only when its ALARM can raise the notifying composite."""
    assert alarm_action_findings(rule) == flagged


@pytest.mark.parametrize(
    ("config", "violates"),
    [
        ({"Type": "KMS", "KeyId": "arn:aws:kms:eu-west-1:123456789012:key/k", "Status": "ACTIVE"}, False),
        ({"Type": "NONE", "Status": "ACTIVE"}, True),
    ],
)
def test_xray_encryption_is_read_and_judged(fake_aws_credentials, config, violates):
    """moto has no route for X-Ray encryption: get_encryption_config is stubbed."""
    account, stub = stubbed_account("xray")
    stub.add_response("get_encryption_config", {"EncryptionConfig": config}, {})
    inventory = Inventory(ACCOUNT, REGION)
    with stub:
        collect(xray_reader.SOURCE, account, REGION, inventory)
    findings, _ = judge(inventory, {}, TODAY)
    assert bool([f for f in findings if f.policy == "aws-xray-encryptionconfig-configure-kms-key"]) is violates


# --- verify ---------------------------------------------------------------------------------------


def test_verify_lists_every_gap_of_an_empty_account_with_how_to_close_it(aws, capsys):
    code, out, err = run(capsys, "verify", "--stack", "dev", "--project-dir", str(ROOT), "--format", "json")
    assert code in (1, 2), err
    gaps = json.loads(out)["gaps"]
    by_what = {g["what"]: g for g in gaps}
    assert by_what["alarm ops-dev-sample-fn-errors-critical (eu-west-1)"]["problem"] == "does not exist"
    assert by_what["trail ops-dev-trail (eu-west-1)"]["fix"] == "run `pulumi up` for the stack"
    assert any(g["what"].startswith("email subscription platform-oncall@example.com") for g in gaps)


def deployed_dev(aws) -> Any:
    """The dev plan's alarms, subscriptions, trail and filters created in moto, as pulumi up would, beside
    the recorder prod owns."""
    plan = preflight_stack(ROOT, "dev", mode="up", account=ACCOUNT)
    for topic in plan.of_type("aws:sns/topic:Topic"):
        aws("sns", topic.inputs.get("region") or REGION).create_topic(Name=topic.inputs["name"])
    for alarm in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm"):
        inputs = alarm.inputs
        put_alarm(
            aws("cloudwatch", inputs.get("region") or REGION),
            inputs["name"],
            AlarmActions=inputs.get("alarmActions", []),
            OKActions=inputs.get("okActions", []),
        )
    for subscription in plan.of_type("aws:sns/topicSubscription:TopicSubscription"):
        topic = subscription.inputs["topic"]
        aws("sns", topic.split(":")[3]).subscribe(
            TopicArn=topic, Protocol=subscription.inputs["protocol"], Endpoint=subscription.inputs["endpoint"]
        )
    logs = aws("logs")
    for group in plan.of_type("aws:cloudwatch/logGroup:LogGroup"):
        logs.create_log_group(logGroupName=group.inputs["name"])
    for metric_filter in plan.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter"):
        transformation = metric_filter.inputs["metricTransformation"]
        logs.put_metric_filter(
            logGroupName=metric_filter.inputs["logGroupName"],
            filterName=metric_filter.inputs["name"],
            filterPattern=metric_filter.inputs["pattern"],
            metricTransformations=[
                {
                    "metricName": transformation["name"],
                    "metricNamespace": transformation["namespace"],
                    "metricValue": transformation["value"],
                }
            ],
        )
    [trail] = plan.of_type("aws:cloudtrail/trail:Trail")
    aws("s3").create_bucket(Bucket="dev-trail", CreateBucketConfiguration={"LocationConstraint": REGION})
    aws("cloudtrail").create_trail(Name=trail.inputs["name"], S3BucketName="dev-trail", IsMultiRegionTrail=True)
    aws("cloudtrail").start_logging(Name=trail.inputs["name"])
    assert plan.of_type("aws:cfg/recorder:Recorder") == []  # dev reuses the recorder prod owns
    put_recorder(aws, "ops-prod-recorder", "ops-prod-delivery")
    return plan


def put_recorder(aws, name: str, channel: str, *, start: bool = True) -> None:
    """The region's one recorder and delivery channel, as their owner creates them."""
    config = aws("config")
    config.put_configuration_recorder(
        ConfigurationRecorder={
            "name": name,
            "roleARN": f"arn:aws:iam::{ACCOUNT}:role/r",
            "recordingGroup": {"allSupported": True},
        }
    )
    aws("s3").create_bucket(Bucket=f"{name}-store", CreateBucketConfiguration={"LocationConstraint": REGION})
    config.put_delivery_channel(DeliveryChannel={"name": channel, "s3BucketName": f"{name}-store"})
    if start:
        config.start_configuration_recorder(ConfigurationRecorderName=name)


def test_verify_after_a_faithful_deploy_leaves_only_what_moto_cannot_show(aws, capsys):
    deployed_dev(aws)
    code, out, _ = run(capsys, "verify", "--stack", "dev", "--project-dir", str(ROOT), "--format", "json")
    gaps = json.loads(out)["gaps"]
    # moto implements neither the delivery channel status nor X-Ray encryption: both are read errors,
    # and everything else is as planned.
    assert [(g["what"], g["error"]) for g in gaps] == [("Config delivery channels", True), ("X-Ray encryption", True)]
    assert code == 2


def test_verify_names_drifted_alarms_and_a_stopped_recorder(aws):
    plan = deployed_dev(aws)
    put_alarm(aws("cloudwatch"), "ops-dev-sample-fn-errors-critical")  # redefined without its actions
    aws("config").stop_configuration_recorder(ConfigurationRecorderName="ops-prod-recorder")
    account = Account(ACCOUNT, boto3.Session())
    gaps = {(g.what, g.problem) for g in verify(plan, account) if not g.error}
    assert (
        "alarm ops-dev-sample-fn-errors-critical",
        f"AlarmActions lack arn:aws:sns:{REGION}:{ACCOUNT}:ops-dev-alerts",
    ) in gaps
    assert (
        "Config recorder ops-prod-recorder",
        "is not recording (this stack reuses it: its Config rules evaluate nothing)",
    ) in gaps


def test_verify_counts_what_waits_in_the_failure_queue(aws):
    plan = preflight_stack(ROOT, "dev", mode="up", account=ACCOUNT)
    name = "ops-dev-slack-notifier-undelivered"
    from opsctl.engine import Registration

    queue = Registration(f"urn:q::{name}", "aws:sqs/queue:Queue", "q", None, True, {"name": name})
    plan.registrations.append(queue)
    url = aws("sqs").create_queue(QueueName=name)["QueueUrl"]
    aws("sqs").send_message(QueueUrl=url, MessageBody="{}")
    gaps = [g for g in verify(plan, Account(ACCOUNT, boto3.Session())) if g.what == f"queue {name}"]
    assert [g.problem for g in gaps] == ["holds 1 notification Slack never received"]


# --- verify: the region's singletons and their owner ------------------------------------------------


@pytest.fixture(scope="module")
def stack_plans() -> dict[str, Any]:
    """The committed stacks in one account and region: prod owns the singletons, dev reuses them."""
    return {stack: preflight_stack(ROOT, stack, mode="up", account=ACCOUNT) for stack in ("dev", "prod")}


def config_gaps(plan: Any) -> dict[str, Any]:
    return {g.what: g for g in verify(plan, Account(ACCOUNT, boto3.Session())) if g.what.startswith("Config")}


@pytest.mark.parametrize(
    ("recorder", "channel", "owner", "fix"),
    [
        (
            "ops-dev-recorder",
            "ops-dev-delivery",
            "stack dev of ops-baseline",
            "let one stack own it: set awsConfig.recorder: reuse here, or in stack dev and run `pulumi up` "
            "there first (that deletes ops-dev-{part})",
        ),
        (
            "aws-controltower-BaselineConfigRecorder",
            "aws-controltower-BaselineConfigDeliveryChannel",
            "AWS Control Tower",
            "set awsConfig.recorder: reuse here; Control Tower keeps managing it",
        ),
        (
            "default",
            "default",
            "an owner outside ops-baseline",
            "set awsConfig.recorder: reuse here to keep it, or delete it (aws configservice delete-{command} default) "
            "and run `pulumi up`",
        ),
    ],
    ids=["another-stack", "control-tower", "console"],
)
def test_verify_names_the_owner_of_the_recorder_and_channel_an_owning_stack_cannot_create(
    aws, stack_plans, recorder, channel, owner, fix
):
    put_recorder(aws, recorder, channel)
    gaps = config_gaps(stack_plans["prod"])
    recorder_gap = gaps.pop(f"Config recorder {recorder} ({REGION})")
    channel_gap = gaps.pop(f"Config delivery channel {channel} ({REGION})")
    assert recorder_gap.problem == (
        f"belongs to {owner}: a region has one, so this stack's ops-prod-recorder cannot be created"
    )
    assert channel_gap.problem == (
        f"belongs to {owner}: a region has one, so this stack's ops-prod-delivery cannot be created"
    )
    assert recorder_gap.fix == fix.format(
        part="recorder", command="configuration-recorder --configuration-recorder-name"
    )
    assert channel_gap.fix == fix.format(part="delivery", command="delivery-channel --delivery-channel-name")
    assert gaps == {}  # not also "ops-prod-recorder does not exist", nor the other owner's recording


def test_verify_finds_nothing_wrong_with_the_recorder_its_stack_owns(aws, stack_plans):
    put_recorder(aws, "ops-prod-recorder", "ops-prod-delivery")
    gaps = config_gaps(stack_plans["prod"])
    assert [(g.what, g.error) for g in gaps.values()] == [("Config delivery channels", True)]  # moto: no status API


def test_verify_reports_a_reused_recorder_that_nobody_provides_or_that_does_not_record(aws, stack_plans):
    dev = stack_plans["dev"]
    gaps = config_gaps(dev)
    assert sorted(gaps) == [f"Config delivery channel ({REGION})", f"Config recorder ({REGION})"]
    assert gaps[f"Config recorder ({REGION})"].problem.startswith(
        "none in the region, though this stack reuses the region's (awsConfig.recorder: reuse)"
    )
    assert gaps[f"Config recorder ({REGION})"].fix.startswith("run `pulumi up` first for the stack that owns")
    put_recorder(
        aws, "aws-controltower-BaselineConfigRecorder", "aws-controltower-BaselineConfigDeliveryChannel", start=False
    )
    [stopped] = [g for g in config_gaps(dev).values() if not g.error]
    assert (stopped.what, stopped.problem) == (
        "Config recorder aws-controltower-BaselineConfigRecorder",
        "is not recording (this stack reuses it: its Config rules evaluate nothing)",
    )
    aws("config").start_configuration_recorder(ConfigurationRecorderName="aws-controltower-BaselineConfigRecorder")
    assert [g.what for g in config_gaps(dev).values()] == ["Config delivery channels"]  # any owner will do


def stack_key(aws, environment: str) -> str:
    """The customer-managed key a stack creates, under its alias `alias/ops-<environment>`."""
    kms = aws("kms")
    arn = kms.create_key(Description=f"ops-{environment}")["KeyMetadata"]["Arn"]
    kms.create_alias(AliasName=f"alias/ops-{environment}", TargetKeyId=arn)
    return arn


def xray_gaps(plan: Any, encryption: dict[str, str]) -> list[tuple[str, str]]:
    """moto has no route for X-Ray encryption: get_encryption_config is stubbed; KMS is moto's."""
    from opsctl.live.verify import xray

    account = Account(ACCOUNT, boto3.Session())
    client = boto3.client("xray", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    account._clients[("xray", REGION)] = client
    stub = Stubber(client)
    stub.add_response("get_encryption_config", {"EncryptionConfig": {"Status": "ACTIVE", **encryption}}, {})
    with stub:
        gaps = [(g.problem, g.fix) for g in xray(plan, account, datetime.now(UTC))]
    stub.assert_no_pending_responses()
    return gaps


def test_verify_tells_whose_key_x_ray_encrypts_with(aws, stack_plans):
    prod, dev = stack_key(aws, "prod"), stack_key(aws, "dev")
    assert xray_gaps(stack_plans["prod"], {"Type": "KMS", "KeyId": prod}) == []
    assert xray_gaps(stack_plans["prod"], {"Type": "KMS", "KeyId": "alias/ops-prod"}) == []  # any form of the key
    assert xray_gaps(stack_plans["prod"], {"Type": "KMS", "KeyId": dev}) == [
        (
            f"uses key {dev} (alias/ops-dev), not this stack's alias/ops-prod: stack dev of ops-baseline sets it",
            "let one stack own it: set xray.encryption: reuse here, or in stack dev and then run "
            "`pulumi up --refresh` here to point X-Ray at alias/ops-prod",
        )
    ]
    foreign = "arn:aws:kms:eu-west-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert xray_gaps(stack_plans["prod"], {"Type": "KMS", "KeyId": foreign}) == [
        (
            f"uses key {foreign}, not this stack's alias/ops-prod: an owner outside ops-baseline sets it",
            "set xray.encryption: reuse here to keep it, or run `pulumi up --refresh` here to point X-Ray at "
            "alias/ops-prod",
        )
    ]
    # dev reuses prod's encryption: any customer key will do, none is a gap.
    assert xray_gaps(stack_plans["dev"], {"Type": "KMS", "KeyId": prod}) == []
    [(problem, fix)] = xray_gaps(stack_plans["dev"], {"Type": "NONE"})
    assert problem == (
        "is NONE, though this stack reuses the region's (xray.encryption: reuse): no stack encrypts the traces "
        "with its key"
    )
    assert fix.startswith("run `pulumi up` for the stack that owns X-Ray encryption (xray.encryption: own)")


def test_verify_says_when_the_owners_key_is_missing(aws, stack_plans):
    assert xray_gaps(stack_plans["prod"], {"Type": "KMS", "KeyId": stack_key(aws, "dev")}) == [
        ("does not exist, so X-Ray cannot encrypt with it", "run `pulumi up` for the stack")
    ]


def test_verify_checks_the_registry_scanning_its_stack_owns(aws, stack_plans):
    from opsctl.live.verify import registry_scanning

    def gaps(plan: Any) -> list[str]:
        return [g.problem for g in registry_scanning(plan, Account(ACCOUNT, boto3.Session()), datetime.now(UTC))]

    assert gaps(stack_plans["prod"]) == [
        "is AWS's default (BASIC, no rules): this stack has not set it, or a stack that owned it was removed"
    ]
    every = [{"filter": "*", "filterType": "WILDCARD"}]
    ecr = aws("ecr")
    ecr.put_registry_scanning_configuration(
        scanType="ENHANCED", rules=[{"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": every}]
    )
    assert gaps(stack_plans["prod"]) == [
        "is ENHANCED, not BASIC on push of every repository: another stack or someone else set the region's one "
        "configuration"
    ]
    assert gaps(stack_plans["dev"]) == []  # registryScanning: off leaves it to its owner
    ecr.put_registry_scanning_configuration(
        scanType="BASIC", rules=[{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": every}]
    )
    assert gaps(stack_plans["prod"]) == []


# --- drill ----------------------------------------------------------------------------------------


class PublishingCloudWatch:
    """moto's CloudWatch, plus what it leaves out: on set_alarm_state it publishes the notification
    CloudWatch sends to the alarm's topics (moto changes the state and publishes nothing)."""

    def __init__(self, client: Any, sns: Any, silent: set[str] = frozenset(), fail_on: str = "") -> None:
        self.client, self.sns, self.silent, self.fail_on = client, sns, silent, fail_on
        self.states: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)

    def set_alarm_state(self, **kwargs: Any) -> Any:
        name, state = kwargs["AlarmName"], kwargs["StateValue"]
        if name == self.fail_on and state == "ALARM":
            from botocore.exceptions import ClientError

            raise ClientError({"Error": {"Code": "Throttling", "Message": "slow down"}}, "SetAlarmState")
        answer = self.client.set_alarm_state(**kwargs)
        self.states.append((name, state))
        alarm = self.client.describe_alarms(AlarmNames=[name])["MetricAlarms"][0]
        if state == "ALARM" and name not in self.silent:
            for topic in alarm["AlarmActions"]:
                self.sns.publish(
                    TopicArn=topic,
                    Message=json.dumps(
                        {"AlarmName": name, "NewStateValue": "ALARM", "OldStateValue": alarm["StateValue"]}
                    ),
                )
        return answer


def drill_account(aws, **behaviour: Any) -> tuple[Account, PublishingCloudWatch]:
    account = Account(ACCOUNT, boto3.Session())
    cloudwatch = PublishingCloudWatch(aws("cloudwatch"), aws("sns"), **behaviour)
    account._clients[("cloudwatch", REGION)] = cloudwatch
    return account, cloudwatch


def drill_world(aws) -> str:
    topic = aws("sns").create_topic(Name="ops-dev-alerts")["TopicArn"]
    for name in ("a-critical", "b-warning"):
        put_alarm(aws("cloudwatch"), name, AlarmActions=[topic], OKActions=[topic])
    return topic


def left_over(aws, topic: str) -> tuple[list[str], list[str]]:
    queues = aws("sqs").list_queues().get("QueueUrls", [])
    subscriptions = [s["Endpoint"] for s in aws("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]]
    return queues, subscriptions


def test_drill_reports_each_delivery_and_leaves_nothing_behind(aws):
    topic = drill_world(aws)
    account, cloudwatch = drill_account(aws)
    results, problems = drill(account, {"a-critical": REGION, "b-warning": REGION}, timeout=10)
    assert [(r.alarm, r.outcome) for r in results] == [("a-critical", "delivered"), ("b-warning", "delivered")]
    assert all(r.seconds is not None and r.seconds < 10 for r in results) and problems == []
    assert cloudwatch.states == [
        ("a-critical", "ALARM"),
        ("a-critical", "OK"),
        ("b-warning", "ALARM"),
        ("b-warning", "OK"),
    ]
    assert left_over(aws, topic) == ([], [])
    states = {a["AlarmName"]: a["StateValue"] for a in aws("cloudwatch").describe_alarms()["MetricAlarms"]}
    assert states == {"a-critical": "OK", "b-warning": "OK"}  # as found (moto starts alarms in OK)


def test_drill_times_out_cleanly_when_no_notification_comes(aws):
    topic = drill_world(aws)
    account, cloudwatch = drill_account(aws, silent={"b-warning"})
    started = time.monotonic()
    results, problems = drill(account, {"b-warning": REGION}, timeout=2)
    assert time.monotonic() - started < 8
    assert [(r.outcome, r.detail.startswith("no notification within 2 s")) for r in results] == [
        ("not delivered", True)
    ]
    assert cloudwatch.states[-1] == ("b-warning", "OK") and left_over(aws, topic) == ([], []) and problems == []


def test_drill_cleans_up_after_an_injected_failure(aws):
    topic = drill_world(aws)
    account, _cloudwatch = drill_account(aws, fail_on="b-warning")
    results, problems = drill(account, {"a-critical": REGION, "b-warning": REGION}, timeout=10)
    assert [(r.alarm, r.outcome) for r in results] == [("a-critical", "delivered"), ("b-warning", "error")]
    assert "Throttling" in results[1].detail
    assert left_over(aws, topic) == ([], []) and problems == []


def test_drill_restores_and_cleans_up_on_ctrl_c(aws, monkeypatch):
    topic = drill_world(aws)
    account, cloudwatch = drill_account(aws)

    def interrupted(self, probes, name, started):
        raise KeyboardInterrupt

    monkeypatch.setattr(Drill, "await_notification", interrupted)
    with pytest.raises(KeyboardInterrupt):
        drill(account, {"a-critical": REGION}, timeout=10)
    assert cloudwatch.states == [("a-critical", "ALARM"), ("a-critical", "OK")]
    assert left_over(aws, topic) == ([], [])


def test_drill_names_alarms_the_stack_does_not_plan():
    plan = preflight_stack(ROOT, "dev", mode="up", account=ACCOUNT)
    with pytest.raises(Exception, match="plans no alarm named nope"):
        choose(plan, ["nope"])
    assert "ops-dev-sample-fn-errors-critical" in choose(plan, None)


# --- conformance pack -------------------------------------------------------------------------------


def test_conformance_pack_template_has_the_stacks_rules_and_parameters(capsys, tmp_path):
    target = tmp_path / "pack.yaml"
    code, _, err = run(
        capsys, "conformance-pack", "--stack", "prod", "--project-dir", str(ROOT), "--output", str(target)
    )
    assert code == 0 and f"{len(CONFIG_RULE_GUARDRAILS)} managed rules" in err  # prod deploys every one
    resources = json.loads(target.read_text())["Resources"]
    assert len(resources) == len(CONFIG_RULE_GUARDRAILS)
    retention = resources["OpsProdAwsCloudwatchLoggroupConfigureRetention"]["Properties"]
    assert retention["Source"] == {"Owner": "AWS", "SourceIdentifier": "CW_LOGGROUP_RETENTION_PERIOD_CHECK"}
    assert retention["InputParameters"] == {"MinRetentionTime": "365"}
    admin_ports = resources["OpsProdAwsEc2SecuritygroupDisallowPublicAdminPorts"]["Properties"]
    assert admin_ports["Source"]["SourceIdentifier"] == "VPC_SG_PORT_RESTRICTION_CHECK"
    assert admin_ports["InputParameters"] == {"restrictPorts": "22,3389"}
    secrets = resources["OpsProdAwsEnvironmentVariablesDisallowPlaintextSecrets"]["Properties"]
    assert secrets["InputParameters"] == {"secretKeys": "AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY,ECS_ENGINE_AUTH_DATA"}
    assert all(r["Type"] == "AWS::Config::ConfigRule" for r in resources.values())


def test_the_component_deploys_the_same_template_as_a_pack(tmp_path):
    import copy

    from opsctl.conformance import pack_template
    from tests.conftest import VALID_CONFIG, run_stack_program

    rules_plan = run_stack_program(copy.deepcopy(VALID_CONFIG))
    config = copy.deepcopy(VALID_CONFIG)
    config["ops-baseline:awsConfig"] = {"conformancePack": True}
    pack_plan = run_stack_program(config)
    [pack] = pack_plan.of_type("aws:cfg/conformancePack:ConformancePack")
    assert pack_plan.of_type("aws:cfg/rule:Rule") == []
    assert pack.inputs["templateBody"] == pack_template(rules_plan)
    config["ops-baseline:awsConfig"]["organization"] = True
    assert run_stack_program(config).of_type("aws:cfg/organizationConformancePack:OrganizationConformancePack")


def test_audit_reads_in_parallel_with_a_bounded_pool(aws, monkeypatch):
    """Several regions: each is read once, in the pool, and judged on its own."""
    seed(aws)
    policies = resolved_policies(AUDIT_CONFIG, "test")
    account = Account(ACCOUNT, boto3.Session())
    findings, _checks, inventories, _ = audit([account], lambda a: [REGION, "us-east-1"], policies, workers=2)
    assert set(inventories) == {(ACCOUNT, REGION), (ACCOUNT, "us-east-1"), (ACCOUNT, "global")}
    assert not [f for f in findings if f.kind == "violation" and f.region == "us-east-1"]
    assert os.environ["AWS_ENDPOINT_URL"].startswith("http://127.0.0.1")


def test_stale_deliveries_are_gaps():
    from opsctl.live.verify import stale

    now = datetime.now(UTC)
    assert stale(now - timedelta(hours=26), now) and stale(None, now) and not stale(now - timedelta(hours=1), now)


def test_org_audits_every_member_account_through_its_role(aws, capsys, tmp_path):
    organizations = aws("organizations")
    organizations.create_organization(FeatureSet="ALL")
    member = organizations.create_account(Email="member@example.com", AccountName="member")["CreateAccountStatus"][
        "AccountId"
    ]
    credentials = aws("sts").assume_role(
        RoleArn=f"arn:aws:iam::{member}:role/OrganizationAccountAccessRole", RoleSessionName="seed"
    )["Credentials"]
    session = boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    session.client("logs", region_name=REGION).create_log_group(logGroupName="/member/forever")
    code, report = audit_json(capsys, tmp_path, "--org", "OrganizationAccountAccessRole")
    assert sorted(report["accounts"]) == sorted([ACCOUNT, member])
    retention = [f for f in report["findings"] if f["policy"] == "aws-cloudwatch-loggroup-configure-retention"]
    assert [(f["account"], f["resource"].rsplit(":", 1)[-1]) for f in retention] == [(member, "/member/forever")]
    assert code == 1
