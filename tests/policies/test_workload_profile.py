"""The workload profile: what a workload stack must show instead of the baseline's own resources,
and policies/config/workload.json, which judges such a stack by its own resources only."""

from __future__ import annotations

import fnmatch
import json

import pulumi
import pytest

from opsctl.engine.analyzer import load_pack_config, resolve_config
from opsctl.engine.mocks import OfflineMocks
from opsctl.engine.policy_run import check_run
from opsctl.engine.runner import run_program
from policies.guardrails.catalog import BY_NAME, CATALOG
from policies.guardrails.profile import PROFILE, STACK_REFERENCE
from policies.guardrails.serve import analyzer_info
from policies.guardrails.vocabulary import tokens as t
from tests.conftest import ROOT
from tests.policies.harness import UNKNOWN, Res, run_stack

ERRORS = "aws-lambda-function-monitor-errors"
RECORDER = "aws-cfg-recorder-record-all-resources"
CIS = "aws-cloudtrail-trail-configure-cis-metric-alarms"
WORKLOAD = {PROFILE: {"stack": "workload"}}
CONFIGS = ROOT / "policies" / "config"


def reference(stack: str) -> str:
    """The URN a resource depends on when it uses an output of `pulumi.StackReference(stack)`."""
    return f"urn:pulumi:prod::orders::pulumi:pulumi:Stack$pulumi:pulumi:StackReference::{stack}"


FUNCTION = Res(t.LAMBDA_FUNCTION, "orders", {"name": "orders-1a2b3c"})


def throttles_alarm(actions, deps=()):
    """An alarm that is not an Errors alarm: whatever it notifies, it does not cover Errors itself."""
    props = {
        "name": "orders-throttles",
        "namespace": "AWS/Lambda",
        "metricName": "Throttles",
        "dimensions": {"FunctionName": "orders-1a2b3c"},
        "alarmActions": actions,
    }
    return Res(t.METRIC_ALARM, "orders-throttles", props, {"alarmActions": tuple(deps)} if deps else {})


def errors_alarm():
    props = {"namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": {"FunctionName": "orders-1a2b3c"}}
    return Res(t.METRIC_ALARM, "orders-errors", {**props, "alarmActions": ["arn:aws:sns:eu-west-1:1:orders"]})


BASELINE_TOPIC = "arn:aws:sns:eu-west-1:123456789012:ops-prod-alerts"
UNCOVERED = "Lambda function 'orders' has no Errors alarm, and nothing shows the stack references the baseline"


@pytest.mark.parametrize(
    ("resources", "profile", "expected"),
    [
        pytest.param([FUNCTION], {}, UNCOVERED, id="no-reference"),
        pytest.param(
            [FUNCTION, throttles_alarm([BASELINE_TOPIC], [reference("acme/ops-baseline/prod")])],
            {},
            None,
            id="alarm-notifies-a-baseline-output",
        ),
        pytest.param(
            [FUNCTION, throttles_alarm([UNKNOWN], [reference("acme/ops-baseline/prod")])],
            {},
            None,
            id="baseline-output-unknown-until-deploy",
        ),
        pytest.param(
            [
                Res(
                    t.LAMBDA_FUNCTION,
                    "orders",
                    {"name": "orders-1a2b3c", "kmsKeyArn": UNKNOWN},
                    {"kmsKeyArn": (reference("acme/ops-baseline/prod"),)},
                )
            ],
            {},
            None,
            id="function-uses-the-baselines-key",
        ),
        pytest.param(
            [FUNCTION, throttles_alarm(["arn:aws:sns:eu-west-1:1:payments"], [reference("acme/payments/prod")])],
            {},
            UNCOVERED,
            id="reference-to-another-stack",
        ),
        pytest.param(
            [FUNCTION, throttles_alarm([BASELINE_TOPIC], [reference("baseline")])],
            {},
            None,
            id="reference-named-otherwise-but-notifying-the-alert-topic",
        ),
        pytest.param(
            [FUNCTION, throttles_alarm(["arn:aws:sns:eu-west-1:1:x"], [reference("baseline")])],
            {},
            UNCOVERED,
            id="reference-named-otherwise",
        ),
        pytest.param(
            [FUNCTION, throttles_alarm(["arn:aws:sns:eu-west-1:1:x"], [reference("baseline")])],
            {"baselineStacks": ["baseline"]},
            None,
            id="reference-named-otherwise-and-configured",
        ),
        pytest.param([FUNCTION, throttles_alarm([BASELINE_TOPIC])], {}, None, id="literal-alert-topic-arn"),
        pytest.param(
            [FUNCTION, throttles_alarm(["arn:aws:sns:eu-west-1:123456789012:orders-alerts"])],
            {},
            UNCOVERED,
            id="own-topic-arn",
        ),
        pytest.param(
            [FUNCTION, throttles_alarm([BASELINE_TOPIC])],
            {"alertTopicArns": ["arn:aws:sns:*:999999999999:ops-*-alerts"]},
            UNCOVERED,
            id="alert-topic-of-another-account",
        ),
        pytest.param([FUNCTION, throttles_alarm([UNKNOWN])], {}, UNCOVERED, id="unknown-action-from-nowhere"),
        pytest.param(
            [FUNCTION, Res(STACK_REFERENCE, "baseline", {"name": "acme/ops-baseline/prod"})],
            {},
            None,
            id="listed-reference-names-its-stack",
        ),
        pytest.param([FUNCTION, errors_alarm()], {}, None, id="own-errors-alarm"),
    ],
)
def test_a_workload_function_is_covered_by_its_own_alarm_or_the_baseline(resources, profile, expected):
    outcome = run_stack(ERRORS, resources, {PROFILE: {"stack": "workload", **profile}})
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert len(outcome.violations) == 1 and outcome.violations[0].startswith(expected), outcome.violations
        assert "list the function under the baseline's monitoring.lambdaFunctions" in outcome.violations[0]


