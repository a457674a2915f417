"""aws-s3-bucketlifecycle-exclude-deployed-code: a canary (or function, job, plugin) and the
lifecycle of the bucket its code sits in. A compliant baseline, one changed field per case; every
lifecycle and reference spelling; unknown values leave undecided only the references they touch."""

from __future__ import annotations

import json

import pytest

from components import canaries
from opsctl.cli import main
from policies.guardrails.vocabulary import tokens as t
from tests.conftest import ROOT
from tests.policies.harness import DELETE, UNKNOWN, Res, changed, run_stack

POLICY = "aws-s3-bucketlifecycle-exclude-deployed-code"
BUCKET = "code-bucket"
KEY = "code/heartbeat.zip"
RUNS_ONLY = {
    "id": "runs",
    "status": "Enabled",
    "filter": {"prefix": "runs/"},
    "expiration": {"days": 30.0},
    "noncurrentVersionExpiration": {"noncurrentDays": 1.0},
}
WHOLE_BUCKET = changed(RUNS_ONLY, filter={})
CANARY = {"name": "shop-health", "s3Bucket": BUCKET, "s3Key": KEY, "s3Version": "v1"}
SCRIPT = {"bucket": BUCKET, "key": KEY, "versionId": "v1"}
BOTH_EXPIRIES = (
    "expires it 30 days after creation and deletes its noncurrent versions 1 day after they become noncurrent"
)


def code_stack(rule=RUNS_ONLY, *, canary=CANARY, script=SCRIPT, lifecycle_type=t.S3_BUCKET_LIFECYCLE, bucket=None):
    resources = [
        Res(t.S3_BUCKET, "code", bucket or {"bucket": BUCKET}),
        Res(lifecycle_type, "code-lifecycle", {"bucket": BUCKET, "rules": [rule]}),
        Res(t.SYNTHETICS_CANARY, "canary", canary),
    ]
    return resources + ([Res(t.S3_OBJECT_V2, "script", script)] if script is not None else [])


def only_violation(outcome) -> str:
    assert len(outcome.violations) == 1, outcome.violations
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::aws:synthetics/canary:Canary::canary"]
    return outcome.violations[0]


def test_code_outside_the_expiring_prefix_passes():
    outcome = run_stack(POLICY, code_stack())
    assert outcome.violations == [] and outcome.unchecked is None


