"""Stack guardrails: joins across resources (v7 split S3 resources, trail → log group → filters →
alarms, recorder → status), by value when known and by property dependency while unknown."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from policies.guardrails.vocabulary.cis import CONTROLS
from tests.policies.harness import UNKNOWN, Res, run_stack

TOPIC = "arn:aws:sns:eu-west-1:123456789012:alerts"
KEY = "arn:aws:kms:eu-west-1:123456789012:key/k"


def assert_outcome(outcome, expected):
    if expected is None:
        assert outcome.violations == []
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


def bucket_stack(*, pab=True, sse="aws:kms", versioning="Enabled", bucket_ref="logs-bucket", deps=False):
    ref = UNKNOWN if deps else bucket_ref
    dep = {"bucket": ("logs",)} if deps else {}
    resources = [Res(t.S3_BUCKET, "logs", {"bucket": "logs-bucket"})]
    if pab:
        flags = {
            "blockPublicAcls": True,
            "blockPublicPolicy": True,
            "ignorePublicAcls": True,
            "restrictPublicBuckets": pab != "partial",
        }
        resources.append(Res(t.S3_BUCKET_PAB, "logs-pab", {"bucket": ref, **flags}, dep))
    if sse:
        resources.append(
            Res(
                t.S3_BUCKET_SSE,
                "logs-sse",
                {
                    "bucket": ref,
                    "rules": [
                        {
                            "applyServerSideEncryptionByDefault": {"sseAlgorithm": sse, "kmsMasterKeyId": KEY},
                            "bucketKeyEnabled": True,
                        }
                    ],
                },
                dep,
            )
        )
    if versioning:
        resources.append(
            Res(
                t.S3_BUCKET_VERSIONING,
                "logs-versioning",
                {"bucket": ref, "versioningConfiguration": {"status": versioning}},
                dep,
            )
        )
    return resources


S3_CASES = [
    ("aws-s3-bucket-declare-public-access-block", dict(pab=False), "has no public access block"),
    ("aws-s3-bucket-enable-public-access-block", dict(pab="partial"), "leaves restrictPublicBuckets off"),
    ("aws-s3-bucket-declare-public-access-block", dict(bucket_ref="another-bucket"), "has no public access block"),
    ("aws-s3-bucket-configure-kms-encryption", dict(sse=None), "has no default encryption configuration"),
    ("aws-s3-bucket-configure-kms-encryption", dict(sse="AES256"), "encrypts with 'AES256' (logs-sse)"),
    ("aws-s3-bucket-enable-versioning", dict(versioning=None), "has no versioning configuration"),
    ("aws-s3-bucket-enable-versioning", dict(versioning="Suspended"), "has logs-versioning 'Suspended'"),
]


@pytest.mark.parametrize(
    "policy",
    [
        "aws-s3-bucket-enable-public-access-block",
        "aws-s3-bucket-declare-public-access-block",
        "aws-s3-bucket-configure-kms-encryption",
        "aws-s3-bucket-enable-versioning",
    ],
)
@pytest.mark.parametrize("deps", [False, True], ids=["joined-by-name", "joined-by-dependency-while-unknown"])
def test_hardened_bucket_passes(policy, deps):
    assert run_stack(policy, bucket_stack(deps=deps)).violations == []


@pytest.mark.parametrize(
    ("policy", "change", "expected"), [pytest.param(p, c, e, id=f"{p}:{e[:30]}") for p, c, e in S3_CASES]
)
def test_bucket_gaps_fail_with_the_bucket_urn(policy, change, expected):
    outcome = run_stack(policy, bucket_stack(**change))
    assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::aws:s3/bucket:Bucket::logs"]


BLOCK_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


@pytest.mark.parametrize(
    ("block", "expected"),
    [
        pytest.param(None, None, id="new-bucket-without-a-block-gets-s3s-default"),
        pytest.param(dict.fromkeys(BLOCK_FLAGS, True), None, id="all-four-on"),
        pytest.param(
            {**dict.fromkeys(BLOCK_FLAGS, True), "blockPublicPolicy": False},
            "leaves blockPublicPolicy off",
            id="explicit-false",
        ),
        pytest.param(
            {**dict.fromkeys(BLOCK_FLAGS, True), "ignorePublicAcls": "false"},
            "leaves ignorePublicAcls off",
            id="explicit-false-as-string",
        ),
        pytest.param(
            {},
            "leaves blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets off",
            id="block-with-no-flags",
        ),
    ],
)
def test_a_block_is_judged_by_its_flags_and_no_block_is_s3s_default(block, expected):
    """S3 turns all four flags on for a new bucket (since April 2023): only a block that says
    otherwise is a violation; declaring one is the declare rule's business."""
    resources = [Res(t.S3_BUCKET, "logs", {"bucket": "logs-bucket"})]
    if block is not None:
        resources.append(Res(t.S3_BUCKET_PAB, "logs-pab", {"bucket": "logs-bucket", **block}))
    assert_outcome(run_stack("aws-s3-bucket-enable-public-access-block", resources), expected)
    declared = run_stack("aws-s3-bucket-declare-public-access-block", resources).violations
    assert declared == (
        [] if block is not None else ["S3 bucket 'logs' has no public access block; add one with all four flags true."]
    )


