"""Audit and compliance sections: CloudTrail with CIS alarms and event rules, AWS Config, X-Ray, ECR, flow logs."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from policies.guardrails.catalog import CATALOG
from policies.guardrails.vocabulary.cis import BY_CONTROL

from . import field_checks
from .monitoring import duplicates, retention_days
from .regions import region_problem
from .schema import NO_VALUE, config_key, default_of, freeze, setting

INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")
SNAPSHOT_FREQUENCIES = ("One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours")
CONFIG_RULE_GUARDRAILS = tuple(g.name for g in CATALOG if g.references.config_rule)
"""Guardrails that AWS Config can check at runtime with a managed rule."""
VPC_ID = re.compile(r"^vpc-[0-9a-f]{8}([0-9a-f]{9})?$")
ECR_NAME = re.compile(r"^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$")
XRAY_GROUP = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
Ownership = Literal["own", "reuse"]
"""Who provides a singleton of the account and region: `own`, this stack; `reuse`, another stack (or
Control Tower), whose settings then apply. README: Several environments in one account."""


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


# --- CloudTrail and its bucket --------------------------------------------------------------------


@dataclass(frozen=True)
class AuditBucketSettings:
    name: str | None = setting(
        "The bucket's name; null (the default): `ops-<environment>-trail-<account id>-<region>` for the trail's, "
        "`ops-<environment>-config-<account id>-<region>` for Config's. Set it to keep a bucket deployed before "
        "those names, under its name with a random suffix (S3 cannot rename a bucket; a protected one is never "
        "replaced): see CHANGELOG, Upgrading.",
        default=None,
        check=lambda v: None if v is None else field_checks.bucket_name_problem(v),
    )
    transition_days: int | None = setting(
        "Days after which objects move to S3 Glacier Instant Retrieval (null: never).",
        default=365,
        check=lambda v: None if v is None else field_checks.between(1, 36_500, "days")(v),
    )
    expiration_days: int | None = setting(
        "Days after which objects are deleted (null: kept until you delete them).",
        default=None,
        check=lambda v: None if v is None else field_checks.between(1, 36_500, "days")(v),
    )
    noncurrent_expiration_days: int = setting(
        "Days overwritten or deleted object versions are kept.",
        default=90,
        check=field_checks.between(1, 36_500, "days"),
    )
    protect: bool = setting(
        "Audit data: `pulumi destroy` refuses to delete the bucket, and removing it from the program leaves it "
        "in the account (Pulumi `protect` and `retainOnDelete`).",
        default=False,
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        if self.transition_days and self.expiration_days and self.expiration_days <= self.transition_days:
            yield (
                "expirationDays",
                self.expiration_days,
                f"must be later than transitionDays ({self.transition_days}); objects would be deleted before they move",
            )


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


# --- AWS Config -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwsConfigSettings:
    enabled: bool = setting(
        "Create the managed rules and, with `recorder: own`, the recorder and delivery channel.", default=True
    )
    recorder: Ownership = setting(
        "The region's one configuration recorder and delivery channel: `own` creates them (with their bucket "
        "and role) in this stack; `reuse` relies on the ones another stack or Control Tower owns and creates "
        "only the rules, which need that recorder to exist first.",
        default="own",
    )
    home_region: str | None = setting(
        "Region that records global resource types (IAM), in the stack's partition; defaults to this stack's region.",
        default=None,
        check=lambda v: None if v is None else region_problem(v),
    )
    daily_recording: bool = setting(
        "Record configuration changes once a day instead of continuously: at most one item per resource a "
        "day, each at four times the continuous price, so cheaper only for resources that change more than "
        "four times on the days they change (README, Cost estimate).",
        default=False,
    )
    snapshot_frequency: str = setting(
        "How often a configuration snapshot goes to the bucket.",
        default="TwentyFour_Hours",
        check=field_checks.one_of(SNAPSHOT_FREQUENCIES),
    )
    rules: tuple[str, ...] = setting(
        "Guardrails checked at runtime by their AWS Config managed rule; default all that have one.",
        default=CONFIG_RULE_GUARDRAILS,
        item_check=field_checks.one_of(CONFIG_RULE_GUARDRAILS, " (guardrails with an AWS Config rule)"),
        check=field_checks.unique,
    )
    aggregator: Literal["none", "account", "organization"] = setting(
        "Config aggregator: `account` (this account, all regions) or `organization` (needs an org role).",
        default="none",
    )
    conformance_pack: bool = setting(
        "Deploy the managed rules as one conformance pack (`opsctl conformance-pack` prints its template) "
        "instead of one rule each.",
        default=False,
    )
    organization: bool = setting(
        "Deploy the conformance pack to every account of the organization (run the stack in the management "
        "or Config delegated-administrator account); needs `conformancePack: true`.",
        default=False,
    )
    bucket: AuditBucketSettings = setting(
        "The Config delivery bucket: its name and lifecycle.", default=AuditBucketSettings()
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        if self.organization and not self.conformance_pack:
            yield "organization", True, "deploys the conformance pack to the organization; set conformancePack: true"
        if self.recorder == "reuse":
            for field in dataclasses.fields(self):
                value = getattr(self, field.name)
                if field.name in RECORDER_ONLY and value != default_of(field):
                    yield (
                        config_key(field),
                        NO_VALUE if dataclasses.is_dataclass(value) else value,
                        "configures the recorder, which this stack reuses (recorder: reuse): the owning stack's "
                        "settings apply; set it there, or set recorder: own here",
                    )


RECORDER_ONLY = ("home_region", "daily_recording", "snapshot_frequency", "bucket")
"""AwsConfigSettings fields that shape the recorder, its delivery channel and bucket, not the rules."""


# --- X-Ray ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SamplingRuleSettings:
    name: str = setting(
        "Rule name (1-32 letters, digits, '-' and '_').",
        check=field_checks.matches(XRAY_GROUP, "1-32 letters, digits, '-' and '_'"),
    )
    priority: int = setting("Lower wins; 1-9999.", check=field_checks.between(1, 9999))
    fixed_rate: float = setting("Share of requests sampled after the reservoir, 0-1.", check=field_checks.between(0, 1))
    reservoir_size: int = setting(
        "Requests per second sampled before fixedRate applies.", default=1, check=field_checks.between(0, 1e9)
    )
    service_name: str = setting("Service name to match (`*` any).", default="*")
    service_type: str = setting("Service type, e.g. `AWS::Lambda::Function` (`*` any).", default="*")
    host: str = setting("Host header to match.", default="*")
    http_method: str = setting("HTTP method to match.", default="*")
    url_path: str = setting("URL path to match, e.g. `/health*`.", default="*")
    resource_arn: str = setting("Resource ARN to match.", default="*")


@dataclass(frozen=True)
class XRayGroupSettings:
    name: str = setting(
        "Group name (1-32 letters, digits, '-' and '_').",
        check=field_checks.matches(XRAY_GROUP, "1-32 letters, digits, '-' and '_'"),
    )
    filter_expression: str = setting(
        'Filter expression, e.g. `service("orders") AND responsetime > 1`.',
        check=lambda v: None if 0 < len(v) <= 2000 else "must be 1-2000 characters",
    )


@dataclass(frozen=True)
class XRaySettings:
    enabled: bool = setting(
        "Manage sampling rules and groups and, with `encryption: own`, encrypt traces with the customer key.",
        default=True,
    )
    encryption: Ownership = setting(
        "The region's one X-Ray encryption configuration: `own` points it at this stack's key; `reuse` leaves "
        "it to the stack that owns it (traces of this stack are then encrypted with that stack's key).",
        default="own",
    )
    sampling_rules: tuple[SamplingRuleSettings, ...] = setting(
        "Sampling rules on top of X-Ray's default (1 request per second, then 5%).", default=()
    )
    groups: tuple[XRayGroupSettings, ...] = setting(
        "Groups with Insights on; one per monitored Lambda function is added automatically.", default=()
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        yield from duplicates([r.name for r in self.sampling_rules], "samplingRules")
        yield from duplicates([g.name for g in self.groups], "groups")
        priorities: dict[int, str] = {}
        for i, rule in enumerate(self.sampling_rules):
            if rule.priority in priorities:
                yield (
                    f"samplingRules[{i}].priority",
                    rule.priority,
                    f"is also the priority of {priorities[rule.priority]}; make the order explicit",
                )
            priorities.setdefault(rule.priority, rule.name)


# --- ECR and flow logs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RepositorySettings:
    name: str = setting(
        "Repository name, e.g. `orders` or `team/orders`.",
        check=field_checks.matches(ECR_NAME, "lowercase letters, digits, '.', '_', '-' and '/' (ECR naming)"),
    )
    keep_last: int = setting(
        "Newest images kept (any tag); older ones expire.", default=30, check=field_checks.between(1, 10_000)
    )
    untagged_expire_days: int = setting(
        "Days after which untagged images expire.", default=7, check=field_checks.between(1, 3650)
    )


@dataclass(frozen=True)
class EcrSettings:
    repositories: tuple[RepositorySettings, ...] = setting(
        "Repositories with scan on push, immutable tags, the customer key and a lifecycle policy.", default=()
    )
    registry_scanning: Literal["off", "basic", "enhanced"] = setting(
        "The region's one registry scanning configuration: `basic` (scan on push) or `enhanced` (Amazon "
        "Inspector) makes this stack its owner; `off` leaves it to its owner (another stack, or AWS's default).",
        default="off",
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        yield from duplicates([r.name for r in self.repositories], "repositories")


@dataclass(frozen=True)
class FlowLogSettings:
    vpc_ids: tuple[str, ...] = setting(
        "VPCs whose traffic (ALL: accepted and rejected) is logged to `/aws/vpc/flow-logs/<vpc id>`.",
        default=(),
        item_check=field_checks.matches(VPC_ID, "a VPC id like vpc-0a1b2c3d4e5f67890"),
        check=field_checks.unique,
    )
    retention_days: int | None = setting(
        "Retention of the flow-log groups; defaults to `logRetentionDays`.",
        default=None,
        check=lambda v: None if v is None else retention_days(v),
    )