def test_the_message_names_the_object_the_rule_and_the_fix():
    assert only_violation(run_stack(POLICY, code_stack(WHOLE_BUCKET))) == (
        "Synthetics canary 'canary' deploys from s3://code-bucket/code/heartbeat.zip (a pinned version), which "
        f"code-lifecycle rule 'runs' of bucket 'code' {BOTH_EXPIRIES}. Once it is gone, creating the resource again "
        "or updating its code fails; keep deploy-time objects under a prefix that no expiring lifecycle rule "
        "filters, or narrow the rule so it cannot match them."
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(dict(filter={}), BOTH_EXPIRIES, id="empty-filter-is-the-whole-bucket"),
        pytest.param(dict(filter={"prefix": ""}), BOTH_EXPIRIES, id="empty-prefix"),
        pytest.param(dict(filter=DELETE), BOTH_EXPIRIES, id="no-filter"),
        pytest.param(dict(filter={"prefix": "code/"}), BOTH_EXPIRIES, id="prefix-of-the-code"),
        pytest.param(dict(filter={"prefix": "code/heart"}), BOTH_EXPIRIES, id="prefix-inside-the-file-name"),
        pytest.param(dict(filter=DELETE, prefix="code/"), BOTH_EXPIRIES, id="deprecated-rule-prefix"),
        pytest.param(dict(filter={"and": {"prefix": "code/"}}), BOTH_EXPIRIES, id="prefix-inside-and"),
        pytest.param(
            dict(filter={}, expiration={"days": "30"}, noncurrentVersionExpiration={"noncurrentDays": "1"}),
            BOTH_EXPIRIES,
            id="days-as-strings-the-provider-coerces",
        ),
        pytest.param(
            dict(filter={}, expiration={"date": "2026-01-01"}, noncurrentVersionExpiration=DELETE),
            "expires it on 2026-01-01",
            id="expiry-date",
        ),
        pytest.param(
            dict(filter={}, expiration=DELETE),
            "deletes its noncurrent versions 1 day after they become noncurrent",
            id="noncurrent-expiry-of-a-pinned-version",
        ),
        pytest.param(dict(filter={}, id=DELETE), "code-lifecycle rules[0] of bucket 'code'", id="rule-without-id"),
    ],
)
def test_rules_that_reach_the_code_fail(change, expected):
    assert expected in only_violation(run_stack(POLICY, code_stack(changed(RUNS_ONLY, **change))))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(dict(status="Disabled"), id="disabled"),
        pytest.param(dict(filter={"prefix": "code/other/"}), id="prefix-sharing-only-a-folder"),
        pytest.param(dict(filter={"prefix": "Code/"}), id="prefix-is-case-sensitive"),
        pytest.param(dict(filter=DELETE, prefix="runs/"), id="deprecated-rule-prefix-elsewhere"),
        pytest.param(dict(filter={"tag": {"key": "expire", "value": "yes"}}), id="tag-the-object-lacks"),
        pytest.param(
            dict(filter={"and": {"prefix": "code/", "tags": {"expire": "yes"}}}), id="and-with-a-tag-the-object-lacks"
        ),
        pytest.param(
            dict(expiration={"expiredObjectDeleteMarker": True}, noncurrentVersionExpiration=DELETE),
            id="only-expired-delete-markers",
        ),
        pytest.param(dict(expiration={"days": 0.0}, noncurrentVersionExpiration=DELETE), id="zero-days-is-unset"),
        pytest.param(
            dict(
                expiration=DELETE,
                noncurrentVersionExpiration=DELETE,
                transitions=[{"days": 30, "storageClass": "GLACIER_IR"}],
            ),
            id="transitions-only",
        ),
        pytest.param(dict(filter={"objectSizeGreaterThan": 1_000_000}), id="larger-than-the-known-content"),
        pytest.param(dict(filter={"objectSizeLessThan": "10"}), id="smaller-than-the-known-content"),
    ],
)
def test_rules_that_cannot_reach_the_code_pass(change):
    rule = changed(WHOLE_BUCKET, **change)
    script = changed(SCRIPT, content="def handler(event, context):\n    return 'ok'\n")
    outcome = run_stack(POLICY, code_stack(rule, script=script))
    assert outcome.violations == [] and outcome.unchecked is None


def test_noncurrent_expiry_spares_an_unpinned_reference_but_current_expiry_does_not():
    unpinned = changed(CANARY, s3Version=DELETE)
    noncurrent_only = changed(WHOLE_BUCKET, expiration=DELETE)
    assert run_stack(POLICY, code_stack(noncurrent_only, canary=unpinned)).violations == []
    message = only_violation(run_stack(POLICY, code_stack(WHOLE_BUCKET, canary=unpinned)))
    assert "heartbeat.zip, which" in message and "expires it 30 days after creation." in message


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        pytest.param({"tags": {"expire": "yes"}}, "expires it", id="own-tag"),
        pytest.param({"tagsAll": {"expire": "yes", "project": "ops"}}, "expires it", id="provider-default-tag"),
        pytest.param({"tags": {"expire": "no"}}, None, id="other-value"),
        pytest.param({"tags": {"expire": "no"}, "tagsAll": {"expire": "no"}}, None, id="own-value-wins"),
    ],
)
def test_tag_filters_read_the_objects_tags(tags, expected):
    rule = changed(WHOLE_BUCKET, filter={"tag": {"key": "expire", "value": "yes"}})
    outcome = run_stack(POLICY, code_stack(rule, script={**SCRIPT, **tags}))
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert expected in only_violation(outcome)


def test_what_the_stack_cannot_know_of_an_object_is_taken_to_match():
    tagged = changed(WHOLE_BUCKET, filter={"tag": {"key": "expire", "value": "yes"}})
    assert "the stack does not declare the object, so its tags are unknown and the tag filter is taken to match" in (
        only_violation(run_stack(POLICY, code_stack(tagged, script=None)))
    )
    sized = changed(WHOLE_BUCKET, filter={"objectSizeGreaterThan": 1_000_000})
    assert "its size is not known before upload, so the size filter is taken to match" in (
        only_violation(run_stack(POLICY, code_stack(sized)))
    )


