"""A policy config that passes the schema but contradicts itself is refused, by the pack in Configure
(as `pulumi preview` runs it, which stops there) and by opsctl before the run, with the same words;
schema problems are reported once per place, in the config's own spelling; misspelt names get a
did-you-mean."""

from __future__ import annotations

import json

import grpc
import pytest

from opsctl.cli import main
from opsctl.engine import EngineError, ProgramRun
from opsctl.engine.analyzer import resolve_config
from policies.guardrails.catalog import CATALOG
from policies.guardrails.scope import SELECTION
from policies.guardrails.serve import analyzer_info
from tests.conftest import ROOT
from tests.pulumi_cli import PulumiPreview

RETENTION = "aws-cloudwatch-loggroup-configure-retention"
INVERTED_BOUNDS = f"{RETENTION}: minRetentionDays 400 is above maxRetentionDays 365, so no log group could pass"
NO_LOW_CIS = "ops-baseline-selection: no guardrail has severity low and a reference in cis"
SELECTION_TYPO = (
    "ops-baseline-selection.policies[0]: unknown guardrail 'aws-cloudwatch-loggroup-configur-retention'; "
    f"did you mean '{RETENTION}'?"
)

CONTRADICTIONS = [
    pytest.param({RETENTION: {"minRetentionDays": 400, "maxRetentionDays": 365}}, INVERTED_BOUNDS, id="min-above-max"),
    pytest.param(
        {RETENTION: {"enforcementLevel": "disabled", "minRetentionDays": 3653, "maxRetentionDays": 1}},
        f"{RETENTION}: minRetentionDays 3653 is above maxRetentionDays 1",
        id="even-when-disabled",
    ),
    pytest.param(
        {RETENTION: {"maxRetentionDays": 30}},
        f"{RETENTION}: minRetentionDays 365 is above maxRetentionDays 30",
        id="max-below-default-min",
    ),
    pytest.param({SELECTION: {"severities": ["low"], "frameworks": ["cis"]}}, NO_LOW_CIS, id="selection-keeps-none"),
    pytest.param(
        {SELECTION: {"policies": ["aws-cloudwatch-loggroup-configur-retention"]}}, SELECTION_TYPO, id="selection-typo"
    ),
]


@pytest.fixture(scope="module")
def info():
    return analyzer_info()


@pytest.mark.parametrize(("config", "problem"), CONTRADICTIONS)
def test_opsctl_refuses_a_contradictory_config(info, config, problem):
    with pytest.raises(EngineError) as raised:
        resolve_config(info, config, "cfg.json")
    assert f"cfg.json: {problem}" in str(raised.value)


@pytest.mark.parametrize(("config", "problem"), CONTRADICTIONS)
def test_the_pack_refuses_it_in_configure_as_pulumi_preview_sends_it(tmp_path, config, problem):
    """The CLI validates types, fills in defaults and calls Configure; the pack's refusal stops the
    preview before the program runs, with the pack's message."""
    config_file = tmp_path / "policy.json"
    config_file.write_text(json.dumps(config))
    plan = ProgramRun("ops-baseline", "dev", "preview", "123456789012", "eu-west-1", [])
    preview = PulumiPreview(ROOT / "policies", config_file, plan, aws_version="7.0.0")
    with pytest.raises(grpc.RpcError) as raised:
        preview.run()
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert problem in raised.value.details()
    assert preview.calls[-1] == "Configure" and "Analyze" not in preview.calls


def test_consistent_bounds_and_selections_pass(info):
    resolved = resolve_config(
        info,
        {
            RETENTION: {"minRetentionDays": 365, "maxRetentionDays": 365},
            SELECTION: {"severities": ["low"], "frameworks": ["checkov"], "policies": [RETENTION]},
        },
        "cfg.json",
    )
    assert resolved[RETENTION][0] != "disabled"


def test_preflight_stops_on_a_contradictory_config_naming_it(capsys, tmp_path):
    config = tmp_path / "inverted.json"
    config.write_text(json.dumps({RETENTION: {"minRetentionDays": 400, "maxRetentionDays": 365}}))
    code = main(["preflight", "--stack", "dev", "--project-dir", str(ROOT), "--policy-config", str(config)])
    captured = capsys.readouterr()
    assert code == 2 and f"{config}: {INVERTED_BOUNDS}" in captured.err
    assert "outside the allowed" not in captured.out + captured.err


def problems_of(info, config) -> list[str]:
    with pytest.raises(EngineError) as raised:
        resolve_config(info, config, "cfg.json")
    return str(raised.value).splitlines()[1:]


def test_a_wrong_type_is_reported_once_with_the_allowed_values_as_written(info):
    problems = problems_of(info, {RETENTION: {"minRetentionDays": "400"}})
    assert problems == [
        f'  - cfg.json: {RETENTION}.minRetentionDays: "400" — expected a number, one of 1, 3, 5, 7, 14, 30, 60, '
        "90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653"
    ]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        pytest.param(
            {"aws-eks-cluster-enable-control-plane-logging": {"requiredLogTypes": ["audt", 3]}},
            [
                'aws-eks-cluster-enable-control-plane-logging.requiredLogTypes[0]: "audt" — expected one of "api", '
                '"audit", "authenticator", "controllerManager", "scheduler"',
                "aws-eks-cluster-enable-control-plane-logging.requiredLogTypes[1]: 3 — expected one of",
            ],
            id="each-bad-item-once",
        ),
        pytest.param(
            {"aws-ec2-securitygroup-disallow-public-admin-ports": {"ports": [22, "ssh"]}},
            ['aws-ec2-securitygroup-disallow-public-admin-ports.ports[1]: "ssh" — expected a whole number'],
            id="integer-items",
        ),
        pytest.param(
            {"aws-secretsmanager-secret-enable-rotation": {"maxDaysSinceRotation": 0}},
            ["aws-secretsmanager-secret-enable-rotation.maxDaysSinceRotation: 0 — 0 is less than the minimum of 1"],
            id="bounds-without-floats",
        ),
        pytest.param(
            {RETENTION: {"allowNeverExpire": "yes"}},
            [f'{RETENTION}.allowNeverExpire: "yes" — expected true or false'],
            id="boolean",
        ),
    ],
)
def test_each_schema_problem_once_per_place(info, entry, expected):
    problems = problems_of(info, entry)
    assert len(problems) == len(expected), problems
    for line, part in zip(problems, expected, strict=True):
        assert part in line
    assert not any(".0" in line for line in problems), problems


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        pytest.param(
            {"aws-cloudwatch-loggroup-configure-retenton": "mandatory"},
            f"unknown policy 'aws-cloudwatch-loggroup-configure-retenton'; did you mean '{RETENTION}'? the pack "
            f"ops-baseline-guardrails has {len(CATALOG)} guardrails and the settings ops-baseline-selection, "
            "ops-baseline-profile",
            id="policy-name",
        ),
        pytest.param(
            {"ops-baseline-selecton": {"severities": ["high"]}},
            "unknown policy 'ops-baseline-selecton'; did you mean 'ops-baseline-selection'?",
            id="settings-entry",
        ),
        pytest.param(
            {SELECTION: {"policies": ["aws-cloudwatch-loggroup-configur-retention"]}}, SELECTION_TYPO, id="selection"
        ),
    ],
)
def test_a_misspelt_name_gets_did_you_mean(info, config, expected):
    assert any(expected in line for line in problems_of(info, config))
