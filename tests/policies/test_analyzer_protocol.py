"""Stacks sent to the real pack process over the analyzer protocol, as the engine sends them during
a first preview: Analyze per resource (no dependencies), then AnalyzeStack with `dependencies` and
`propertyDependencies`. Properties carry the engine's unknown sentinel where outputs are unknown."""

from __future__ import annotations

import json

import pytest
from google.protobuf import json_format
from pulumi.runtime.rpc import UNKNOWN

from opsctl.engine import StackContext
from opsctl.engine.analyzer import LEVEL_NAMES, PolicyPack, resolve_config
from opsctl.engine.mocks import Registration
from policies.guardrails.pack import PACK_VERSION
from tests.conftest import ROOT

STACK = "urn:pulumi:dev::ops-baseline"
KEY_URN = f"{STACK}::aws:kms/key:Key::key"


def resource(type_, name, props, property_dependencies=None):
    deps = {k: tuple(v) for k, v in (property_dependencies or {}).items()}
    return Registration(
        urn=f"{STACK}::{type_}::{name}",
        type=type_,
        name=name,
        parent=None,
        custom=True,
        inputs=props,
        outputs=props,
        dependencies=tuple(sorted({u for urns in deps.values() for u in urns})),
        property_dependencies=deps,
    )


KEY = resource("aws:kms/key:Key", "key", {"enableKeyRotation": True, "arn": UNKNOWN, "keyId": UNKNOWN})


CONFIG = {
    "all": "mandatory",
    # These small stacks have no trail or recorder of their own.
    "aws-cfg-recorder-record-all-resources": {"requireRecorder": False},
    "aws-cloudtrail-trail-configure-cis-metric-alarms": {"requireTrail": False},
    "aws-s3-account-enable-public-access-block": {"requireAccountBlock": False},
}


@pytest.fixture(scope="module")
def pack():
    with PolicyPack(ROOT / "policies", StackContext("ops-baseline", "dev", dry_run=True)) as running:
        running.configure(resolve_config(running.info(), CONFIG, "test"))
        yield running


def analyze(pack, resources):
    """(policy, level, message, resource name) for every diagnostic; the SDK puts the policy's
    description before a violation's message, on its own line."""
    found = []
    for r in resources:
        for d in pack.analyze(r, r.inputs).diagnostics:
            found.append((d.policyName, LEVEL_NAMES[d.enforcementLevel], d.message.split("\n")[-1], r.name))
    for d in pack.analyze_stack(resources).diagnostics:
        name = d.urn.rsplit("::", 1)[-1] if d.urn else ""
        found.append((d.policyName, LEVEL_NAMES[d.enforcementLevel], d.message.split("\n")[-1], name))
    return found


def test_a_first_preview_resolves_the_stacks_own_key(pack):
    group = resource(
        "aws:cloudwatch/logGroup:LogGroup",
        "group",
        {"name": "/aws/lambda/fn", "retentionInDays": 365, "kmsKeyId": UNKNOWN, "arn": UNKNOWN},
        {"kmsKeyId": [KEY_URN]},
    )
    assert analyze(pack, [KEY, group]) == []


def test_an_unknown_from_nowhere_is_reported_as_undecided_with_its_resource(pack):
    group = resource(
        "aws:cloudwatch/logGroup:LogGroup", "group", {"name": "/x", "retentionInDays": 365, "kmsKeyId": UNKNOWN}
    )
    found = analyze(pack, [group])
    assert found == [
        (
            "aws-cloudwatch-loggroup-configure-kms-key",
            "advisory",
            "can't run policy 'aws-cloudwatch-loggroup-configure-kms-key' from policy pack "
            f"'ops-baseline-guardrails@v{PACK_VERSION}' during preview: group: kmsKeyId can't be known during preview",
            "",
        )
    ]


def test_a_public_topic_policy_is_a_mandatory_violation(pack):
    policy = {
        "Statement": [
            {"Sid": "Anyone", "Effect": "Allow", "Principal": {"AWS": ["123456789012", "*"]}, "Action": "sns:Subscribe"}
        ]
    }
    topic_policy = resource(
        "aws:sns/topicPolicy:TopicPolicy", "topic-policy", {"arn": UNKNOWN, "policy": json.dumps(policy)}
    )
    assert analyze(pack, [topic_policy]) == [
        (
            "aws-sns-topicpolicy-disallow-public-access",
            "mandatory",
            "Topic policy statement Anyone lets in any principal ('*') without a condition that pins the caller; "
            "name the principals, or pin the caller with aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID.",
            "topic-policy",
        )
    ]