def recorder_stack(
    *, all_supported=True, global_types=True, enabled=True, channel=True, status=True, region="eu-west-1"
):
    resources = [
        Res(
            t.CONFIG_RECORDER,
            "recorder",
            {
                "name": "default",
                "region": region,
                "recordingGroup": {"allSupported": all_supported, "includeGlobalResourceTypes": global_types},
            },
        )
    ]
    if status:
        resources.append(Res(t.CONFIG_RECORDER_STATUS, "recorder-status", {"name": "default", "isEnabled": enabled}))
    if channel:
        resources.append(
            Res(t.CONFIG_DELIVERY_CHANNEL, "channel", {"name": "default", "s3BucketName": "config", "s3KmsKeyArn": KEY})
        )
    return resources


@pytest.mark.parametrize(
    ("change", "config", "expected"),
    [
        ({}, {}, None),
        (dict(all_supported=False), {}, "recordingGroup.allSupported is False"),
        (dict(global_types=False), {}, "recordingGroup.includeGlobalResourceTypes is False"),
        (dict(global_types=False), {"homeRegion": "us-east-1"}, None),
        (dict(global_types=False), {"homeRegion": "eu-west-1"}, "home region (eu-west-1) records global types"),
        (dict(enabled=False), {}, "is stopped"),
        (dict(status=False), {}, "has no recorder status"),
        (dict(channel=False), {}, "has no delivery channel"),
    ],
    ids=[
        "complete",
        "not-all-types",
        "no-global-types",
        "home-region-elsewhere",
        "home-region-here",
        "stopped",
        "no-status",
        "no-channel",
    ],
)
def test_config_recorder(change, config, expected):
    outcome = run_stack("aws-cfg-recorder-record-all-resources", recorder_stack(**change), config)
    assert_outcome(outcome, expected)


def test_a_recorder_whose_region_is_unknown_is_undecided_on_global_types():
    stack = recorder_stack(global_types="false", region=UNKNOWN)
    outcome = run_stack("aws-cfg-recorder-record-all-resources", stack, {"homeRegion": "us-east-1"})
    assert outcome.violations == [] and "its region" in (outcome.unchecked or ""), outcome


def test_missing_recorder_is_configurable():
    assert run_stack("aws-cfg-recorder-record-all-resources", []).violations == [
        "The stack has no AWS Config recorder; add a recorder, a delivery channel and an enabled recorder status, "
        "or set requireRecorder false where the stack reuses a recorder another stack owns in its region "
        '(an application stack: "stack": "workload" under ops-baseline-profile).'
    ]
    assert run_stack("aws-cfg-recorder-record-all-resources", [], {"requireRecorder": False}).violations == []


