"""EventBridge rules: high-signal API calls through CloudTrail, and Config compliance changes, each
sent to the alerting topic. A stack selects them by name (`cloudTrail.eventRules`); the compliance
rule is on wherever AWS Config is, since it is the only way compliance changes reach people.

Events of global services reach EventBridge in one region only, `GLOBAL_EVENTS_REGION`: IAM API
calls, and the root user's console sign-ins (CloudTrail records a root sign-in in us-east-1 whatever
the endpoint). Rules that match them are marked `global_service`; a stack elsewhere forwards their
events from there (plan/trail.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

GLOBAL_EVENTS_REGION = "us-east-1"
"""Where AWS delivers the events of global services (IAM, root sign-in) to EventBridge."""


@dataclass(frozen=True)
class EventRule:
    name: str
    description: str
    pattern: Mapping[str, Any]
    global_service: bool = False
    """Its events reach EventBridge in `GLOBAL_EVENTS_REGION` only."""


def _api_calls(source: str, *names: str) -> Mapping[str, Any]:
    return {
        "source": [source],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {"eventName": list(names)},
    }


EVENT_RULES: tuple[EventRule, ...] = (
    EventRule(
        "security-group-changes",
        "Security group created, deleted or its rules changed.",
        _api_calls(
            "aws.ec2",
            "AuthorizeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "RevokeSecurityGroupIngress",
            "RevokeSecurityGroupEgress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup",
        ),
    ),
    EventRule(
        "root-sign-in",
        "The root user signed in to the console.",
        {
            "detail-type": ["AWS Console Sign In via CloudTrail"],
            "detail": {"userIdentity": {"type": ["Root"]}},
        },
        global_service=True,
    ),
    EventRule(
        "iam-policy-changes",
        "IAM policies created, changed, attached or detached.",
        _api_calls(
            "aws.iam",
            "CreatePolicy",
            "DeletePolicy",
            "CreatePolicyVersion",
            "DeletePolicyVersion",
            "PutRolePolicy",
            "DeleteRolePolicy",
            "PutUserPolicy",
            "DeleteUserPolicy",
            "PutGroupPolicy",
            "DeleteGroupPolicy",
            "AttachRolePolicy",
            "DetachRolePolicy",
            "AttachUserPolicy",
            "DetachUserPolicy",
            "AttachGroupPolicy",
            "DetachGroupPolicy",
        ),
        global_service=True,
    ),
    EventRule(
        "trail-stopped",
        "A trail was stopped, deleted or changed.",
        _api_calls("aws.cloudtrail", "StopLogging", "DeleteTrail", "UpdateTrail"),
    ),
    EventRule(
        "config-stopped",
        "AWS Config recording or delivery was stopped or removed.",
        _api_calls(
            "aws.config",
            "StopConfigurationRecorder",
            "DeleteConfigurationRecorder",
            "DeleteDeliveryChannel",
        ),
    ),
    EventRule(
        "kms-key-disabled-or-deleted",
        "A KMS key was disabled or scheduled for deletion.",
        _api_calls("aws.kms", "DisableKey", "ScheduleKeyDeletion"),
    ),
    EventRule(
        "config-non-compliant",
        "An AWS Config rule found a resource non-compliant.",
        {
            "source": ["aws.config"],
            "detail-type": ["Config Rules Compliance Change"],
            "detail": {"newEvaluationResult": {"complianceType": ["NON_COMPLIANT"]}},
        },
    ),
)


COMPLIANCE_CHANGES = "config-non-compliant"


def selected(names: tuple[str, ...]) -> tuple[EventRule, ...]:
    """The rules a stack selected (`cloudTrail.eventRules`, whose choices are these rules' names)."""
    return tuple(rule for rule in EVENT_RULES if rule.name in names)
