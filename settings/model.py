"""The typed, frozen settings of one stack. Field docs feed the README's configuration reference."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from . import checks
from .access_logs import access_log_group_name
from .alarms import alarm_name
from .audit import AwsConfigSettings, EcrSettings, FlowLogSettings, TrailSettings, XRaySettings
from .monitoring import LogGroupSettings, MetricFilterSettings, MonitoringSettings, retention_days
from .schema import NO_VALUE, freeze, setting

NAMESPACE = "ops-baseline"
SAMPLE_API_LABEL = "sample-api"
SAMPLE_FUNCTION_LABEL = "sample-fn"
NOTIFIER_LABEL = "slack-notifier"


def flow_log_group_name(vpc_id: str) -> str:
    return f"/aws/vpc/flow-logs/{vpc_id}"


NOTICE_SEVERITIES = ("critical", "high", "medium", "low", "info")
"""The notifier's severities (functions/slack_notifier/notice.py), highest first."""
MAX_SLACK_ROUTES = 5
"""Each route's webhook ciphertext travels in the function's environment, which Lambda caps at 4 KB."""


@dataclass(frozen=True)
class SlackRoute:
    name: str = setting(
        "Route name, shown in the notifier's log: lowercase letters, digits and `-`.",
        check=checks.matches(checks.ROUTE_NAME, "1-30 lowercase letters, digits or -"),
    )
    channel: str = setting(
        "Channel of this route's webhook: `#name` or a channel id.",
        check=checks.slack_channel,
    )
    webhook_url: str = setting(
        "Incoming-webhook URL of this route. Secret: `pulumi config set --secret --path "
        "'alerting.slack.routes[0].webhookUrl' <url>`; only its KMS ciphertext reaches the function.",
        secret=True,
        check=checks.https_url,
    )
    severities: tuple[str, ...] = setting(
        "Severities the route takes: `critical`, `high`, `medium`, `low`, `info` (see the notifier's formats).",
        default=(),
        item_check=checks.one_of(NOTICE_SEVERITIES),
        check=checks.unique,
    )
    sources: tuple[str, ...] = setting(
        "Event sources the route takes, e.g. `aws.guardduty`, `aws.securityhub`, `aws.cloudwatch`.",
        default=(),
        item_check=checks.matches(checks.EVENT_SOURCE, "an event source like aws.guardduty"),
        check=checks.unique,
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        if not self.severities and not self.sources:
            yield "severities", NO_VALUE, "a route needs severities or sources; without either it takes nothing"


@dataclass(frozen=True)
class SlackSettings:
    channel: str = setting(
        "Slack channel the notifier posts to: `#name` or a channel id such as `C0123ABCD`. Webhooks of "
        "Slack apps post to the channel chosen when the webhook was created and ignore this.",
        check=checks.slack_channel,
    )
    webhook_url: str = setting(
        "Incoming-webhook URL. Secret: `pulumi config set --secret --path alerting.slack.webhookUrl <url>`. "
        "Only its KMS ciphertext (encryption context `LambdaFunctionName`) reaches the function.",
        secret=True,
        check=checks.https_url,
    )
    username: str = setting("Name the messages are posted under.", default="ops-baseline")
    icon_emoji: str | None = setting(
        "Emoji shown as the sender's icon, e.g. `:rotating_light:`.",
        default=None,
        check=checks.matches(checks.SLACK_EMOJI, "an emoji code like :rotating_light:"),
    )
    timeout_seconds: int = setting(
        "Lambda timeout of the notifier; Slack retries (Retry-After, backoff) happen within it.",
        default=30,
        check=checks.between(10, 900),
    )
    retry_attempts: int = setting(
        "Times Lambda re-runs a failed notification (asynchronous retries) before it goes to the failure queue.",
        default=2,
        check=checks.between(0, 2),
    )
    max_event_age_seconds: int = setting(
        "How long Lambda keeps retrying a notification before it goes to the failure queue.",
        default=21_600,
        check=checks.between(60, 21_600),
    )
    routes: tuple[SlackRoute, ...] = setting(
        "Other webhooks by severity or source, e.g. critical notices and security findings to an incident "
        "channel. The first route that takes a notice (its severity or its source listed) gets it; the rest go "
        f"to `channel`. At most {MAX_SLACK_ROUTES}.",
        default=(),
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        if len(self.routes) > MAX_SLACK_ROUTES:
            yield "routes", len(self.routes), f"at most {MAX_SLACK_ROUTES} routes fit the function's environment"
        names = [route.name for route in self.routes]
        for name in sorted({n for n in names if names.count(n) > 1}):
            yield "routes", name, "route names must be unique"


@dataclass(frozen=True)
class AlertingSettings:
    emails: tuple[str, ...] = setting(
        "Email addresses subscribed to the alerting topic (each confirms by email).",
        default=(),
        item_check=checks.matches(checks.EMAIL, "an email address like oncall@example.com"),
        check=checks.unique,
    )
    sms_numbers: tuple[str, ...] = setting(
        "Phone numbers in E.164 form (`+` country code and number, up to 15 digits) for SMS.",
        default=(),
        item_check=checks.matches(checks.E164, "an E.164 phone number like +14155550123"),
        check=checks.unique,
    )
    https_endpoints: tuple[str, ...] = setting(
        "HTTPS endpoints subscribed to the topic (they must confirm the subscription).",
        default=(),
        item_check=checks.https_url,
        check=checks.unique,
    )
    slack: SlackSettings | None = setting(
        "Slack notifications: a Lambda subscribed to the alerting topic posts every alarm and event.", default=None
    )

    @property
    def subscriber_count(self) -> int:
        return len(self.emails) + len(self.sms_numbers) + len(self.https_endpoints)


@dataclass(frozen=True)
class Settings:
    environment: str = setting(
        "Environment name, used in resource names and the `environment` tag (e.g. dev, prod).",
        check=checks.matches(
            checks.ENVIRONMENT, "lowercase letters, digits and '-', starting with a letter, at most 20 characters"
        ),
    )
    region: str = setting(
        "AWS region of the stack (the AWS provider's own key).",
        key="aws:region",
        check=checks.matches(checks.REGION, "an AWS region name like eu-west-1"),
    )
    tags: Mapping[str, str] = setting(
        "Tags added to every taggable resource, on top of project, environment and managed-by.",
        default=freeze({}),
        check=checks.aws_tags,
    )
    log_retention_days: int = setting(
        "Retention of the log groups the baseline creates, in days (0 = never expire).",
        default=14,
        check=retention_days,
    )
    alerting: AlertingSettings = setting("Who is told when an alarm fires.", default=AlertingSettings())
    monitoring: MonitoringSettings = setting(
        "Log groups, service monitors, dashboards, canaries and the billing alarm.", default=MonitoringSettings()
    )
    cloud_trail: TrailSettings = setting(
        "The multi-region CloudTrail trail, its bucket and log group, CIS alarms and EventBridge rules.",
        default=TrailSettings(),
    )
    aws_config: AwsConfigSettings = setting(
        "AWS Config recorder, delivery channel and the managed rules generated from the guardrails.",
        default=AwsConfigSettings(),
    )
    xray: XRaySettings = setting("X-Ray encryption, sampling rules and groups.", default=XRaySettings())
    ecr: EcrSettings = setting("ECR repositories and registry scanning.", default=EcrSettings())
    flow_logs: FlowLogSettings = setting("VPC flow logs to CloudWatch Logs.", default=FlowLogSettings())
    sample_workload: bool = setting(
        "Deploy the seed's sample workload (Lambda, HTTP API, secret) with its monitors; meant for dev.",
        default=False,
    )

    @property
    def resource_prefix(self) -> str:
        """Prefix of physical names (aliases, alarm names): `ops-<environment>`."""
        return f"ops-{self.environment}"

    @property
    def metrics_namespace(self) -> str:
        return self.monitoring.namespace or f"OpsBaseline/{self.environment}"

    @property
    def sample_function_name(self) -> str:
        return f"{self.resource_prefix}-{SAMPLE_FUNCTION_LABEL}"

    @property
    def trail_name(self) -> str:
        return f"{self.resource_prefix}-trail"

    @property
    def trail_log_group_name(self) -> str:
        return f"/aws/cloudtrail/{self.trail_name}"

    @property
    def notifier_function_name(self) -> str:
        return f"{self.resource_prefix}-{NOTIFIER_LABEL}"

    @property
    def sample_log_group_name(self) -> str:
        return f"/aws/lambda/{self.sample_function_name}"

    @property
    def managed_log_groups(self) -> tuple[LogGroupSettings, ...]:
        """Configured log groups, plus the HTTP APIs' access-log groups and the sample workload's groups."""
        access_logs = tuple(
            LogGroupSettings(name=access_log_group_name(api.name))
            for api in self.monitoring.http_apis
            if api.access_log_group
        )
        sample = (
            (
                # The seed's "count ERROR lines" metric filter, on the sample function's own log group.
                LogGroupSettings(
                    name=self.sample_log_group_name,
                    metric_filters=(
                        MetricFilterSettings(
                            name="sample-error-lines", pattern='{ $.level = "ERROR" }', metric_name="SampleErrorLines"
                        ),
                    ),
                ),
                LogGroupSettings(name=access_log_group_name(SAMPLE_API_LABEL)),
            )
            if self.sample_workload
            else ()
        )
        notifier = (LogGroupSettings(name=f"/aws/lambda/{self.notifier_function_name}"),) if self.alerting.slack else ()
        trail = (
            (
                LogGroupSettings(
                    name=self.trail_log_group_name,
                    retention_days=self.cloud_trail.log_retention_days,
                    metric_filters=self.cloud_trail.cis_filters(),
                ),
            )
            if self.cloud_trail.enabled
            else ()
        )
        flow_logs = tuple(
            LogGroupSettings(name=flow_log_group_name(vpc), retention_days=self.flow_logs.retention_days)
            for vpc in self.flow_logs.vpc_ids
        )
        return (*self.monitoring.log_groups, *access_logs, *sample, *notifier, *trail, *flow_logs)

    @property
    def guardrail_parameters(self) -> Mapping[str, Mapping[str, Any]]:
        """Guardrail parameters this stack decides, for the AWS Config rules generated from the catalog."""
        retentions = [
            days
            for days in (
                group.retention_days if group.retention_days is not None else self.log_retention_days
                for group in self.managed_log_groups
            )
            if days != 0
        ]
        return freeze(
            {"aws-cloudwatch-loggroup-configure-retention": {"minRetentionDays": min(retentions)}} if retentions else {}
        )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        """Log groups and alarm names must be unique; alarm names must fit CloudWatch's 255 characters."""
        if self.alerting.slack and not (self.alerting.emails or self.alerting.sms_numbers):
            yield (
                "alerting.slack",
                NO_VALUE,
                "needs at least one of alerting.emails or alerting.smsNumbers: the notifier's own alarms go "
                "there, so a broken notifier is still noticed",
            )
        configured = {group.name for group in self.monitoring.log_groups}
        for group in self.managed_log_groups[len(self.monitoring.log_groups) :]:
            if group.name in configured:
                yield (
                    "monitoring.logGroups",
                    group.name,
                    "is created by the baseline already (access logs, sample workload, Slack notifier, trail or "
                    "flow logs); remove it here",
                )
        seen: dict[str, str] = {}
        for key, resource, what, severity in self.monitoring.alarm_entries():
            name = alarm_name(self.resource_prefix, resource, what, severity)
            if name in seen:
                yield f"monitoring.{key}", name, f"alarm name is already used by monitoring.{seen[name]}"
            elif len(name) > 255:
                yield f"monitoring.{key}", name, "alarm name is longer than CloudWatch's 255 characters"
            seen.setdefault(name, key)

    @property
    def default_tags(self) -> Mapping[str, str]:
        baseline = {"project": NAMESPACE, "environment": self.environment, "managed-by": "pulumi"}
        return freeze({**baseline, **self.tags})