def cis_stack(*, skip=(), pattern_override=None, alarm_actions=(TOPIC,), whitespace=False):
    resources = [
        Res(
            t.TRAIL,
            "trail",
            {
                "isMultiRegionTrail": True,
                "cloudWatchLogsGroupArn": "arn:aws:logs:eu-west-1:123456789012:log-group:trail-logs:*",
            },
        ),
        Res(
            t.LOG_GROUP,
            "trail-logs",
            {"name": "trail-logs", "arn": "arn:aws:logs:eu-west-1:123456789012:log-group:trail-logs"},
        ),
    ]
    for control in CONTROLS:
        if control.control in skip:
            continue
        pattern = (pattern_override or {}).get(control.control, control.pattern)
        if whitespace:
            pattern = pattern.replace("=", " = ").replace("{", "{ ")
        resources.append(
            Res(
                t.LOG_METRIC_FILTER,
                f"cis-{control.name}",
                {
                    "logGroupName": "trail-logs",
                    "pattern": pattern,
                    "metricTransformation": {"name": control.name, "namespace": "CISBenchmark", "value": "1"},
                },
            )
        )
        resources.append(
            Res(
                t.METRIC_ALARM,
                f"cis-{control.name}-alarm",
                {"metricName": control.name, "namespace": "CISBenchmark", "alarmActions": list(alarm_actions)},
            )
        )
    return resources


def test_cis_complete_stack_passes_even_with_reflowed_whitespace():
    assert run_stack("aws-cloudtrail-trail-configure-cis-metric-alarms", cis_stack()).violations == []
    assert run_stack("aws-cloudtrail-trail-configure-cis-metric-alarms", cis_stack(whitespace=True)).violations == []


def test_cis_missing_filter_names_the_control():
    outcome = run_stack("aws-cloudtrail-trail-configure-cis-metric-alarms", cis_stack(skip=("CloudWatch.7",)))
    assert len(outcome.violations) == 1 and outcome.violations[0].startswith(
        "CloudWatch.7 (Disabling or scheduled deletion"
    )


def test_cis_added_terms_are_not_the_published_pattern():
    extended = CONTROLS[1].pattern[:-1] + ' && ($.sourceIPAddress!="delivery.logs.amazonaws.com")}'
    outcome = run_stack(
        "aws-cloudtrail-trail-configure-cis-metric-alarms", cis_stack(pattern_override={"CloudWatch.2": extended})
    )
    assert len(outcome.violations) == 1 and "CloudWatch.2" in outcome.violations[0]


def test_cis_alarm_without_action_fails_each_control():
    outcome = run_stack("aws-cloudtrail-trail-configure-cis-metric-alarms", cis_stack(alarm_actions=()))
    assert len(outcome.violations) == len(CONTROLS) == 15
    assert all("has no alarm with an action" in v for v in outcome.violations)


def test_cis_organizations_changes_needs_the_benchmarks_pattern():
    outcome = run_stack("aws-cloudtrail-trail-configure-cis-metric-alarms", cis_stack(skip=("CIS.4.15",)))
    assert len(outcome.violations) == 1 and outcome.violations[0].startswith("CIS.4.15 (AWS Organizations changes)")


def test_cis_controls_can_be_narrowed():
    outcome = run_stack(
        "aws-cloudtrail-trail-configure-cis-metric-alarms",
        cis_stack(skip=("CloudWatch.14",)),
        {"controls": ["CloudWatch.1"]},
    )
    assert outcome.violations == []


def test_cis_needs_a_multi_region_trail():
    single = [Res(t.TRAIL, "trail", {"isMultiRegionTrail": False})]
    assert (
        "no multi-region CloudTrail trail"
        in run_stack("aws-cloudtrail-trail-configure-cis-metric-alarms", single).violations[0]
    )
    assert (
        run_stack("aws-cloudtrail-trail-configure-cis-metric-alarms", single, {"requireTrail": False}).violations == []
    )


def lambda_stack(alarm_props):
    return [
        Res(t.LAMBDA_FUNCTION, "fn", {"name": "orders-fn"}),
        Res(
            t.METRIC_ALARM,
            "fn-errors",
            alarm_props,
            {"dimensions": ("fn",)} if alarm_props.get("dimensions") == {"FunctionName": UNKNOWN} else {},
        ),
    ]


