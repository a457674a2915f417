"""The pack's servicer answers exactly as the SDK's own servicer would, only faster.

Both servicers get the same Configure, ConfigureStack, Analyze and AnalyzeStack requests, built the
way the offline engine builds them, for whole committed stacks (preview and up) and for hostile
resources (wrong types on the wire, unknowns, public principals, types no guardrail looks at), under
several policy configs (levels, exemptions active and expired, remediate, a selection). Every
response must be the same bytes.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from pulumi.runtime.proto import analyzer_pb2
from pulumi.runtime.rpc import UNKNOWN
from pulumi_policy import EnforcementLevel

from opsctl.engine import preflight_stack
from opsctl.engine.analyzer import analyze_request, configure_request, resolve_config, stack_resource
from opsctl.engine.mocks import Registration
from policies.guardrails.pack import PACK_DESCRIPTION, PACK_NAME, PACK_VERSION, build_policies
from policies.guardrails.sdk_private import PolicyAnalyzerServicer
from policies.guardrails.serve import analyzer_info, servicer
from tests.conftest import ROOT

STACK = "urn:pulumi:dev::ops-baseline"
SECRET = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": "s3cret"}
PUBLIC_STATEMENT = {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::123456789012:root", "*"]}, "Action": "*"}


def hostile(type_: str, name: str, props: dict) -> Registration:
    return Registration(f"{STACK}::{type_}::{name}", type_, name, None, True, props, props)


HOSTILE = [
    hostile("aws:cloudwatch/logGroup:LogGroup", "retention-text", {"name": "/x", "retentionInDays": "abc"}),
    hostile("aws:cloudwatch/logGroup:LogGroup", "retention-zero", {"name": "/y", "retentionInDays": 0.0}),
    hostile("aws:cloudwatch/logGroup:LogGroup", "retention-unknown", {"retentionInDays": UNKNOWN, "kmsKeyId": UNKNOWN}),
    hostile("aws:cloudwatch/metricAlarm:MetricAlarm", "silent", {"actionsEnabled": "false", "alarmActions": []}),
    hostile(
        "aws:sns/topicPolicy:TopicPolicy",
        "public-topic",
        {"arn": "arn:aws:sns:eu-west-1:123456789012:t", "policy": json.dumps({"Statement": [PUBLIC_STATEMENT]})},
    ),
    hostile("aws:s3/bucketPolicy:BucketPolicy", "policy-unknown", {"bucket": UNKNOWN, "policy": UNKNOWN}),
    hostile("aws:ecr/repository:Repository", "unscanned", {"imageScanningConfiguration": {"scanOnPush": "False"}}),
    hostile(
        "aws:iam/policy:Policy",
        "admin",
        {"policy": json.dumps({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})},
    ),
    hostile("aws:secretsmanager/secret:Secret", "secret-value", {"name": SECRET, "kmsKeyId": SECRET}),
    hostile("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "no-guardrail", {"role": "r", "policyArn": UNKNOWN}),
    hostile("random:index/randomId:RandomId", "not-aws", {"byteLength": 8.0}),
]

RETENTION = "aws-cloudwatch-loggroup-configure-retention"
EXPIRED = {"resource": "retention-text", "reason": "expired", "expires": (date.today() - timedelta(days=1)).isoformat()}
"""opsctl refuses an expired exemption; the Pulumi CLI sends it, and the pack reports the violation."""
CONFIGS = {
    "defaults": {},
    "all-mandatory-with-exemptions": {
        "all": "mandatory",
        RETENTION: {"exemptions": [{"resource": "retention-zero", "reason": "legacy"}]},
        "aws-cloudwatch-alarm-configure-actions": {"exemptions": [{"resource": "*", "reason": "all of them"}]},
    },
    "remediate-and-disabled": {
        "aws-cloudwatch-loggroup-configure-retention": "remediate",
        "aws-sns-topicpolicy-disallow-public-access": "disabled",
        "aws-iam-policy-disallow-administrator-access": "disabled",
    },
    "selection": {"ops-baseline-selection": {"severities": ["critical", "high"]}},
}


@pytest.fixture(scope="module")
def plans():
    return {
        (stack, mode): preflight_stack(ROOT, stack, mode=mode)
        for stack, mode in (("dev", "preview"), ("dev", "up"), ("prod", "preview"))
    }


def configured(config_name: str):
    """The SDK's servicer and ours, both configured as the engine configures them."""
    config = resolve_config(analyzer_info(), CONFIGS[config_name], config_name)
    if config_name == "all-mandatory-with-exemptions":
        level, properties = config[RETENTION]
        config[RETENTION] = (level, {**properties, "exemptions": [*properties["exemptions"], EXPIRED]})
    request = configure_request(config)
    tags = analyzer_pb2.AnalyzerStackConfigureRequest(tags={"environment": "dev"})
    sdk = PolicyAnalyzerServicer(
        PACK_NAME, PACK_VERSION, build_policies(), EnforcementLevel.ADVISORY, None, PACK_DESCRIPTION
    )
    ours = servicer()
    for each in (sdk, ours):
        copy = analyzer_pb2.ConfigureAnalyzerRequest()
        copy.CopyFrom(request)
        each.Configure(copy, None)
        each.ConfigureStack(tags, None)
    return sdk, ours


def same(first, second) -> bool:
    return first.SerializeToString(deterministic=True) == second.SerializeToString(deterministic=True)


@pytest.mark.parametrize("config_name", CONFIGS)
@pytest.mark.parametrize("stack", [("dev", "preview"), ("dev", "up"), ("prod", "preview"), "hostile"])
def test_every_answer_is_the_sdks(plans, config_name, stack):
    sdk, ours = configured(config_name)
    resources = HOSTILE if stack == "hostile" else [r for r in plans[stack].registrations if r.custom]
    answers = []
    for resource in resources:
        request = analyze_request(resource, resource.inputs)
        assert same(ours.Remediate(request, None), sdk.Remediate(request, None)), resource.urn
        answers.append(sdk.Analyze(request, None))
        assert same(ours.Analyze(request, None), answers[-1]), resource.urn
    stack_request = analyzer_pb2.AnalyzeStackRequest(resources=[stack_resource(r) for r in resources])
    answers.append(sdk.AnalyzeStack(stack_request, None))
    assert same(ours.AnalyzeStack(stack_request, None), answers[-1])
    if stack == "hostile":
        # The comparison means something only where the pack has something to say.
        said = [d.message for a in answers for d in a.diagnostics] + [
            n.reason for a in answers for n in a.not_applicable
        ]
        assert len(said) >= 3, said


def test_a_type_no_guardrail_looks_at_costs_no_decoding():
    _, ours = configured("defaults")
    assert ours.dispatch.for_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment") == ()
    assert {check.policy.name for check in ours.dispatch.for_type("aws:cloudwatch/logGroup:LogGroup")} >= {
        "aws-cloudwatch-loggroup-configure-retention"
    }


def test_configure_rebuilds_the_table():
    _, ours = configured("defaults")
    assert ours.dispatch.for_type("aws:iam/policy:Policy") or ours.dispatch.stack
    before = {c.policy.name for c in ours.dispatch.stack}
    assert "aws-iam-policy-disallow-administrator-access" in before
    request = configure_request(resolve_config(analyzer_info(), CONFIGS["remediate-and-disabled"], "test"))
    ours.Configure(request, None)
    assert "aws-iam-policy-disallow-administrator-access" not in {c.policy.name for c in ours.dispatch.stack}