INLINE = {"id": "expire", "enabled": True, "prefix": "", "expiration": {"days": 30.0}}


@pytest.mark.parametrize(
    ("bucket", "rules", "expected"),
    [
        pytest.param(
            (t.S3_BUCKET, {"lifecycleRules": [INLINE]}),
            [],
            "code lifecycleRules[0] of bucket 'code' expires it",
            id="inline",
        ),
        pytest.param(
            (t.S3_BUCKET, {"lifecycleRules": [{**INLINE, "enabled": "true"}]}),
            [],
            "expires it",
            id="inline-enabled-string",
        ),
        pytest.param((t.S3_BUCKET, {"lifecycleRules": [{**INLINE, "enabled": False}]}), [], None, id="inline-disabled"),
        pytest.param(
            (t.S3_BUCKET, {"lifecycleRules": [{**INLINE, "prefix": "runs/"}]}), [], None, id="inline-prefix-elsewhere"
        ),
        pytest.param(
            (t.S3_BUCKET, {"lifecycleRules": [{**INLINE, "tags": {"expire": "yes"}}]}),
            [],
            None,
            id="inline-tag-the-object-lacks",
        ),
        pytest.param(
            (
                t.S3_BUCKET,
                {"lifecycleRules": [{**INLINE, "expiration": DELETE, "noncurrentVersionExpiration": {"days": 1}}]},
            ),
            [],
            "deletes its noncurrent versions 1 day after",
            id="inline-noncurrent",
        ),
        pytest.param(
            (t.S3_BUCKET_V2, {"lifecycleRules": [{**INLINE, "expiration": DELETE, "expirations": [{"days": 30}]}]}),
            [],
            "expires it 30 days after creation",
            id="bucket-v2-expirations",
        ),
        pytest.param(
            (
                t.S3_BUCKET_V2,
                {"lifecycleRules": [{**INLINE, "expiration": DELETE, "noncurrentVersionExpirations": [{"days": 1}]}]},
            ),
            [],
            "deletes its noncurrent versions",
            id="bucket-v2-noncurrent",
        ),
        pytest.param(
            (t.S3_BUCKET, {}),
            [Res(t.S3_BUCKET_LIFECYCLE_V2, "lifecycle-v2", {"bucket": BUCKET, "rules": [WHOLE_BUCKET]})],
            "lifecycle-v2 rule 'runs' of bucket 'code'",
            id="lifecycle-configuration-v2",
        ),
        pytest.param(
            (t.S3_BUCKET, {"lifecycleRules": [{**INLINE, "prefix": "runs/"}]}),
            [Res(t.S3_BUCKET_LIFECYCLE, "lifecycle", {"bucket": BUCKET, "rules": [WHOLE_BUCKET]})],
            "lifecycle rule 'runs'",
            id="configuration-beside-a-harmless-inline-rule",
        ),
    ],
)
def test_every_lifecycle_spelling(bucket, rules, expected):
    type_, props = bucket
    code = Res(type_, "code", {"bucket": BUCKET, **props})
    script = Res(t.S3_OBJECT_V2, "script", SCRIPT)
    outcome = run_stack(POLICY, [code, *rules, Res(t.SYNTHETICS_CANARY, "canary", CANARY), script])
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert expected in only_violation(outcome)


FLINK = "applicationConfiguration.applicationCodeConfiguration.codeContent.s3ContentLocation"


def nested(path: str, value) -> dict:
    for part in reversed(path.split(".")):
        value = {part: value}
    return value