@pytest.mark.parametrize(
    ("alarm", "expected"),
    [
        ({"namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": {"FunctionName": "orders-fn"}}, None),
        ({"namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": {"FunctionName": UNKNOWN}}, None),
        (
            {
                "metricQueries": [
                    {
                        "id": "e",
                        "metric": {
                            "namespace": "AWS/Lambda",
                            "metricName": "Errors",
                            "dimensions": {"FunctionName": "orders-fn"},
                        },
                    }
                ]
            },
            None,
        ),
        (
            {"namespace": "AWS/Lambda", "metricName": "Throttles", "dimensions": {"FunctionName": "orders-fn"}},
            "has no Errors alarm",
        ),
        (
            {"namespace": "AWS/Lambda", "metricName": "Errors", "dimensions": {"FunctionName": "other-fn"}},
            "has no Errors alarm",
        ),
    ],
    ids=["plain", "joined-by-dependency", "metric-math", "wrong-metric", "other-function"],
)
def test_lambda_errors_alarm_coverage(alarm, expected):
    outcome = run_stack("aws-lambda-function-monitor-errors", lambda_stack(alarm))
    assert_outcome(outcome, expected)


def test_lambda_exemptions():
    outcome = run_stack(
        "aws-lambda-function-monitor-errors",
        [Res(t.LAMBDA_FUNCTION, "fn", {"name": "orders-fn"})],
        {"exemptFunctionPatterns": ["orders-*"]},
    )
    assert outcome.violations == []


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        ([Res(t.ECR_REPOSITORY, "repo", {"name": "app", "imageScanningConfiguration": {"scanOnPush": True}})], None),
        ([Res(t.ECR_REPOSITORY, "repo", {"name": "app"})], "does not scan images on push"),
        (
            [
                Res(t.ECR_REPOSITORY, "repo", {"name": "app"}),
                Res(
                    t.ECR_REGISTRY_SCANNING,
                    "registry",
                    {
                        "scanType": "ENHANCED",
                        "rules": [
                            {
                                "scanFrequency": "CONTINUOUS_SCAN",
                                "repositoryFilters": [{"filter": "ap*", "filterType": "WILDCARD"}],
                            }
                        ],
                    },
                ),
            ],
            None,
        ),
        (
            [
                Res(t.ECR_REPOSITORY, "repo", {"name": "app"}),
                Res(
                    t.ECR_REGISTRY_SCANNING,
                    "registry",
                    {
                        "scanType": "BASIC",
                        "rules": [
                            {
                                "scanFrequency": "SCAN_ON_PUSH",
                                "repositoryFilters": [{"filter": "web-*", "filterType": "WILDCARD"}],
                            }
                        ],
                    },
                ),
            ],
            "does not scan images on push",
        ),
    ],
    ids=["scan-on-push", "no-scanning", "registry-rule-covers", "registry-rule-misses"],
)
def test_ecr_image_scanning(resources, expected):
    outcome = run_stack("aws-ecr-repository-enable-image-scanning", resources)
    assert_outcome(outcome, expected)


NOTIFYING = {"alarmActions": [TOPIC], "okActions": [TOPIC]}


def alarm(name, **props):
    return Res(t.METRIC_ALARM, name, {"name": name, "metricName": "Errors", **NOTIFYING, **props})


def composite(rule, **props):
    return Res(
        t.COMPOSITE_ALARM, "fn-composite", {"alarmName": "fn-composite", "alarmRule": rule, **NOTIFYING, **props}
    )