def test_a_baseline_stack_needs_its_own_errors_alarm_whatever_it_references():
    resources = [FUNCTION, throttles_alarm([BASELINE_TOPIC], [reference("acme/ops-baseline/prod")])]
    assert run_stack(ERRORS, resources).violations == [
        "Lambda function 'orders' has no Errors alarm; add one (AWS/Lambda Errors, FunctionName dimension) to the alerting topic."
    ]


OPEN_RECORDER = Res(t.CONFIG_RECORDER, "recorder", {"name": "default", "recordingGroup": {"allSupported": False}})
LOCAL_TRAIL = Res(t.TRAIL, "trail", {"isMultiRegionTrail": True})


@pytest.mark.parametrize(
    ("policy", "resources", "config", "expected"),
    [
        pytest.param(RECORDER, [], {}, "The stack has no AWS Config recorder", id="baseline-without-recorder"),
        pytest.param(RECORDER, [], WORKLOAD, None, id="workload-without-recorder"),
        pytest.param(
            RECORDER, [OPEN_RECORDER], WORKLOAD, "recordingGroup.allSupported is False", id="workload-recorder"
        ),
        pytest.param(CIS, [], {}, "The stack has no multi-region CloudTrail trail", id="baseline-without-trail"),
        pytest.param(CIS, [], WORKLOAD, None, id="workload-without-trail"),
        pytest.param(CIS, [LOCAL_TRAIL], WORKLOAD, "has no CloudWatch log group", id="workload-trail"),
    ],
)
def test_a_workload_stack_owes_no_recorder_or_trail_but_what_it_declares_is_judged(policy, resources, config, expected):
    """The baseline of the account records and logs the workload's resources; a recorder or trail
    the workload declares anyway is judged as any other."""
    violations = run_stack(policy, resources, config).violations
    if expected is None:
        assert violations == []
    else:
        assert any(expected in v for v in violations), violations


def resolved(name: str):
    path = CONFIGS / f"{name}.json"
    return resolve_config(analyzer_info(), load_pack_config(path), str(path))


def test_workload_json_asks_nothing_stricter_than_aws_at_a_blocking_level():
    """Wherever AWS checks the same setting, a mandatory guardrail uses AWS's own value."""
    config = resolved("workload")
    stricter = [
        f"{g.name}.{p.name}: {config[g.name][1][p.name]!r}, AWS {p.aws.value!r}"
        for g in CATALOG
        for p in g.parameters
        if p.aws is not None and config[g.name][0] == "mandatory" and config[g.name][1][p.name] != p.aws.value
    ]
    assert stricter == []


def test_workload_json_is_a_workload_profile_that_accepts_any_value_of_the_organizations_tags():
    config = resolved("workload")
    assert config[PROFILE][1]["stack"] == "workload"
    required = config["aws-tagging-resource-require-tags"][1]["requiredTags"]
    baseline = resolved("prod")["aws-tagging-resource-require-tags"][1]["requiredTags"]
    assert required == {key: [] for key in baseline}
    assert {config[name][0] for name in (ERRORS, RECORDER, CIS)} == {"mandatory"}
    assert config["aws-s3-bucket-declare-public-access-block"][0] == "advisory"
    assert config["aws-s3-bucket-enable-public-access-block"][0] == "mandatory"


@pytest.mark.parametrize("name", ["dev", "prod"])
def test_the_baselines_own_configs_keep_the_baseline_profile_and_ask_for_declared_blocks(name):
    config = resolved(name)
    assert config[PROFILE][1]["stack"] == "baseline"
    assert config["aws-s3-bucket-declare-public-access-block"][0] == "mandatory"
    assert json.loads((CONFIGS / f"{name}.json").read_text()).get(PROFILE) is None
    assert all(g.name in config for g in CATALOG) and BY_NAME[ERRORS].reads_profile