@pytest.mark.parametrize(
    ("type_", "props", "noun"),
    [
        (t.LAMBDA_FUNCTION, {"s3Bucket": BUCKET, "s3Key": KEY, "s3ObjectVersion": "v1"}, "Lambda function"),
        (t.LAMBDA_LAYER_VERSION, {"s3Bucket": BUCKET, "s3Key": KEY}, "Lambda layer version"),
        (t.BEANSTALK_APPLICATION_VERSION, {"bucket": BUCKET, "key": KEY}, "Elastic Beanstalk application version"),
        (t.GLUE_JOB, {"command": {"scriptLocation": f"s3://{BUCKET}/{KEY}"}}, "Glue job"),
        (
            t.FLINK_APPLICATION,
            nested(FLINK, {"bucketArn": f"arn:aws:s3:::{BUCKET}", "fileKey": KEY, "objectVersion": "v1"}),
            "Managed Flink application",
        ),
        (
            t.MSK_CONNECT_PLUGIN,
            {"location": {"s3": {"bucketArn": f"arn:aws:s3:::{BUCKET}", "fileKey": KEY}}},
            "MSK Connect custom plugin",
        ),
        (t.GAMELIFT_BUILD, {"storageLocation": {"bucket": BUCKET, "key": KEY, "roleArn": "r"}}, "GameLift build"),
        (t.GAMELIFT_SCRIPT, {"storageLocation": {"bucket": BUCKET, "key": KEY, "roleArn": "r"}}, "GameLift script"),
    ],
    ids=lambda v: v if isinstance(v, str) and v.startswith("aws:") else None,
)
def test_every_resource_that_deploys_code_from_s3(type_, props, noun):
    resources = [
        Res(t.S3_BUCKET, "code", {"bucket": BUCKET}),
        Res(t.S3_BUCKET_LIFECYCLE, "code-lifecycle", {"bucket": BUCKET, "rules": [WHOLE_BUCKET]}),
        Res(type_, "deployed", props),
    ]
    outcome = run_stack(POLICY, resources)
    assert len(outcome.violations) == 1 and outcome.violations[0].startswith(
        f"{noun} 'deployed' deploys from s3://{BUCKET}/{KEY}"
    ), outcome.violations


@pytest.mark.parametrize(
    "props",
    [
        pytest.param({"code": "archive"}, id="lambda-from-a-local-archive"),
        pytest.param({"s3Bucket": "other-bucket", "s3Key": KEY}, id="bucket-outside-the-stack"),
        pytest.param({"s3Bucket": BUCKET, "s3Key": "runs/x.zip", "packageType": "Zip"}, id="other-key"),
    ],
)
def test_references_no_rule_of_the_stack_reaches(props):
    resources = [
        Res(t.S3_BUCKET, "code", {"bucket": BUCKET}),
        Res(
            t.S3_BUCKET_LIFECYCLE,
            "code-lifecycle",
            {"bucket": BUCKET, "rules": [changed(RUNS_ONLY, filter={"prefix": "code/"})]},
        ),
        Res(t.LAMBDA_FUNCTION, "fn", props),
    ]
    outcome = run_stack(POLICY, resources)
    assert outcome.violations == [] and outcome.unchecked is None


def test_a_lifecycle_the_stack_sets_on_a_bucket_it_does_not_declare():
    resources = [
        Res(t.S3_BUCKET_LIFECYCLE, "shared-lifecycle", {"bucket": "shared-bucket", "rules": [WHOLE_BUCKET]}),
        Res(t.LAMBDA_FUNCTION, "fn", {"s3Bucket": "shared-bucket", "s3Key": KEY}),
    ]
    outcome = run_stack(POLICY, resources)
    assert (
        len(outcome.violations) == 1
        and "shared-lifecycle rule 'runs' of bucket 'shared-bucket'" in outcome.violations[0]
    )


def first_preview(rule=WHOLE_BUCKET, **canary_deps):
    """The committed layout as a first preview sends it: the lifecycle's bucket (the bucket's id) and
    the object's versionId are unknown, and the engine says what they were computed from."""
    return [
        Res(t.S3_BUCKET, "code", {"bucket": BUCKET}),
        Res(t.S3_BUCKET_LIFECYCLE, "code-lifecycle", {"bucket": UNKNOWN, "rules": [rule]}, {"bucket": ("code",)}),
        Res(t.S3_OBJECT_V2, "script", {"bucket": BUCKET, "key": KEY, "versionId": UNKNOWN}, {"bucket": ("code",)}),
        Res(
            t.SYNTHETICS_CANARY,
            "canary",
            {**CANARY, **{prop: UNKNOWN for prop in canary_deps}},
            {"s3Version": ("script",), **canary_deps},
        ),
    ]


