"""API Gateway REST stages write execution logs (ERROR or INFO) for every method.

Execution logging is set per stage by `aws:apigateway/methodSettings:MethodSettings`: `methodPath`
`*/*` sets every method of the stage, another path overrides one method. The stage is joined to its
settings by REST API and stage name (by dependency while they are unknown); an aws-native stage
carries its settings inline (`methodSettings`: ResourcePath `/*` with HttpMethod `*` sets every
method), which its provider view turns into the same method-settings resources. AWS Config's
API_GW_EXECUTION_LOGGING_ENABLED is NON_COMPLIANT when logging is off or its level is not listed
(default "ERROR,INFO"), for any method of the stage: an override turning one method OFF fails too.
checkov's CKV2_AWS_4 also asks for metricsEnabled; this guardrail judges logging only.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import (
    AwsDefault,
    ConfigRule,
    Guardrail,
    Parameter,
    References,
    StackResource,
    StackView,
    Undecided,
    Violation,
)
from ...props import MISSING, UNKNOWN, shown
from ...vocabulary.tokens import APIGATEWAY_METHOD_SETTINGS, APIGATEWAY_STAGE

LEVELS = ("OFF", "ERROR", "INFO")
EVERY_METHOD = "*/*"


def joined(settings: StackResource, stage: StackResource, prop: str, stage_prop: str) -> Any:
    """Whether `settings.prop` names the same thing as `stage.stage_prop`: True, False or UNKNOWN."""
    if stage.urn in settings.property_dependencies.get(prop, ()):
        return True  # stageName taken from the stage itself
    mine, theirs = settings.props.peek(prop), stage.props.peek(stage_prop)
    if UNKNOWN not in (mine, theirs):
        return mine == theirs and mine is not MISSING
    shared = set(settings.property_dependencies.get(prop, ())) & set(stage.property_dependencies.get(stage_prop, ()))
    return True if shared else UNKNOWN  # e.g. both the id of one RestApi


def settings_of(stack: StackView, stage: StackResource) -> tuple[list[StackResource], bool]:
    """The stage's method settings, and whether an unknown join could add more."""
    found, undecided = [], False
    for settings in stack.of_type(APIGATEWAY_METHOD_SETTINGS):
        verdicts = (
            joined(settings, stage, "restApi", "restApi"),
            joined(settings, stage, "stageName", "stageName"),
        )
        if False in verdicts:
            continue
        if UNKNOWN in verdicts:
            undecided = True
        else:
            found.append(settings)
    return found, undecided


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    allowed = tuple(config["loggingLevels"])
    wanted = " or ".join(allowed)
    for stage in stack.of_type(APIGATEWAY_STAGE):
        found, undecided = settings_of(stack, stage)
        every_method = False
        for settings in found:
            path, level = settings.props.peek("methodPath"), settings.props.peek("settings.loggingLevel")
            if UNKNOWN in (path, level):
                undecided = True
                continue
            if level in allowed:
                every_method = every_method or path == EVERY_METHOD
                continue
            if level is MISSING and path != EVERY_METHOD:
                continue  # an override that leaves logging as */* sets it
            yield Violation(
                f"API stage {stage.name!r}: method settings {settings.name!r} ({path}) set loggingLevel "
                f"{shown(level)}; set it to {wanted}.",
                stage.urn,
            )
            every_method = every_method or path == EVERY_METHOD  # reported above, once
        if every_method:
            continue
        if undecided:
            yield Undecided(
                f"{stage.name}: which method settings belong to it, or their methodPath or loggingLevel, "
                "is unknown until deploy",
                stage.urn,
            )
        else:
            yield Violation(
                f"API stage {stage.name!r} has no method settings for {EVERY_METHOD} with loggingLevel {wanted}: "
                "API Gateway writes no execution logs for it.",
                stage.urn,
            )


GUARDRAIL = Guardrail(
    name="aws-apigateway-stage-enable-execution-logging",
    description="API Gateway REST API stages write execution logs (loggingLevel ERROR or INFO) for every method.",
    severity="medium",
    kind="stack",
    resource_types=(APIGATEWAY_STAGE, APIGATEWAY_METHOD_SETTINGS),
    remediation_steps="Add an aws.apigateway.MethodSettings for the stage with methodPath '*/*' and "
    "settings.loggingLevel 'ERROR' (or 'INFO'); the account's API Gateway CloudWatch role must be set "
    "(aws.apigateway.Account).",
    references=References(
        config_rule=ConfigRule(
            "API_GW_EXECUTION_LOGGING_ENABLED",
            parameters_from={"loggingLevel": "loggingLevels"},
            covers=(APIGATEWAY_STAGE,),
        ),
        security_hub=("APIGateway.1",),
        checkov=("CKV2_AWS_4",),
    ),
    check=check,
    parameters=(
        Parameter(
            "loggingLevels",
            {
                "type": "array",
                "items": {"type": "string", "enum": list(LEVELS[1:])},
                "minItems": 1,
                "default": ["ERROR", "INFO"],
            },
            "Execution logging levels that pass.",
            AwsDefault(["ERROR", "INFO"], "APIGateway.1; API_GW_EXECUTION_LOGGING_ENABLED loggingLevel"),
        ),
    ),
    audit=LiveAudit(types=(APIGATEWAY_STAGE, APIGATEWAY_METHOD_SETTINGS)),
)
