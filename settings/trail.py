"""The CloudTrail section: the multi-region trail, its bucket and log group, the CIS filters and alarms,
and the EventBridge rules on the events it delivers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policies.guardrails.vocabulary.cis import BY_CONTROL

from . import field_checks
from .audit_buckets import AuditBucketSettings
from .monitoring import retention_days
from .schema import NO_VALUE, freeze, setting

INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")


EVENT_RULE_NAMES = (
    "security-group-changes",
    "root-sign-in",
    "iam-policy-changes",
    "trail-stopped",
    "config-stopped",
    "kms-key-disabled-or-deleted",
    "config-non-compliant",
)
"""EventBridge rules a stack can select; their patterns are the plan's (plan/events.py)."""


@dataclass(frozen=True)
class CisControlSettings:
    enabled: bool = setting("Create this control's metric filter and alarm.", default=True)
    threshold: float = setting(
        "Matches in 5 minutes that raise the alarm.", default=1.0, check=field_checks.between(1, 1e9)
    )


@dataclass(frozen=True)
class TrailSettings:
    enabled: bool = setting("Create the multi-region trail, its bucket, log group and CIS alarms.", default=True)
    log_retention_days: int | None = setting(
        "Retention of the trail's CloudWatch log group; defaults to `logRetentionDays`.",
        default=None,
        check=lambda v: None if v is None else retention_days(v),
    )
    s3_data_events: bool = setting(
        "Record S3 object-level (data) events of all buckets (charged per event).", default=False
    )
    lambda_data_events: bool = setting("Record Lambda Invoke (data) events of all functions.", default=False)
    insights: tuple[str, ...] = setting(
        "CloudTrail Insights types: `ApiCallRateInsight`, `ApiErrorRateInsight`.",
        default=(),
        item_check=field_checks.one_of(INSIGHT_TYPES),
        check=field_checks.unique,
    )
    organization: bool = setting(
        "Make it an organization trail (deploy from the management or delegated admin account).", default=False
    )
    bucket: AuditBucketSettings = setting(
        "The trail's S3 bucket: its name and lifecycle.", default=AuditBucketSettings()
    )
    cis_controls: Mapping[str, CisControlSettings] = setting(
        "Per-control overrides of the CIS filters and alarms, keyed `CloudWatch.<n>` (Security Hub CloudWatch.1–14) "
        "or `CIS.4.15` (AWS Organizations changes, which Security Hub has no control for).",
        default=freeze({}),
    )
    cis_dashboard: bool = setting("A dashboard `<prefix>-cis` with the 15 CIS metrics.", default=False)
    event_rules: tuple[str, ...] = setting(
        f"EventBridge rules to the alerting topic; default all: {', '.join(EVENT_RULE_NAMES)}. "
        "`config-non-compliant` is on whenever `awsConfig` is, listed or not.",
        default=EVENT_RULE_NAMES,
        item_check=field_checks.one_of(EVENT_RULE_NAMES),
        check=field_checks.unique,
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        needs_trail = [r for r in self.event_rules if r != "config-non-compliant"]
        if not self.enabled and needs_trail:
            yield (
                "eventRules",
                list(needs_trail),
                "match CloudTrail events, which EventBridge only receives while a trail logs; keep "
                "cloudTrail.enabled or set eventRules to [] or [config-non-compliant]",
            )
        for key in self.cis_controls:
            if key not in BY_CONTROL:
                yield (
                    f"cisControls.{key}",
                    NO_VALUE,
                    f"unknown CIS control; allowed: {', '.join(BY_CONTROL)}",
                )