def test_a_first_preview_is_decided_through_property_dependencies():
    assert BOTH_EXPIRIES in only_violation(run_stack(POLICY, first_preview()))
    noncurrent_only = changed(WHOLE_BUCKET, expiration=DELETE)
    assert "(a pinned version)" in only_violation(run_stack(POLICY, first_preview(noncurrent_only)))
    assert "s3://code-bucket/code/heartbeat.zip" in only_violation(
        run_stack(POLICY, first_preview(s3Bucket=("code",), s3Key=("script",)))
    )
    outcome = run_stack(POLICY, first_preview(RUNS_ONLY, s3Bucket=("code",), s3Key=("script",)))
    assert outcome.violations == [] and outcome.unchecked is None


@pytest.mark.parametrize(
    ("resources", "unchecked"),
    [
        pytest.param(
            [
                Res(t.S3_BUCKET, "code", {"bucket": BUCKET}),
                Res(t.S3_BUCKET_LIFECYCLE, "code-lifecycle", {"bucket": BUCKET, "rules": [WHOLE_BUCKET]}),
                Res(t.SYNTHETICS_CANARY, "canary", changed(CANARY, s3Bucket=UNKNOWN)),
            ],
            "canary: whether code-lifecycle rule 'runs' expires the object it deploys from is unknown until deploy",
            id="unknown-bucket-name",
        ),
        pytest.param(
            code_stack(changed(RUNS_ONLY, filter={"prefix": UNKNOWN})),
            "canary: whether code-lifecycle rule 'runs' expires",
            id="unknown-prefix",
        ),
        pytest.param(
            code_stack(changed(WHOLE_BUCKET, status=UNKNOWN)), "code-lifecycle rule 'runs'", id="unknown-status"
        ),
        pytest.param(
            code_stack(
                changed(WHOLE_BUCKET, filter={"tag": {"key": "expire", "value": "yes"}}),
                script={**SCRIPT, "tagsAll": UNKNOWN},
            ),
            "code-lifecycle rule 'runs'",
            id="default-tags-unknown",
        ),
        pytest.param(
            code_stack(changed(WHOLE_BUCKET, expiration=DELETE), canary=changed(CANARY, s3Version=UNKNOWN)),
            "code-lifecycle rule 'runs'",
            id="unknown-version-of-unknown-origin",
        ),
        pytest.param(
            [
                Res(t.S3_BUCKET, "code", {"bucket": BUCKET}),
                Res(t.S3_BUCKET_LIFECYCLE, "code-lifecycle", {"bucket": UNKNOWN, "rules": [WHOLE_BUCKET]}),
                Res(t.SYNTHETICS_CANARY, "canary", CANARY),
            ],
            "canary: whether the lifecycle configuration of bucket 'code' expires",
            id="lifecycle-bucket-of-unknown-origin",
        ),
        pytest.param(
            [
                Res(t.S3_BUCKET, "code", {"bucket": BUCKET}),
                Res(t.S3_BUCKET_LIFECYCLE, "code-lifecycle", {"bucket": BUCKET, "rules": UNKNOWN}),
                Res(t.SYNTHETICS_CANARY, "canary", CANARY),
            ],
            "canary: whether code-lifecycle rules expires",
            id="unknown-rule-list",
        ),
    ],
)
def test_unknown_values_leave_the_reference_undecided(resources, unchecked):
    outcome = run_stack(POLICY, resources)
    assert outcome.violations == []
    assert outcome.unchecked is not None and unchecked in outcome.unchecked