BASELINE_OUTPUTS = {
    "environment": "prod",
    "alertTopicArn": BASELINE_TOPIC,
    "kmsKeyArn": "arn:aws:kms:eu-west-1:123456789012:key/0b5f5d0e-3c1e-4a8e-9d3a-7f1c2b4e6a90",
}
"""What `pulumi stack output` of the baseline's prod stack holds (__main__.py exports them)."""


@pytest.fixture
def baseline_stack(monkeypatch):
    """Stack references read as the engine reads them, in previews too: the referenced stack's
    outputs, known. (The offline mocks answer a read with its inputs, so a reference's outputs are
    unknown in a preview and None, which breaks get_output, in an up.) The engine keeps the read out
    of AnalyzeStack, and so does the plan: only the URN its users depend on reaches the pack."""
    answer = OfflineMocks.new_resource

    def new_resource(self, args):
        if args.typ != STACK_REFERENCE:
            return answer(self, args)
        outputs = BASELINE_OUTPUTS if fnmatch.fnmatchcase(args.inputs["name"], "*/ops-baseline/prod") else {}
        return args.inputs["name"], {"name": args.inputs["name"], "outputs": outputs, "secretOutputNames": []}

    monkeypatch.setattr(OfflineMocks, "new_resource", new_resource)


def orders_service() -> None:
    """Another team's program: a function, an upload bucket, a throttling alarm to the baseline's topic."""
    import pulumi_aws as aws

    baseline = pulumi.StackReference("acme/ops-baseline/prod")
    role = aws.iam.Role(
        "orders-role",
        assume_role_policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )
    orders = aws.lambda_.Function(
        "orders",
        role=role.arn,
        runtime="python3.12",
        handler="app.handler",
        code=pulumi.AssetArchive({"app.py": pulumi.StringAsset("def handler(event, context):\n    return event\n")}),
    )
    uploads = aws.s3.Bucket("uploads")
    aws.s3.BucketServerSideEncryptionConfiguration(
        "uploads-sse",
        bucket=uploads.id,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}}],
    )
    aws.s3.BucketVersioning("uploads-versioning", bucket=uploads.id, versioning_configuration={"status": "Enabled"})
    aws.s3.BucketPolicy(
        "uploads-tls-only",
        bucket=uploads.id,
        policy=uploads.arn.apply(
            lambda arn: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Deny",
                            "Principal": "*",
                            "Action": "s3:*",
                            "Resource": [arn, f"{arn}/*"],
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                }
            )
        ),
    )
    aws.cloudwatch.MetricAlarm(
        "orders-throttles",
        namespace="AWS/Lambda",
        metric_name="Throttles",
        dimensions={"FunctionName": orders.name},
        statistic="Sum",
        period=60,
        evaluation_periods=1,
        threshold=1,
        comparison_operator="GreaterThanOrEqualToThreshold",
        alarm_actions=[baseline.get_output("alertTopicArn")],
    )


ORDERS_CONFIG = {
    "aws:region": "eu-west-1",
    "aws:defaultTags": json.dumps({"tags": {"project": "orders", "environment": "prod", "managed-by": "pulumi"}}),
}


def blocking(result) -> set[str]:
    return {f.policy for f in result.findings if f.kind == "violation" and f.level == "mandatory"}


@pytest.mark.parametrize("mode", ["preview", "up"])
def test_the_workload_profile_blocks_a_sound_workload_stack_for_nothing_and_prod_blocks_it_for_the_baseline(
    baseline_stack, mode, tmp_path
):
    plan = run_program(orders_service, project="orders", stack="prod", mode=mode, config=ORDERS_CONFIG)
    [alarm] = plan.of_type(t.METRIC_ALARM)
    assert alarm.property_dependencies["alarmActions"] == (reference("acme/ops-baseline/prod"),)
    assert not plan.of_type(STACK_REFERENCE)

    workload = check_run(plan, ROOT / "policies", CONFIGS / "workload.json")
    assert blocking(workload) == set()
    asked = [(f.policy, f.level, f.message.split("\n")[-1]) for f in workload.findings if f.kind == "violation"]
    assert (
        "aws-s3-bucket-declare-public-access-block",
        "advisory",
        "S3 bucket 'uploads' has no public access block; add one with all four flags true.",
    ) in asked

    # The stack reference alone shows it too: the engine sends only its URN, in the alarm's dependencies.
    by_reference = json.loads((CONFIGS / "workload.json").read_text())
    by_reference[PROFILE]["alertTopicArns"] = ["arn:aws:sns:*:999999999999:*"]
    (tmp_path / "by-reference.json").write_text(json.dumps(by_reference))
    assert blocking(check_run(plan, ROOT / "policies", tmp_path / "by-reference.json")) == set()

    prod = check_run(plan, ROOT / "policies", CONFIGS / "prod.json")
    assert {
        RECORDER,
        CIS,
        ERRORS,
        "aws-tagging-resource-require-tags",
        "aws-s3-bucket-declare-public-access-block",
    } <= blocking(prod)
