"""The catalog's invariants, the pack as the CLI starts it, and random props against every rule."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from opsctl.engine import EngineError, StackContext
from opsctl.engine.analyzer import PolicyPack, resolve_config
from policies.guardrails.catalog import CATALOG
from policies.guardrails.pack import build_policies
from policies.guardrails.profile import PROFILE
from policies.guardrails.scope import SELECTION
from tests.conftest import ROOT
from tests.policies import test_resource_rules, test_stack_rules
from tests.policies.harness import Res, run_resource, run_stack

NAME = re.compile(r"^aws-[a-z0-9]+-[a-z0-9]+-[a-z]+(-[a-z0-9]+)+$")


def test_names_are_unique_and_follow_the_convention():
    names = [g.name for g in CATALOG]
    assert len(names) == len(set(names))
    assert all(NAME.match(n) for n in names), [n for n in names if not NAME.match(n)]


@pytest.mark.parametrize("guardrail", CATALOG, ids=lambda g: g.name)
def test_metadata_is_complete(guardrail):
    assert guardrail.description.endswith(".") and len(guardrail.description) > 30
    assert guardrail.severity in ("low", "medium", "high", "critical")
    assert guardrail.remediation_steps and guardrail.resource_types
    assert all(t.startswith("aws:") and t.count(":") == 2 for t in guardrail.resource_types)
    for parameter in guardrail.parameters:
        assert "default" in parameter.schema and parameter.description


TESTED = {
    name
    for module in Path(test_stack_rules.__file__).parent.glob("test_*.py")
    for name in re.findall(r'"(aws-[a-z0-9-]+)"', module.read_text())
}


@pytest.mark.parametrize("guardrail", CATALOG, ids=lambda g: g.name)
def test_every_guardrail_has_tests(guardrail):
    assert guardrail.name in TESTED


def test_defaults_are_at_least_as_strict_as_aws():
    """With no config file, a parameter that mirrors an AWS check takes AWS's default, or a
    stricter one: an `allow...` that AWS grants and the pack does not, or a list of what to flag
    that holds all of AWS's and more."""
    mirrored = [(g.name, p) for g in CATALOG for p in g.parameters if p.aws is not None]
    assert len(mirrored) >= 10
    for name, parameter in mirrored:
        if isinstance(parameter.default, list) and parameter.default != parameter.aws.value:
            assert set(parameter.aws.value) < set(parameter.default), (name, parameter.name)
        elif parameter.default != parameter.aws.value:
            assert parameter.name.startswith("allow") and parameter.default is False, (name, parameter.name)
            assert parameter.aws.value is True and parameter.aws.source


def test_log_retention_defaults_to_the_aws_year():
    from policies.guardrails.catalog import BY_NAME

    defaults = BY_NAME["aws-cloudwatch-loggroup-configure-retention"].defaults()
    assert defaults["minRetentionDays"] == 365 and defaults["defaultRetentionDays"] == 365
    assert defaults["allowNeverExpire"] is False


def test_every_rule_becomes_a_policy_with_its_metadata():
    policies = build_policies()
    assert [p.name for p in policies] == [g.name for g in CATALOG] + [SELECTION, PROFILE]
    assert all(p.severity is not None and p.remediation_steps for p in policies)


@pytest.mark.parametrize(
    ("name", "url", "tags"),
    [
        (
            "aws-cloudwatch-loggroup-configure-retention",
            "https://docs.aws.amazon.com/config/latest/developerguide/cw-loggroup-retention-period-check.html",
            [
                "cloudwatch",
                "aws-config:CW_LOGGROUP_RETENTION_PERIOD_CHECK",
                "security-hub:CloudWatch.16",
                "checkov:CKV_AWS_66",
                "checkov:CKV_AWS_338",
            ],
        ),
        (
            "aws-sqs-queue-configure-encryption",
            "https://docs.aws.amazon.com/securityhub/latest/userguide/sqs-controls.html#sqs-1",
            ["sqs", "security-hub:SQS.1", "checkov:CKV_AWS_27", "checkov:CKV2_AWS_73"],
        ),
        ("aws-sqs-queuepolicy-disallow-public-access", None, ["sqs", "checkov:CKV_AWS_168"]),
    ],
)
def test_policies_carry_their_references_and_awss_page_for_the_same_check(name, url, tags):
    """What SARIF and Pulumi Cloud show beside a finding: the Config rule's page, else the Security Hub control's."""
    policy = next(p for p in build_policies() if p.name == name)
    assert (policy.url, policy.tags) == (url, tags)


