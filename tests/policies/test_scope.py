"""Exemptions (per guardrail, with a reason and an optional expiry) and the pack-wide selection by
severity, framework or name: in the rules, through the analyzer protocol, and in opsctl's config
checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from opsctl.engine import EngineError, StackContext
from opsctl.engine.analyzer import LEVEL_NAMES, PolicyPack, resolve_config
from opsctl.engine.mocks import Registration
from policies.guardrails.catalog import CATALOG
from policies.guardrails.scope import EXEMPTED_LINE, SELECTION, selected
from policies.guardrails.vocabulary import tokens as t
from tests.conftest import ROOT
from tests.policies.harness import Res, run_resource, run_stack

TODAY = datetime.now(UTC).date()
LATER = (TODAY + timedelta(days=30)).isoformat()
EARLIER = (TODAY - timedelta(days=1)).isoformat()
ROTATION = "aws-kms-key-enable-key-rotation"


def exempt(resource, **extra):
    return {"exemptions": [{"resource": resource, "reason": "legacy key, rotated by hand", **extra}]}


@pytest.mark.parametrize(
    ("exemption", "exempted"),
    [
        (exempt("r"), True),
        (exempt("r", expires=LATER), True),
        (exempt("legacy-*"), False),
        (exempt("r*"), True),
        (exempt("urn:pulumi:test::ops-baseline::aws:kms/key:Key::*"), True),
        (exempt("*::aws:s3/bucket:Bucket::*"), False),
    ],
    ids=["by-name", "until-a-later-date", "other-name", "name-wildcard", "urn-wildcard", "urn-of-another-type"],
)
def test_an_exempted_finding_is_reported_as_exempted(exemption, exempted):
    outcome = run_resource(ROTATION, t.KMS_KEY, {"enableKeyRotation": False}, exemption)
    if exempted:
        assert outcome.violations == []
        match = EXEMPTED_LINE.match(outcome.not_applicable)
        assert match and match.group(2).startswith("KMS key enableKeyRotation is False")
        assert match.group(3) == "legacy key, rotated by hand"
    else:
        assert len(outcome.violations) == 1 and outcome.not_applicable is None


def test_an_expired_exemption_is_a_violation_again():
    outcome = run_resource(ROTATION, t.KMS_KEY, {"enableKeyRotation": False}, exempt("r", expires=EARLIER))
    assert outcome.not_applicable is None
    assert outcome.violations == [
        f"KMS key enableKeyRotation is False; set it true. (The exemption for 'r' expired on {EARLIER}: legacy key, rotated by hand.)"
    ]


def test_a_compliant_resource_needs_no_exemption():
    outcome = run_resource(ROTATION, t.KMS_KEY, {"enableKeyRotation": True}, exempt("r"))
    assert outcome.violations == [] and outcome.not_applicable is None


def test_stack_exemptions_excuse_only_the_resources_they_name():
    buckets = [Res(t.S3_BUCKET, "legacy", {"bucket": "legacy"}), Res(t.S3_BUCKET, "fresh", {"bucket": "fresh"})]
    outcome = run_stack("aws-s3-bucket-enable-versioning", buckets, exempt("legacy"))
    assert outcome.urns == ["urn:pulumi:test::ops-baseline::aws:s3/bucket:Bucket::fresh"]
    [line] = outcome.not_applicable.splitlines()
    assert line.startswith("exempted urn:pulumi:test::ops-baseline::aws:s3/bucket:Bucket::legacy: S3 bucket 'legacy'")


def test_a_stack_wide_finding_can_be_exempted():
    outcome = run_stack("aws-cfg-recorder-record-all-resources", [], exempt("*", expires=LATER))
    assert outcome.violations == []
    assert EXEMPTED_LINE.match(outcome.not_applicable).group(1) == "stack"


@pytest.mark.parametrize(
    ("selection", "names"),
    [
        ({}, None),
        ({"severities": ["critical"]}, {g.name for g in CATALOG if g.severity == "critical"}),
        ({"frameworks": ["cis"]}, {g.name for g in CATALOG if g.references.cis}),
        (
            {"severities": ["critical", "high"], "frameworks": ["security-hub"]},
            {g.name for g in CATALOG if g.severity in ("critical", "high") and g.references.security_hub},
        ),
        (
            {"severities": ["critical"], "policies": ["aws-lambda-function-monitor-errors"]},
            {g.name for g in CATALOG if g.severity == "critical"} | {"aws-lambda-function-monitor-errors"},
        ),
        ({"policies": ["aws-kms-key-enable-key-rotation"]}, {"aws-kms-key-enable-key-rotation"}),
    ],
    ids=[
        "everything",
        "critical-only",
        "cis-only",
        "critical-and-high-in-security-hub",
        "critical-plus-one",
        "one-by-name",
    ],
)
def test_selection(selection, names):
    chosen = {g.name for g in CATALOG if selected(g, selection)}
    assert chosen == (names if names is not None else {g.name for g in CATALOG})


@pytest.fixture(scope="module")
def info():
    with PolicyPack(ROOT / "policies", StackContext("ops-baseline", "dev", dry_run=True)) as pack:
        yield pack.info()


def test_opsctl_disables_what_the_selection_leaves_out(info):
    resolved = resolve_config(info, {"all": "mandatory", SELECTION: {"severities": ["critical"]}}, "cfg.json")
    for guardrail in CATALOG:
        assert resolved[guardrail.name][0] == ("mandatory" if guardrail.severity == "critical" else "disabled")


def test_the_pack_applies_the_selection_itself(info):
    """Under the real CLI nothing but the pack reads the selection: Configure disables the rest."""
    with PolicyPack(ROOT / "policies", StackContext("ops-baseline", "dev", dry_run=True)) as pack:
        config = {k: v for k, v in resolve_config(info, {"all": "mandatory"}, "cfg").items()}
        config[SELECTION] = ("advisory", {"severities": ["critical"], "frameworks": [], "policies": []})
        pack.configure(config)
        key = Registration(
            urn="urn:pulumi:dev::ops-baseline::aws:kms/key:Key::k",
            type=t.KMS_KEY,
            name="k",
            parent=None,
            custom=True,
            inputs={"enableKeyRotation": False, "bypassPolicyLockoutSafetyCheck": True},
        )
        found = {(d.policyName, LEVEL_NAMES[d.enforcementLevel]) for d in pack.analyze(key, key.inputs).diagnostics}
    # The lockout check is critical and stays; rotation is medium and is left out.
    assert found == {("aws-kms-key-disallow-bypass-policy-lockout-safety-check", "mandatory")}


def test_bad_scope_config_lists_every_problem(info):
    with pytest.raises(EngineError) as raised:
        resolve_config(
            info,
            {
                SELECTION: {"severities": ["urgent"], "frameworks": ["pci"]},
                "aws-no-such-policy": "advisory",
                ROTATION: {
                    "exemptions": [
                        {"resource": "legacy", "reason": "old", "expires": EARLIER},
                        {"resource": "legacy", "reason": "old", "expires": "2027-02-30"},
                        {"resource": "legacy", "expires": LATER},
                        {"resource": " legacy", "reason": "spaces"},
                        {"resource": "stack::aws:kms/key:Key::x", "reason": "not a URN"},
                        {"resource": "legacy", "reason": "old", "until": LATER},
                    ]
                },
            },
            "cfg.json",
        )
    message = str(raised.value)
    for part in (
        'ops-baseline-selection.severities[0]: "urgent" — expected one of "low", "medium", "high", "critical"',
        'ops-baseline-selection.frameworks[0]: "pci" — expected one of "aws-config", "checkov", "cis", "security-hub"',
        "unknown policy 'aws-no-such-policy'",
        f"aws-kms-key-enable-key-rotation.exemptions[0].expires: {EARLIER} is in the past",
        "exemptions[1].expires: '2027-02-30' is not a calendar date",
        "'reason' is a required property",
        "exemptions[3].resource: ' legacy'",
        "exemptions[4].resource: 'stack::aws:kms/key:Key::x'",
        "Additional properties are not allowed ('until' was unexpected)",
    ):
        assert part in message, (part, message)
