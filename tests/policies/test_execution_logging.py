"""APIGateway.1: a REST stage with */* method settings at ERROR as the baseline, then one changed
field per case: the level, the path, the join by REST API and stage name, unknowns, parameters."""

from __future__ import annotations

import pytest

from policies.guardrails.vocabulary import tokens as t
from tests.policies.harness import DELETE, UNKNOWN, Res, assert_verdict, changed, run_stack, urn_of

POLICY = "aws-apigateway-stage-enable-execution-logging"
STAGE = {"restApi": "a1b2c3", "stageName": "prod", "deployment": "d1"}
EVERY = {
    "restApi": "a1b2c3",
    "stageName": "prod",
    "methodPath": "*/*",
    "settings": {"loggingLevel": "ERROR", "metricsEnabled": True},
}


def stack(settings=EVERY, *more, stage=STAGE, deps=None):
    resources = [
        Res("aws:apigateway/restApi:RestApi", "api", {"name": "orders"}),
        Res(t.APIGATEWAY_STAGE, "stage", stage, (deps or {}).get("stage", {})),
    ]
    for i, entry in enumerate((settings, *more) if settings is not None else more):
        resources.append(
            Res(t.APIGATEWAY_METHOD_SETTINGS, f"settings-{i}", entry, (deps or {}).get(f"settings-{i}", {}))
        )
    return resources


def level(value):
    return changed(EVERY, settings=changed(EVERY["settings"], loggingLevel=value))


NO_SETTINGS = "has no method settings for */* with loggingLevel ERROR or INFO"
CASES = [
    ("baseline-error", stack(), {}, None),
    ("info", stack(level("INFO")), {}, None),
    ("off", stack(level("OFF")), {}, "(*/*) set loggingLevel 'OFF'; set it to ERROR or INFO"),
    ("level-unset", stack(changed(EVERY, settings={"metricsEnabled": True})), {}, "(*/*) set loggingLevel not set"),
    ("no-settings", stack(None), {}, NO_SETTINGS),
    ("other-stage", stack(changed(EVERY, stageName="dev")), {}, NO_SETTINGS),
    ("other-api", stack(changed(EVERY, restApi="z9y8x7")), {}, NO_SETTINGS),
    ("one-method-only", stack(changed(EVERY, methodPath="orders/GET")), {}, NO_SETTINGS),
    (
        "override-turns-one-method-off",
        stack(EVERY, changed(level("OFF"), methodPath="orders/GET")),
        {},
        "(orders/GET) set loggingLevel 'OFF'",
    ),
    (
        "override-without-logging",
        stack(EVERY, changed(EVERY, methodPath="orders/GET", settings={"cachingEnabled": True})),
        {},
        None,
    ),
    ("info-only-asked", stack(), {"loggingLevels": ["INFO"]}, "set loggingLevel 'ERROR'; set it to INFO"),
    ("level-lower-case", stack(level("error")), {}, "loggingLevel 'error'"),
    ("level-unknown", stack(level(UNKNOWN)), {}, "UNDECIDED"),
    (
        "stage-name-from-the-stage",
        stack(changed(EVERY, stageName=UNKNOWN), deps={"settings-0": {"stageName": ("stage",)}}),
        {},
        None,
    ),
    (
        "rest-api-of-the-same-api",
        stack(
            changed(EVERY, restApi=UNKNOWN),
            stage=changed(STAGE, restApi=UNKNOWN),
            deps={"stage": {"restApi": ("api",)}, "settings-0": {"restApi": ("api",)}},
        ),
        {},
        None,
    ),
    ("rest-api-unknown", stack(changed(EVERY, restApi=UNKNOWN)), {}, "UNDECIDED"),
    ("only-v2-stage-ignored", [Res(t.APIGATEWAYV2_STAGE, "http", {"apiId": "h1", "name": "$default"})], {}, None),
]


@pytest.mark.parametrize(("resources", "config", "expected"), [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_execution_logging(resources, config, expected):
    assert_verdict(run_stack(POLICY, resources, config), expected, urn_of(t.APIGATEWAY_STAGE, "stage"))


def test_the_config_rule_gets_the_levels_as_its_csv_input():
    from policies.guardrails.catalog import BY_NAME

    guardrail = BY_NAME[POLICY]
    rule = guardrail.references.config_rule
    assert rule.identifier == "API_GW_EXECUTION_LOGGING_ENABLED"
    assert rule.input_parameters(guardrail.defaults()) == {"loggingLevel": "ERROR,INFO"}


def test_a_removed_stage_name_is_no_join():
    assert NO_SETTINGS in run_stack(POLICY, stack(changed(EVERY, stageName=DELETE))).violations[0]


NATIVE_STAGE = "aws-native:apigateway:Stage"
NATIVE_EVERY = {"resourcePath": "/*", "httpMethod": "*", "loggingLevel": "ERROR", "metricsEnabled": True}


def native(*settings, **stage):
    """An aws-native REST stage with its method settings inline (CloudFormation's MethodSettings)."""
    props = {"restApiId": "a1b2c3", "stageName": "prod", "deploymentId": "d1", **stage}
    if settings:
        props["methodSettings"] = list(settings)
    return [Res(NATIVE_STAGE, "stage", props)]


NATIVE_CASES = [
    ("baseline-every-method-error", native(NATIVE_EVERY), None),
    ("info", native(changed(NATIVE_EVERY, loggingLevel="INFO")), None),
    ("off", native(changed(NATIVE_EVERY, loggingLevel="OFF")), "(*/*) set methodSettings[*].loggingLevel 'OFF'"),
    ("no-method-settings", native(), "has no method settings for */*"),
    ("one-method-only", native(changed(NATIVE_EVERY, resourcePath="/~1orders", httpMethod="GET")), "for */*"),
    (
        "override-turns-one-method-off",
        native(NATIVE_EVERY, changed(NATIVE_EVERY, resourcePath="/~1orders", httpMethod="GET", loggingLevel="OFF")),
        "(orders/GET) set methodSettings[*].loggingLevel 'OFF'",
    ),
    ("settings-unknown", native(methodSettings=UNKNOWN), "UNDECIDED"),
    ("one-entry-unknown", native(UNKNOWN), "UNDECIDED"),
    ("level-unknown", native(changed(NATIVE_EVERY, loggingLevel=UNKNOWN)), "UNDECIDED"),
    ("path-unknown", native(changed(NATIVE_EVERY, resourcePath=UNKNOWN)), "UNDECIDED"),
]


@pytest.mark.parametrize(("resources", "expected"), [pytest.param(*c[1:], id=c[0]) for c in NATIVE_CASES])
def test_aws_native_stages_are_judged_by_their_inline_method_settings(resources, expected):
    assert_verdict(run_stack(POLICY, resources), expected, urn_of(NATIVE_STAGE, "stage"))


def test_classic_method_settings_join_an_aws_native_stage_by_name():
    classic = Res(t.APIGATEWAY_METHOD_SETTINGS, "settings", EVERY)
    assert run_stack(POLICY, [*native(), classic]).violations == []