values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=8) | st.just(UNKNOWN_STRING_VALUE),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=10,
)
prop_names = st.sampled_from(
    sorted(
        {key for _, props in test_resource_rules.BASELINES.values() for key in props}
        | {
            "name",
            "bucket",
            "rules",
            "pattern",
            "metricTransformation",
            "logGroupName",
            "recordingGroup",
            "isEnabled",
            "dimensions",
            "metricQueries",
            "alarmActions",
            "imageScanningConfiguration",
        }
    )
)
random_props = st.dictionaries(prop_names, values, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(props=random_props)
def test_no_resource_rule_raises_on_random_props(props):
    for guardrail in CATALOG:
        if guardrail.kind == "resource":
            for type_ in guardrail.resource_types:
                run_resource(guardrail.name, type_, props)  # only UnknownValueError may escape; the harness catches it


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    resources=st.lists(
        st.tuples(st.sampled_from(sorted({t for g in CATALOG for t in g.resource_types})), random_props), max_size=5
    )
)
def test_no_stack_rule_raises_on_random_stacks(resources):
    stack = [Res(type_, f"r{i}", props) for i, (type_, props) in enumerate(resources)]
    for guardrail in CATALOG:
        if guardrail.kind == "stack":
            run_stack(guardrail.name, stack)


def test_pack_config_errors_name_policy_key_value_and_allowed():
    with PolicyPack(ROOT / "policies", StackContext("ops-baseline", "dev", dry_run=True)) as pack:
        info = pack.info()
    with pytest.raises(EngineError) as raised:
        resolve_config(
            info,
            {
                "all": "strict",
                "aws-no-such-policy": "mandatory",
                "aws-cloudwatch-loggroup-configure-retention": {"minRetentionDays": 13, "minRetention": 1},
            },
            "cfg.json",
        )
    message = str(raised.value)
    assert 'cfg.json: all: "strict" is not one of advisory, mandatory, disabled, remediate' in message
    assert "unknown policy 'aws-no-such-policy'" in message
    assert (
        "aws-cloudwatch-loggroup-configure-retention.minRetentionDays: 13 — expected one of 1, 3, 5, 7, 14," in message
    )
    assert (
        "aws-cloudwatch-loggroup-configure-retention.minRetention: unknown parameter (allowed: allowNeverExpire, defaultRetentionDays, exemptions, maxRetentionDays, minRetentionDays)"
        in message
    )


@pytest.mark.slow
def test_pack_without_its_virtualenv_gets_one_from_its_own_requirements(tmp_path):
    """As the CLI launches it: from <pack>/venv, which holds only policies/requirements.txt; a pack
    checked out without one has it created first, and the user is told."""
    pack_dir = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", pack_dir, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    said: list[str] = []
    context = StackContext("ops-baseline", "dev", dry_run=True)
    with PolicyPack(pack_dir, context, constraints=ROOT / "constraints.txt", announce=said.append) as pack:
        info = pack.info()
        assert pack.command[0] == str(pack_dir / "venv" / "bin" / "python")
    assert info.name == "ops-baseline-guardrails"
    assert sorted(p.name for p in info.policies) == sorted([*(g.name for g in CATALOG), SELECTION, PROFILE])
    assert len(said) == 1 and f"creating the policy pack's virtualenv {pack_dir / 'venv'}" in said[0]
    installed = subprocess.run(
        [pack_dir / "venv" / "bin" / "python", "-m", "pip", "list", "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    names = {p["name"].lower().replace("_", "-") for p in json.loads(installed.stdout)}
    assert {"pulumi", "pulumi-policy"} <= names and not names & {"pulumi-aws", "boto3", "jsonschema"}
