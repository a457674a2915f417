"""Stack guardrails: joins across resources (v7 split S3 resources, trail → log group → filters →
alarms, recorder → status), by value when known and by property dependency while unknown."""

from __future__ import annotations

import pytest

from policies.guardrails import tokens as t
from policies.guardrails.cis import CONTROLS
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
    ("aws-s3-bucket-enable-public-access-block", dict(pab=False), "has no public access block"),
    ("aws-s3-bucket-enable-public-access-block", dict(pab="partial"), "leaves restrictPublicBuckets off"),
    ("aws-s3-bucket-enable-public-access-block", dict(bucket_ref="another-bucket"), "has no public access block"),
    ("aws-s3-bucket-configure-kms-encryption", dict(sse=None), "has no default encryption configuration"),
    ("aws-s3-bucket-configure-kms-encryption", dict(sse="AES256"), "encrypts with 'AES256' (logs-sse)"),
    ("aws-s3-bucket-enable-versioning", dict(versioning=None), "has no versioning configuration"),
    ("aws-s3-bucket-enable-versioning", dict(versioning="Suspended"), "has logs-versioning 'Suspended'"),
]


@pytest.mark.parametrize(
    "policy",
    [
        "aws-s3-bucket-enable-public-access-block",
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


def recorder_stack(*, all_supported=True, global_types=True, enabled=True, channel=True, status=True):
    resources = [
        Res(
            t.CONFIG_RECORDER,
            "recorder",
            {
                "name": "default",
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
        (dict(global_types=False), {"isHomeRegion": False}, None),
        (dict(enabled=False), {}, "is stopped"),
        (dict(status=False), {}, "has no recorder status"),
        (dict(channel=False), {}, "has no delivery channel"),
    ],
    ids=["complete", "not-all-types", "no-global-types", "not-home-region", "stopped", "no-status", "no-channel"],
)
def test_config_recorder(change, config, expected):
    outcome = run_stack("aws-cfg-recorder-record-all-resources", recorder_stack(**change), config)
    assert_outcome(outcome, expected)


def test_missing_recorder_is_configurable():
    assert run_stack("aws-cfg-recorder-record-all-resources", []).violations == [
        "The stack has no AWS Config recorder; add a recorder, a delivery channel and an enabled recorder status."
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
    assert len(outcome.violations) == 14 and all("has no alarm with an action" in v for v in outcome.violations)


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
