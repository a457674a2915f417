"""Issue 23: BucketV2's inline blocks are lists at every level in the v7 schema
(`serverSideEncryptionConfigurations[..].rules[..].applyServerSideEncryptionByDefaults[..]`,
`versionings[..]`): each is judged, and beside separate setting resources each must pass, as on Bucket."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import UNKNOWN, Res, run_stack

KMS = "aws-s3-bucket-configure-kms-encryption"
VERSIONING = "aws-s3-bucket-enable-versioning"
KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
CUSTOMER_KEY = {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": KEY_ARN}


def encrypted(*defaults, rules=None):
    rules = (
        rules
        if rules is not None
        else [{"applyServerSideEncryptionByDefaults": list(defaults), "bucketKeyEnabled": True}]
    )
    return {"serverSideEncryptionConfigurations": [{"rules": rules}]}


BASELINE = {"bucket": "logs-bucket", **encrypted(CUSTOMER_KEY), "versionings": [{"enabled": True}]}


def bucket_v2(**changes):
    return Res(t.S3_BUCKET_V2, "logs", {k: v for k, v in {**BASELINE, **changes}.items() if v is not None})


def separate_encryption(default):
    return Res(
        t.S3_BUCKET_SSE,
        "logs-sse",
        {"bucket": "logs-bucket", "rules": [{"applyServerSideEncryptionByDefault": default}]},
    )


def separate_versioning(status):
    return Res(
        t.S3_BUCKET_VERSIONING,
        "logs-versioning",
        {"bucket": "logs-bucket", "versioningConfiguration": {"status": status}},
    )


CASES = [
    # id, policy, resources, expected message part (None: passes, UNDECIDED)
    ("encrypted-baseline", KMS, [bucket_v2()], None),
    ("dsse", KMS, [bucket_v2(**encrypted({**CUSTOMER_KEY, "sseAlgorithm": "aws:kms:dsse"}))], None),
    (
        "aes256",
        KMS,
        [bucket_v2(**encrypted({"sseAlgorithm": "AES256"}))],
        "encrypts with 'AES256' (serverSideEncryptionConfigurations[0].rules[0].applyServerSideEncryptionByDefaults[0])",
    ),
    (
        "aws-managed-key",
        KMS,
        [bucket_v2(**encrypted({"sseAlgorithm": "aws:kms"}))],
        "uses the AWS-managed key aws/s3",
    ),
    (
        "second-rule-aes256",
        KMS,
        [
            bucket_v2(
                **encrypted(
                    rules=[
                        {"applyServerSideEncryptionByDefaults": [CUSTOMER_KEY]},
                        {"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "AES256"}]},
                    ]
                )
            )
        ],
        "rules[1].applyServerSideEncryptionByDefaults[0]",
    ),
    (
        "no-encryption",
        KMS,
        [bucket_v2(serverSideEncryptionConfigurations=None)],
        "has no default encryption configuration",
    ),
    ("empty-list", KMS, [bucket_v2(serverSideEncryptionConfigurations=[])], "has no default encryption configuration"),
    (
        "inline-aes256-beside-separate-customer-key",
        KMS,
        [bucket_v2(**encrypted({"sseAlgorithm": "AES256"})), separate_encryption(CUSTOMER_KEY)],
        "encrypts with 'AES256'",
    ),
    (
        "inline-customer-key-beside-separate-aes256",
        KMS,
        [bucket_v2(), separate_encryption({"sseAlgorithm": "AES256"})],
        "encrypts with 'AES256' (logs-sse)",
    ),
    ("rules-unknown", KMS, [bucket_v2(**encrypted(rules=UNKNOWN))], "UNDECIDED"),
    ("algorithm-unknown", KMS, [bucket_v2(**encrypted({"sseAlgorithm": UNKNOWN}))], "UNDECIDED"),
    ("versioned-baseline", VERSIONING, [bucket_v2()], None),
    ("versioning-as-string", VERSIONING, [bucket_v2(versionings=[{"enabled": "true"}])], None),
    ("versioning-off", VERSIONING, [bucket_v2(versionings=[{"enabled": False}])], "has versionings[0].enabled False"),
    (
        "versioning-unreadable",
        VERSIONING,
        [bucket_v2(versionings=[{"enabled": "yes"}])],
        "which the provider cannot read",
    ),
    ("no-versioning", VERSIONING, [bucket_v2(versionings=None)], "has no versioning configuration"),
    ("versioning-unknown", VERSIONING, [bucket_v2(versionings=UNKNOWN)], "UNDECIDED"),
    (
        "inline-on-beside-separate-suspended",
        VERSIONING,
        [bucket_v2(), separate_versioning("Suspended")],
        "logs-versioning 'Suspended'",
    ),
    (
        "inline-off-beside-separate-enabled",
        VERSIONING,
        [bucket_v2(versionings=[{"enabled": False}]), separate_versioning("Enabled")],
        "versionings[0].enabled False",
    ),
]


@pytest.mark.parametrize(("policy", "resources", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_bucket_v2_spelling_is_judged(policy, resources, expected):
    outcome = run_stack(policy, resources)
    if expected is None:
        assert outcome.violations == [] and outcome.unchecked is None, outcome.violations
    elif expected == "UNDECIDED":
        assert outcome.violations == [] and outcome.unchecked, outcome.violations
    else:
        assert len(outcome.violations) == 1 and expected in outcome.violations[0], outcome.violations


def test_bucket_spells_the_same_settings_as_single_blocks():
    bucket = Res(
        t.S3_BUCKET, "logs", {"bucket": "logs-bucket", **encrypted(CUSTOMER_KEY), "versionings": [{"enabled": True}]}
    )
    assert "has no default encryption configuration" in run_stack(KMS, [bucket]).violations[0]
    assert "has no versioning configuration" in run_stack(VERSIONING, [bucket]).violations[0]