@pytest.mark.parametrize(
    "resources, config, expected",
    [
        pytest.param([alarm("fn-errors")], {}, None, id="notifies"),
        pytest.param([alarm("fn-errors", actionsEnabled=False)], {}, "actionsEnabled is False", id="actions-disabled"),
        pytest.param([alarm("fn-errors", alarmActions=[])], {}, "no alarmActions", id="no-alarm-actions"),
        pytest.param([alarm("fn-errors", alarmActions=TOPIC)], {}, "no alarmActions", id="actions-wrong-type"),
        pytest.param([alarm("fn-errors", alarmActions=[UNKNOWN])], {}, None, id="unknown-topic-still-an-action"),
        pytest.param([alarm("fn-errors", okActions=[])], {}, None, id="ok-actions-optional"),
        pytest.param(
            [alarm("fn-errors", okActions=[])], {"requireOkActions": True}, "no okActions", id="ok-actions-required"
        ),
        pytest.param(
            [alarm("fn-errors", alarmActions=[], okActions=[]), composite('ALARM("fn-errors")')],
            {"requireOkActions": True},
            None,
            id="silent-child-of-notifying-composite",
        ),
        pytest.param(
            [alarm("fn-errors", alarmActions=[]), composite('ALARM("fn-throttles")')],
            {},
            "no alarmActions",
            id="composite-does-not-name-it",
        ),
        pytest.param(
            [alarm("fn-errors", alarmActions=[]), composite('ALARM("fn-errors")', alarmActions=[])],
            {},
            "no alarmActions",
            id="composite-itself-silent",
        ),
        pytest.param(
            [alarm("fn-errors", alarmActions=[]), composite("ALARM(fn-errors) OR ALARM(fn-throttles)")],
            {},
            None,
            id="unquoted-names-in-rule",
        ),
    ],
)
def test_alarm_actions(resources, config, expected):
    outcome = run_stack("aws-cloudwatch-alarm-configure-actions", resources, {"requireOkActions": False, **config})
    if expected is None:
        assert outcome.violations == []
    else:
        assert any(expected in v for v in outcome.violations), outcome.violations


ALARM_ARN = "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fn-errors"
OPS_ITEM = "arn:aws:ssm:eu-west-1:123456789012:opsitem:2#CATEGORY=Availability"
RESPONSE_PLAN = "arn:aws:ssm-incidents::123456789012:response-plan/orders-outage"


@pytest.mark.parametrize(
    "actions, arn, expected",
    [
        pytest.param([OPS_ITEM], ALARM_ARN, None, id="ops-item-of-its-account"),
        pytest.param([OPS_ITEM.split("#")[0]], ALARM_ARN, None, id="ops-item-without-category"),
        pytest.param([RESPONSE_PLAN], ALARM_ARN, None, id="response-plan-of-its-account"),
        pytest.param([OPS_ITEM, TOPIC], UNKNOWN, None, id="topic-beside-an-undecidable-ops-item"),
        pytest.param(
            [OPS_ITEM.replace("123456789012", "999999999999")],
            ALARM_ARN,
            "is outside the alarm's own account 123456789012 and region eu-west-1",
            id="ops-item-of-another-account",
        ),
        pytest.param(
            [OPS_ITEM.replace("eu-west-1", "us-east-1")], ALARM_ARN, "is outside", id="ops-item-of-another-region"
        ),
        pytest.param(
            [RESPONSE_PLAN.replace("123456789012", "999999999999")],
            ALARM_ARN,
            "is outside",
            id="response-plan-of-another-account",
        ),
        pytest.param(
            ["arn:aws:ssm:eu-west-1:123456789012:opsitem:5"],
            ALARM_ARN,
            "is not of the form arn:aws:ssm:<region>:<account>:opsitem:<severity 1-4>",
            id="ops-item-severity-5",
        ),
        pytest.param(
            [OPS_ITEM.replace("Availability", "Urgent")], ALARM_ARN, "is not of the form", id="ops-item-bad-category"
        ),
        pytest.param(
            ["arn:aws:ssm-incidents::123456789012:responseplan/orders-outage"],
            ALARM_ARN,
            "is not of the form arn:aws:ssm-incidents::<account>:response-plan/<name>",
            id="response-plan-misspelt",
        ),
        pytest.param(["page the on-call"], ALARM_ARN, "'page the on-call' is no ARN", id="not-an-arn"),
    ],
)
def test_systems_manager_actions_notify_only_in_their_documented_form_and_own_account(actions, arn, expected):
    outcome = run_stack(
        "aws-cloudwatch-alarm-configure-actions",
        [alarm("fn-errors", alarmActions=actions, arn=arn)],
        {"requireOkActions": False},
    )
    if expected is None:
        assert outcome.violations == [] and not outcome.unchecked
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations
        assert "no alarmActions that notify" in outcome.violations[0]


def test_an_ops_item_alone_is_undecided_until_the_alarm_has_its_arn():
    outcome = run_stack(
        "aws-cloudwatch-alarm-configure-actions",
        [alarm("fn-errors", alarmActions=[OPS_ITEM], arn=UNKNOWN)],
        {"requireOkActions": False},
    )
    assert outcome.violations == [] and outcome.unchecked