def test_an_unknown_value_leaves_undecided_only_the_references_it_touches():
    unknown_bucket = Res(t.LAMBDA_FUNCTION, "fn", {"s3Bucket": UNKNOWN, "s3Key": "code/fn.zip"})
    outcome = run_stack(POLICY, [*code_stack(WHOLE_BUCKET), unknown_bucket])
    assert len(outcome.violations) == 1 and outcome.violations[0].startswith("Synthetics canary 'canary'")
    assert outcome.unchecked == (
        "fn: whether code-lifecycle rule 'runs' expires the object it deploys from is unknown until deploy"
    )
    # Where no rule of the stack can reach the key, an unknown bucket decides nothing.
    scoped = run_stack(POLICY, [*code_stack(RUNS_ONLY), unknown_bucket])
    assert scoped.violations == [] and scoped.unchecked is None


def preflight_findings(capsys, stack: str, mode: str) -> list[dict]:
    code = main(["preflight", "--stack", stack, "--mode", mode, "--project-dir", str(ROOT), "--format", "json"])
    out = capsys.readouterr().out
    assert code in (0, 1)
    return [f for f in json.loads(out)["findings"] if f["policy"] == POLICY]


@pytest.mark.parametrize("mode", ["preview", "up"])
@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_committed_stacks_keep_the_canary_script(capsys, stack, mode):
    assert preflight_findings(capsys, stack, mode) == []


@pytest.mark.parametrize("mode", ["preview", "up"])
def test_the_old_layout_expired_the_canary_script(capsys, monkeypatch, mode):
    """Before: one lifecycle rule over the whole artifacts bucket, the script beside the runs."""
    monkeypatch.setattr(canaries, "RUNS_PREFIX", "")
    monkeypatch.setattr(canaries, "SCRIPT_KEY", "scripts/heartbeat.zip")
    findings = preflight_findings(capsys, "prod", mode)
    assert [(f["kind"], f["urn"].rsplit("::", 1)[-1]) for f in findings] == [("violation", "canaries-fastapi-health")]
    assert "scripts/heartbeat.zip (a pinned version)" in findings[0]["message"]
    assert BOTH_EXPIRIES in findings[0]["message"]


NATIVE_RUNS_ONLY = {
    "id": "runs",
    "status": "Enabled",
    "prefix": "runs/",
    "expirationInDays": 30,
    "noncurrentVersionExpiration": {"noncurrentDays": 1},
}


def native_code_stack(rule):
    """The canary's code in an aws-native bucket whose lifecycle rules are inline (CloudFormation's
    LifecycleConfiguration: filters and expirations at each rule's top level)."""
    bucket = {"bucketName": BUCKET, "lifecycleConfiguration": {"rules": [rule]}}
    return [
        Res("aws-native:s3:Bucket", "code", bucket),
        Res(t.SYNTHETICS_CANARY, "canary", CANARY),
        Res(t.S3_OBJECT_V2, "script", SCRIPT),
    ]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        pytest.param(NATIVE_RUNS_ONLY, None, id="expires-only-runs"),
        pytest.param(changed(NATIVE_RUNS_ONLY, prefix=DELETE), BOTH_EXPIRIES, id="expires-the-whole-bucket"),
        pytest.param(changed(NATIVE_RUNS_ONLY, prefix="code/"), BOTH_EXPIRIES, id="expires-the-code-prefix"),
        pytest.param(changed(NATIVE_RUNS_ONLY, status="Disabled", prefix=DELETE), None, id="disabled-rule"),
        pytest.param(
            changed(NATIVE_RUNS_ONLY, prefix=DELETE, tagFilters=[{"key": "kind", "value": "run"}]),
            None,
            id="tag-filter-the-code-lacks",
        ),
        pytest.param(
            changed(
                NATIVE_RUNS_ONLY, prefix=DELETE, noncurrentVersionExpiration=DELETE, noncurrentVersionExpirationInDays=1
            ),
            BOTH_EXPIRIES,
            id="older-noncurrent-spelling",
        ),
        pytest.param(
            changed(NATIVE_RUNS_ONLY, prefix=DELETE, expirationInDays=DELETE, expirationDate="2027-01-01T00:00:00Z"),
            "expires it on 2027-01-01",
            id="expiration-date",
        ),
    ],
)
def test_an_aws_native_buckets_inline_lifecycle_is_read(rule, expected):
    outcome = run_stack(POLICY, native_code_stack(rule))
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations
