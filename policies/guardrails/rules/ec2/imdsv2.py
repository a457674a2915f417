"""Instances, and the launch templates and configurations they start from, require IMDSv2 tokens.

Neither the provider nor EC2 defaults `httpTokens`: left out, the AMI's ImdsSupport or the account's
instance metadata defaults decide at launch, and without either the instance takes `optional`
(IMDSv1 allowed). An instance or Spot request started from a launch template takes the template's
metadata options when it sets none itself, so it passes when that template is in the stack (the
template is judged on its own).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ...live import LiveAudit
from ...model import ConfigRule, Guardrail, References, StackResource, StackView, Undecided, Violation
from ...props import MISSING, UNKNOWN, text
from ...vocabulary.tokens import EC2_INSTANCE, LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE, SPOT_INSTANCE_REQUEST

LABELS = {
    EC2_INSTANCE: "EC2 instance",
    SPOT_INSTANCE_REQUEST: "Spot instance request",
    LAUNCH_TEMPLATE: "Launch template",
    LAUNCH_CONFIGURATION: "Launch configuration",
}
STARTED_FROM_TEMPLATES = {EC2_INSTANCE: "instance", SPOT_INSTANCE_REQUEST: "Spot request"}
TOKENS = "metadataOptions.httpTokens"


def template_of(stack: StackView, resource: StackResource) -> StackResource | object | None:
    """The stack's launch template the resource starts from, None when it names one the stack does
    not declare, UNKNOWN while the reference cannot be told yet."""
    linked = stack.referenced(resource, "launchTemplate", LAUNCH_TEMPLATE)
    if linked:
        return linked[0]
    by_id, by_name = resource.props.peek("launchTemplate.id"), resource.props.peek("launchTemplate.name")
    if UNKNOWN in (by_id, by_name):
        return UNKNOWN
    for template in stack.of_type(LAUNCH_TEMPLATE):
        if (text(by_name) and template.props.peek("name") == by_name) or (
            text(by_id) and by_id in (template.props.peek("id"), template.props.peek("arn"))
        ):
            return template
    return None


def check(stack: StackView, config: Mapping[str, Any]) -> Iterator[Violation | Undecided]:
    for resource in stack.of_type(*LABELS):
        label = f"{LABELS[resource.type]} {resource.name!r}"
        tokens = resource.props.peek(TOKENS)
        if tokens == "required":
            continue
        if tokens is UNKNOWN:
            yield Undecided(f"{resource.name}: {TOKENS} can't be known during preview", resource.urn)
            continue
        starts_from = resource.props.peek("launchTemplate")
        if tokens is MISSING and resource.type in STARTED_FROM_TEMPLATES and starts_from is not MISSING:
            template = template_of(stack, resource)
            if template is UNKNOWN:
                yield Undecided(
                    f"{resource.name}: which launch template it starts from is unknown until deploy", resource.urn
                )
            elif template is None:
                named = resource.props.peek("launchTemplate.name") or resource.props.peek("launchTemplate.id")
                yield Violation(
                    f"{label} takes its metadata options from launch template {named!r}, which this stack does not declare; "
                    f"set {TOKENS} to required on the {STARTED_FROM_TEMPLATES[resource.type]}, or make sure that template requires IMDSv2.",
                    resource.urn,
                )
            continue
        if tokens is MISSING:
            current = "not set, so the AMI's ImdsSupport or the account's instance metadata defaults decide, and without either IMDSv1 stays allowed"
        elif tokens == "optional":
            current = "'optional', which allows IMDSv1"
        else:
            current = f"{tokens!r}, which the provider does not accept (optional or required)"
        disabled = resource.props.peek("metadataOptions.httpEndpoint") == "disabled"
        note = (
            " The metadata endpoint is disabled, but EC2.8 and EC2_IMDSV2_CHECK judge httpTokens alone."
            if disabled
            else ""
        )
        yield Violation(f"{label} {TOKENS} is {current}; set it to required.{note}", resource.urn)


GUARDRAIL = Guardrail(
    name="aws-ec2-instance-require-imdsv2",
    description="EC2 instances, Spot requests, launch templates and launch configurations require IMDSv2 (metadataOptions.httpTokens required).",
    severity="high",
    kind="stack",
    resource_types=tuple(LABELS),
    remediation_steps="Set metadata_options={http_tokens: required} (with http_endpoint enabled and a hop limit of 1, or 2 for containers) after moving any software that still calls IMDSv1 to IMDSv2-aware SDKs.",
    references=References(
        config_rule=ConfigRule("EC2_IMDSV2_CHECK", covers=(EC2_INSTANCE, SPOT_INSTANCE_REQUEST)),
        security_hub=("EC2.8", "EC2.170", "AutoScaling.3"),
        cis=("5.6 (v3.0.0)",),
        checkov=("CKV_AWS_79",),
    ),
    check=check,
    audit=LiveAudit(types=(EC2_INSTANCE, LAUNCH_TEMPLATE)),
)