def test_alarm_actions_known_wrong_value_fails_next_to_an_unknown_one():
    outcome = run_stack(
        "aws-cloudwatch-alarm-configure-actions",
        [alarm("fn-errors", actionsEnabled=False, alarmActions=UNKNOWN)],
        {"requireOkActions": False},
    )
    assert outcome.violations == ["fn-errors: Alarm actionsEnabled is False; nobody is notified when it fires."]


def test_alarm_without_actions_is_unchecked_while_a_composite_rule_is_unknown():
    outcome = run_stack(
        "aws-cloudwatch-alarm-configure-actions",
        [alarm("fn-errors", alarmActions=[]), composite(UNKNOWN)],
        {"requireOkActions": False},
    )
    assert outcome.violations == []
    assert outcome.unchecked


def named_composite(name, rule, **props):
    return Res(t.COMPOSITE_ALARM, name, {"alarmName": name, "alarmRule": rule, **NOTIFYING, **props})


SILENT = {"alarmActions": [], "okActions": []}


@pytest.mark.parametrize(
    ("resources", "expected"),
    [
        pytest.param(
            [alarm("fn-errors", **SILENT), named_composite("c", 'NOT ALARM("fn-errors")')],
            "composite 'c' names it, but its rule cannot raise on it",
            id="only-under-not",
        ),
        pytest.param(
            [alarm("fn-errors", **SILENT), named_composite("c", "ALARM(fn-errors) AND FALSE")],
            "composite 'c' names it, but its rule cannot raise on it",
            id="and-false",
        ),
        pytest.param(
            [alarm("fn-errors", **SILENT), named_composite("c", "ALARM(fn-errors) OR TRUE")],
            "cannot raise on it",
            id="or-true-is-always-in-alarm",
        ),
        pytest.param(
            [alarm("fn-errors", **SILENT), named_composite("c", "OK(fn-errors)")],
            "cannot raise on it",
            id="ok-state",
        ),
        pytest.param(
            [alarm("fn-errors", **SILENT), named_composite("c", "NOT OK(fn-errors)")],
            None,
            id="leaving-ok-raises",
        ),
        pytest.param(
            [
                alarm("fn-errors", **SILENT),
                named_composite("c", 'ALARM("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:fn-errors")'),
            ],
            None,
            id="named-by-arn",
        ),
        pytest.param(
            [
                alarm("fn-errors", **SILENT),
                named_composite("inner", "ALARM(fn-errors)", **SILENT),
                named_composite("outer", "ALARM(inner) OR ALARM(other)"),
            ],
            None,
            id="through-a-silent-composite",
        ),
        pytest.param(
            [
                alarm("fn-errors", **SILENT),
                named_composite("inner", "ALARM(fn-errors)", **SILENT),
                named_composite("outer", "NOT ALARM(inner)"),
            ],
            "no alarmActions",
            id="silent-composite-under-not",
        ),
        pytest.param(
            [alarm("fn-errors", **SILENT), named_composite("c", "ALARM(fn-errors) AND ALARM(fn-throttles)")],
            None,
            id="and-of-two-children",
        ),
        pytest.param(
            [alarm("fn-errors", **SILENT), named_composite("c", "ALARM(fn-errors")],
            "alarmRule is not valid AlarmRule syntax",
            id="invalid-rule",
        ),
        pytest.param(
            [
                alarm("fn-errors", **SILENT),
                named_composite("a", "ALARM(b)", **SILENT),
                named_composite("b", "ALARM(a)", **SILENT),
            ],
            "no alarmActions",
            id="cycle-of-silent-composites",
        ),
    ],
)
def test_composite_coverage_follows_the_alarm_rule(resources, expected):
    outcome = run_stack("aws-cloudwatch-alarm-configure-actions", resources)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert any(expected in v for v in outcome.violations), outcome.violations