def test_an_unknown_bucket_id_points_at_its_own_bucket_only(pack):
    a = resource("aws:s3/bucket:Bucket", "a", {"bucket": "a-1", "arn": UNKNOWN})
    b = resource("aws:s3/bucketV2:BucketV2", "b", {"bucket": "b-1", "arn": UNKNOWN})
    flags = dict.fromkeys(("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"), True)
    block = resource(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "a-block",
        {"bucket": UNKNOWN, **flags},
        {"bucket": [a.urn]},
    )
    found = [f for f in analyze(pack, [a, b, block]) if f[0] == "aws-s3-bucket-declare-public-access-block"]
    assert found == [
        (
            "aws-s3-bucket-declare-public-access-block",
            "mandatory",
            "S3 bucket 'b' has no public access block; add one with all four flags true.",
            "b",
        )
    ]


def test_wire_strings_are_judged_as_the_provider_coerces_them(pack):
    keys = [
        resource("aws:kms/key:Key", "coerced", {"enableKeyRotation": "true"}),
        resource("aws:kms/key:Key", "uncoercible", {"enableKeyRotation": "yes"}),
    ]
    found = [f for f in analyze(pack, keys) if f[0] == "aws-kms-key-enable-key-rotation"]
    assert found == [
        (
            "aws-kms-key-enable-key-rotation",
            "mandatory",
            "KMS key enableKeyRotation is 'yes', which the provider cannot read as a boolean (true or false); set it true.",
            "uncoercible",
        )
    ]


def test_a_child_only_under_not_is_not_covered(pack):
    child = resource(
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "deploying",
        {"name": "deploying", "metricName": "Deploys", "namespace": "App", "alarmActions": [], "okActions": []},
    )
    parent = resource(
        "aws:cloudwatch/compositeAlarm:CompositeAlarm",
        "parent",
        {
            "alarmName": "parent",
            "alarmRule": 'ALARM("cpu") AND NOT ALARM("deploying")',
            "alarmActions": [UNKNOWN],
            "okActions": [UNKNOWN],
        },
    )
    found = [f for f in analyze(pack, [child, parent]) if f[0] == "aws-cloudwatch-alarm-configure-actions"]
    assert [(f[1], f[3]) for f in found] == [("mandatory", "deploying")]
    assert all("composite 'parent' names it, but its rule cannot raise on it" in f[2] for f in found)


def test_remediation_writes_a_retention_that_passes(pack):
    config = resolve_config(pack.info(), {**CONFIG, "aws-cloudwatch-loggroup-configure-retention": "remediate"}, "test")
    pack.configure(config)
    try:
        group = resource("aws:cloudwatch/logGroup:LogGroup", "group", {"name": "/x", "retentionInDays": 7})
        [remediation] = pack.remediate(group, group.inputs).remediations
        fixed = json_format.MessageToDict(remediation.properties)
        assert fixed["retentionInDays"] == 365
        assert [d for d in pack.analyze(group, fixed).diagnostics if "retention" in d.policyName] == []
    finally:
        pack.configure(resolve_config(pack.info(), CONFIG, "test"))


def test_aws_native_resources_reach_the_same_guardrails_over_the_protocol(pack):
    key = resource("aws-native:kms:Key", "native-key", {"enableKeyRotation": True, "arn": UNKNOWN, "keyId": UNKNOWN})
    group = resource(
        "aws-native:logs:LogGroup",
        "native-group",
        {"logGroupName": "/aws/lambda/fn", "retentionInDays": 7, "kmsKeyId": UNKNOWN},
        {"kmsKeyId": [key.urn]},
    )
    bucket = resource(
        "aws-native:s3:Bucket",
        "native-bucket",
        {"bucketName": "b-1", "versioningConfiguration": {"status": "Suspended"}},
    )
    found = {(policy, level, name) for policy, level, _, name in analyze(pack, [key, group, bucket])}
    assert found == {
        ("aws-cloudwatch-loggroup-configure-retention", "mandatory", "native-group"),
        ("aws-s3-bucket-enable-versioning", "mandatory", "native-bucket"),
        ("aws-s3-bucket-configure-kms-encryption", "mandatory", "native-bucket"),
        ("aws-s3-bucket-declare-public-access-block", "mandatory", "native-bucket"),
        ("aws-s3-bucket-require-tls-requests", "mandatory", "native-bucket"),
    }
