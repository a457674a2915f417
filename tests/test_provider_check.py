"""The offline engine hands the pack each resource's inputs as the provider's Check returns them:
autonamed, coerced to the schema's types, with the bridge's defaults, the provider's region and
`tagsAll`. The committed stacks and an adversarial one are judged both ways (Check and the plain
mocks) to show where a verdict depends on it."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from opsctl.engine import preflight_stack, run_program
from opsctl.engine.policy_run import check_run
from opsctl.engine.provider_check import ProviderCheckError, ProviderSettings, check
from tests.conftest import ROOT

EU = ProviderSettings("eu-west-1")


def digest7(urn: str) -> str:
    import hashlib

    return hashlib.sha256(urn.encode()).hexdigest()[:7]


@pytest.mark.parametrize(
    ("type_", "name", "inputs", "prop", "expected"),
    [
        ("aws:cloudwatch/logGroup:LogGroup", "app", {}, "name", "app-{r}"),
        ("aws:s3/bucket:Bucket", "AuditStore", {}, "bucket", "auditstore-{r}"),
        ("aws:sqs/queue:Queue", "jobs", {"fifoQueue": True}, "name", "jobs-{r}.fifo"),
        ("aws:sqs/queue:Queue", "jobs", {"fifoQueue": "true"}, "name", "jobs-{r}"),
        ("aws:kms/alias:Alias", "ops", {}, "name", "alias/ops-{r}"),
        ("aws:cloudwatch/logGroup:LogGroup", "app", {"namePrefix": "/app/"}, "name", None),
        ("aws:cloudwatch/logGroup:LogGroup", "app", {"name": "/app/given"}, "name", "/app/given"),
        ("aws:cloudwatch/compositeAlarm:CompositeAlarm", "top", {}, "alarmName", None),
    ],
    ids=[
        "name",
        "bucket-lower-cased",
        "fifo-suffix",
        "fifo-only-for-true",
        "alias-prefix",
        "name-prefix",
        "given",
        "required-not-autonamed",
    ],
)
def test_absent_names_are_autonamed_as_the_provider_does(type_, name, inputs, prop, expected):
    urn = f"urn:pulumi:dev::p::{type_}::{name}"
    checked = check(type_, name, urn, inputs, EU)
    assert checked.get(prop) == (expected.format(r=digest7(urn)) if expected else None)


def test_an_autoname_longer_than_the_provider_allows_fails_the_run_as_a_preview_does():
    with pytest.raises(pulumi.RunError, match="longer than the 64 name allows"):
        run_program(lambda: aws.iam.Role("r" * 60, assume_role_policy="{}"), mode="preview")


@pytest.mark.parametrize(
    ("type_", "inputs", "expected"),
    [
        ("aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": "365"}, {"retentionInDays": 365.0}),
        ("aws:kms/key:Key", {"enableKeyRotation": "true"}, {"enableKeyRotation": True}),
        (
            "aws:cloudwatch/metricAlarm:MetricAlarm",
            {"metricQueries": [{"id": "m", "metric": {"period": "60", "dimensions": {"FunctionName": "60"}}}]},
            {"metricQueries": [{"id": "m", "metric": {"period": 60.0, "dimensions": {"FunctionName": "60"}}}]},
        ),
    ],
    ids=["number", "boolean", "nested-number-but-not-a-map-value"],
)
def test_strings_become_the_schema_types(type_, inputs, expected):
    checked = check(type_, "x", f"urn:pulumi:dev::p::{type_}::x", inputs, EU)
    assert {k: checked[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("prop", "text", "expected"),
    [
        ("enableKeyRotation", "True", True),
        ("enableKeyRotation", "1", True),
        ("enableKeyRotation", "F", False),
        ("deletionWindowInDays", "0x1e", 30.0),
        ("deletionWindowInDays", "1_0", 10.0),
        ("deletionWindowInDays", "030", 24.0),
    ],
    ids=["Go-True", "Go-1", "Go-F", "hex", "underscore", "leading-zero-is-octal"],
)
def test_strings_are_read_as_go_reads_them(prop, text, expected):
    """The bridge parses with Go's strconv.ParseBool and ParseInt(s, 0, 0)."""
    assert check("aws:kms/key:Key", "k", "urn:k", {prop: text}, EU)[prop] == expected


@pytest.mark.parametrize(
    ("type_", "prop", "text", "expected"),
    [
        ("aws:cloudwatch/logGroup:LogGroup", "retentionInDays", "a year", "is not a whole number"),
        ("aws:cloudwatch/logGroup:LogGroup", "retentionInDays", "365.0", "is not a whole number"),
        ("aws:cloudwatch/logGroup:LogGroup", "retentionInDays", " 365", "is not a whole number"),
        ("aws:kms/key:Key", "enableKeyRotation", "yes", "is not a boolean"),
        ("aws:cloudwatch/metricAlarm:MetricAlarm", "threshold", "1_0", "is not a number"),
    ],
    ids=["words", "fraction-for-an-int", "space", "yes", "underscore-in-a-float"],
)
def test_a_string_the_provider_cannot_read_as_its_type_fails_check(type_, prop, text, expected):
    with pytest.raises(ProviderCheckError, match=f"{prop}: '{text}' {expected}"):
        check(type_, "x", "urn:x", {prop: text}, EU)


def test_defaults_are_filled_but_never_falsy_ones_and_only_inside_blocks_the_program_sets():
    trail = "aws:cloudtrail/trail:Trail"
    bare = check(trail, "t", "urn:t", {"s3BucketName": "b"}, EU)
    assert bare["enableLogging"] is True and bare["includeGlobalServiceEvents"] is True
    assert "isMultiRegionTrail" not in bare and "enableLogFileValidation" not in bare
    assert "eventSelectors" not in bare
    selected = check(trail, "t", "urn:t", {"s3BucketName": "b", "eventSelectors": [{}]}, EU)
    assert selected["eventSelectors"] == [{"includeManagementEvents": True, "readWriteType": "All"}]
    group = check("aws:cloudwatch/logGroup:LogGroup", "g", "urn:g", {}, EU)
    assert "retentionInDays" not in group, "0 (never expire) is falsy: the bridge leaves it absent"


def test_region_and_tags_all_come_from_the_resource_provider():
    def program():
        aws.sns.Topic("default-provider", tags={"owner": "me"})
        tagged = aws.Provider("us", region="us-east-1", default_tags={"tags": {"team": "platform", "owner": "x"}})
        aws.sns.Topic("own-provider", tags={"owner": "me"}, opts=pulumi.ResourceOptions(provider=tagged))

    config = {"aws:region": "eu-west-1", "aws:defaultTags": json.dumps({"tags": {"cost-center": "ops"}})}
    plan = run_program(program, mode="preview", config=config)
    topics = {r.name: r.inputs for r in plan.of_type("aws:sns/topic:Topic")}
    assert topics["default-provider"]["region"] == "eu-west-1"
    assert topics["default-provider"]["tagsAll"] == {"cost-center": "ops", "owner": "me"}
    assert topics["own-provider"]["region"] == "us-east-1"
    assert topics["own-provider"]["tagsAll"] == {"team": "platform", "owner": "me"}


# --- where a verdict depends on Check -------------------------------------------------------