def test_an_unknown_rule_leaves_undecided_only_the_alarms_it_was_computed_from():
    resources = [
        alarm("fn-errors", **SILENT),
        alarm("fn-throttles", **SILENT),
        Res(
            t.COMPOSITE_ALARM, "c", {"alarmName": "c", "alarmRule": UNKNOWN, **NOTIFYING}, {"alarmRule": ("fn-errors",)}
        ),
    ]
    outcome = run_stack("aws-cloudwatch-alarm-configure-actions", resources)
    assert outcome.violations == [
        "fn-throttles: Alarm has no alarmActions; add the alerting topic so the ALARM state notifies someone."
    ]
    assert outcome.unchecked == "fn-errors: whether a notifying composite alarm covers it is unknown until deploy"


def test_with_no_composite_an_unknown_alarm_name_does_not_matter():
    unnamed = Res(t.METRIC_ALARM, "fn-errors", {"name": UNKNOWN, "metricName": "Errors", **SILENT})
    outcome = run_stack("aws-cloudwatch-alarm-configure-actions", [unnamed])
    assert len(outcome.violations) == 1 and outcome.unchecked is None


def test_an_unknown_action_list_is_undecided():
    outcome = run_stack("aws-cloudwatch-alarm-configure-actions", [alarm("fn-errors", alarmActions=UNKNOWN)])
    assert outcome.violations == []
    assert outcome.unchecked == "fn-errors: its actions are unknown until deploy"


def test_actions_enabled_is_read_like_the_provider():
    assert run_stack("aws-cloudwatch-alarm-configure-actions", [alarm("fn", actionsEnabled="true")]).violations == []
    outcome = run_stack("aws-cloudwatch-alarm-configure-actions", [alarm("fn", actionsEnabled="no")])
    assert outcome.violations == [
        "fn: Alarm actionsEnabled is 'no', which the provider cannot read as a boolean (true or false); nobody is notified when it fires."
    ]


KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
INLINE_SSE = {
    "serverSideEncryptionConfiguration": {
        "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN}}
    }
}


def v7_bucket(type_=t.S3_BUCKET, **inline):
    return Res(type_, "logs", {"bucket": "logs-bucket", **inline})


def split_settings(sse_type=t.S3_BUCKET_SSE, versioning_type=t.S3_BUCKET_VERSIONING, algorithm="aws:kms", key=KEY_ARN):
    default = {"sseAlgorithm": algorithm, **({"kmsMasterKeyId": key} if key is not None else {})}
    return [
        Res(
            sse_type, "logs-sse", {"bucket": "logs-bucket", "rules": [{"applyServerSideEncryptionByDefault": default}]}
        ),
        Res(
            versioning_type,
            "logs-versioning",
            {"bucket": "logs-bucket", "versioningConfiguration": {"status": "Enabled"}},
        ),
    ]


@pytest.mark.parametrize(
    ("policy", "resources", "expected"),
    [
        pytest.param(
            "aws-s3-bucket-configure-kms-encryption",
            [v7_bucket(t.S3_BUCKET_V2), *split_settings()],
            None,
            id="bucket-v2",
        ),
        pytest.param(
            "aws-s3-bucket-configure-kms-encryption",
            [v7_bucket(), *split_settings(t.S3_BUCKET_SSE_V2, t.S3_BUCKET_VERSIONING_V2)],
            None,
            id="sse-v2",
        ),
        pytest.param("aws-s3-bucket-configure-kms-encryption", [v7_bucket(**INLINE_SSE)], None, id="inline-sse"),
        pytest.param(
            "aws-s3-bucket-configure-kms-encryption",
            [
                v7_bucket(
                    serverSideEncryptionConfiguration={
                        "rule": {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}
                    }
                )
            ],
            "encrypts with 'AES256' (serverSideEncryptionConfiguration)",
            id="inline-aes",
        ),
        pytest.param(
            "aws-s3-bucket-configure-kms-encryption",
            [v7_bucket(**INLINE_SSE), *split_settings(algorithm="AES256")],
            "encrypts with 'AES256' (logs-sse)",
            id="split-contradicts-inline",
        ),
        pytest.param(
            "aws-s3-bucket-configure-kms-encryption",
            [v7_bucket(), *split_settings(key=None)],
            "uses the AWS-managed key aws/s3 (rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId not set)",
            id="aws-managed-s3-key",
        ),
        pytest.param(
            "aws-s3-bucket-configure-kms-encryption",
            [v7_bucket(), *split_settings(key="alias/aws/s3")],
            "uses the AWS-managed key alias/aws/s3",
            id="aws-managed-s3-alias",
        ),
        pytest.param(
            "aws-s3-bucket-enable-versioning", [v7_bucket(versioning={"enabled": True})], None, id="inline-versioning"
        ),
        pytest.param(
            "aws-s3-bucket-enable-versioning",
            [v7_bucket(versioning={"enabled": "true"})],
            None,
            id="inline-versioning-as-string",
        ),
        pytest.param(
            "aws-s3-bucket-enable-versioning",
            [v7_bucket(versioning={"enabled": False})],
            "has versioning.enabled False",
            id="inline-versioning-off",
        ),
        pytest.param(
            "aws-s3-bucket-enable-versioning",
            [v7_bucket(t.S3_BUCKET_V2), *split_settings(versioning_type=t.S3_BUCKET_VERSIONING_V2)],
            None,
            id="versioning-v2",
        ),
        pytest.param(
            "aws-s3-bucket-declare-public-access-block",
            [v7_bucket(t.S3_BUCKET_V2)],
            "has no public access block",
            id="bucket-v2-without-block",
        ),
    ],
)
def test_every_v7_spelling_of_a_bucket(policy, resources, expected):
    outcome = run_stack(policy, resources)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


def test_aws_managed_s3_key_can_be_allowed():
    outcome = run_stack(
        "aws-s3-bucket-configure-kms-encryption", [v7_bucket(), *split_settings(key=None)], {"allowAwsManagedKey": True}
    )
    assert outcome.violations == []
    outcome = run_stack("aws-s3-bucket-configure-kms-encryption", [v7_bucket()], {"allowAwsManagedKey": True})
    assert outcome.violations == [
        "S3 bucket 'logs' has no default encryption configuration (S3 then uses SSE-S3); encrypt by default with aws:kms and a KMS key."
    ]


KEY_IN_USE = "aws-kms-key-disallow-unusable-key-in-use"


def key_users(key_props, *, ref="arn:aws:kms:eu-west-1:1:key/k1", deps=False):
    """A key and a log group, topic, trail and secret encrypting with it (by ARN, or by dependency while unknown)."""
    value, dependency = (UNKNOWN, {"kmsKeyId": ("key",)}) if deps else (ref, {})
    topic_dependency = {"kmsMasterKeyId": ("key",)} if deps else {}
    return [
        Res(t.KMS_KEY, "key", {"arn": "arn:aws:kms:eu-west-1:1:key/k1", "keyId": "k1", **key_props}),
        Res(t.LOG_GROUP, "logs", {"name": "/app", "kmsKeyId": value}, dependency),
        Res(t.SNS_TOPIC, "alerts", {"name": "alerts", "kmsMasterKeyId": value}, topic_dependency),
        Res(t.TRAIL, "trail", {"name": "main", "kmsKeyId": value}, dependency),
        Res(t.SECRET, "webhook", {"name": "webhook", "kmsKeyId": value}, dependency),
    ]


@pytest.mark.parametrize(
    ("key", "options", "expected"),
    [
        ({"isEnabled": True}, {}, None),
        ({}, {}, None),
        (
            {"isEnabled": False},
            {},
            "is disabled (isEnabled false), yet alerts (topic), logs (logGroup), trail (trail), webhook (secret)",
        ),
        ({"isEnabled": "false"}, {"deps": True}, "is disabled"),
        ({"keyState": "PendingDeletion", "deletionDate": "2026-07-01"}, {}, "is scheduled for deletion on 2026-07-01"),
        ({"keyState": "PendingDeletion"}, {"ref": "arn:aws:kms:eu-west-1:1:key/other"}, None),
    ],
    ids=["enabled", "default-enabled", "disabled-in-use", "disabled-by-dependency", "pending-deletion", "unused"],
)
def test_keys_in_use_stay_usable(key, options, expected):
    assert_outcome(run_stack(KEY_IN_USE, key_users(key, **options)), expected)