def adversarial() -> None:
    """Resources whose raw inputs and checked inputs differ in every way Check changes them."""
    aws.cloudwatch.LogGroup("retention-as-text", retention_in_days="365")
    aws.cloudwatch.LogGroup("no-retention")
    bucket = aws.s3.Bucket("unnamed")
    aws.s3.BucketPublicAccessBlock(
        "unnamed-pab",
        bucket=bucket.id,
        block_public_acls="true",
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    aws.kms.Key("rotation-as-text", enable_key_rotation="true")
    aws.kms.Key("no-rotation")
    aws.ecr.Repository("default-mutability")
    aws.cloudtrail.Trail("defaults-trail", s3_bucket_name=bucket.id, is_multi_region_trail="true")
    topic = aws.sns.Topic("fifo", fifo_topic=True)
    aws.cloudwatch.MetricAlarm(
        "numbers-as-text",
        comparison_operator="GreaterThanThreshold",
        evaluation_periods="1",
        threshold="5",
        metric_name="Errors",
        namespace="AWS/Lambda",
        period="300",
        statistic="Sum",
        alarm_actions=[topic.arn],
    )
    aws.sqs.Queue("fifo-queue", fifo_queue=True)
    tagged = aws.Provider("tagged", region="eu-west-1", default_tags={"tags": {"team": "platform"}})
    aws.sns.Topic("provider-tagged", opts=pulumi.ResourceOptions(provider=tagged))


STRICT = {
    "all": "mandatory",
    "aws-tagging-resource-require-tags": {"requiredTags": {"team": []}},
    "aws-cfg-recorder-record-all-resources": {"requireRecorder": False},
    "aws-cloudtrail-trail-configure-cis-metric-alarms": {"requireTrail": False},
}


def judged(plan, config: Path) -> dict[tuple[str, str, str, str], str]:
    """(policy, resource, kind, level) → message, with the order of the resources a preview
    advisory lists ignored (the SDK registers on several threads)."""
    found = {}
    for f in check_run(plan, ROOT / "policies", config).findings:
        head, during, reasons = f.message.split("\n")[-1].partition(" during preview: ")
        found[(f.policy, f.subject.rsplit("::", 1)[-1], f.kind, f.level)] = (
            head + during + "; ".join(sorted(reasons.split("; ")))
        )
    return found


def both_ways(make_plan, config: Path) -> tuple[dict, dict]:
    return judged(make_plan(True), config), judged(make_plan(False), config)


@pytest.mark.parametrize("mode", ["preview", "up"])
@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_committed_stacks_get_the_same_verdicts_with_and_without_check(stack, mode):
    config = ROOT / "policies" / "config" / f"{stack}.json"
    checked, plain = both_ways(lambda c: preflight_stack(ROOT, stack, mode=mode, provider_check=c), config)
    assert checked == plain


@pytest.mark.parametrize("mode", ["preview", "up"])
def test_adversarial_inputs_get_the_same_verdicts_and_only_the_defaults_change_a_message(tmp_path, mode):
    config = tmp_path / "strict.json"
    config.write_text(json.dumps(STRICT))
    checked, plain = both_ways(
        lambda c: run_program(
            adversarial, stack="adv", mode=mode, config={"aws:region": "eu-west-1"}, provider_check=c
        ),
        config,
    )
    assert checked.keys() == plain.keys()
    differing = {key: (plain[key], checked[key]) for key in checked if checked[key] != plain[key]}
    ecr = ("aws-ecr-repository-disallow-mutable-tags", "default-mutability", "violation", "mandatory")
    assert differing == {
        ecr: (
            "ECR repository imageTagMutability is MUTABLE (the default); set it to IMMUTABLE.",
            "ECR repository imageTagMutability is 'MUTABLE'; set it to IMMUTABLE.",
        )
    }, "a real preview sends the provider's default, so the pack cannot tell it was left out"
    assert ("aws-tagging-resource-require-tags", "provider-tagged", "violation", "mandatory") not in checked
    text = ("aws-cloudwatch-loggroup-configure-retention", "retention-as-text", "violation", "mandatory")
    assert text not in checked and text not in plain, "365 given as text is 365 days either way"


def test_provider_default_tags_that_are_not_json_fail_the_run_once():
    def program():
        aws.sns.Topic("a")
        aws.sns.Topic("b")

    with pytest.raises(pulumi.RunError) as raised:
        run_program(program, mode="preview", config={"aws:region": "eu-west-1", "aws:defaultTags": "{tags: owner}"})
    assert str(raised.value).count("provider aws (default): the provider's defaultTags is not JSON") == 1


@pytest.mark.parametrize(
    ("declare", "prefix"),
    [
        (lambda: aws.s3.Bucket("store", bucket_prefix="team-store-"), "team-store-"),
        (lambda: aws.iam.Role("runner", name_prefix="runner-", assume_role_policy="{}"), "runner-"),
    ],
    ids=["bucket-prefix", "name-prefix"],
)
def test_a_name_from_a_prefix_is_unknown_in_a_preview_and_generated_at_create(declare, prefix):
    """The provider appends the suffix when it creates the resource: a preview, like `terraform
    plan`, shows the name as unknown, so documents built from it are unknown too."""

    def program():
        resource = declare()
        pulumi.export("name", resource.bucket if isinstance(resource, aws.s3.Bucket) else resource.name)

    assert run_program(program, mode="preview").outputs["name"].known is False
    created = run_program(program, mode="up").outputs["name"]
    assert created.known and created.value.startswith(prefix) and len(created.value) > len(prefix)
