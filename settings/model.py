"""The typed, frozen settings of one stack. Field docs feed the README's configuration reference."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from policies.guardrails.vocabulary.cis import BY_CONTROL

from . import field_checks
from .compliance import AwsConfigSettings
from .flow_logs import FlowLogSettings
from .monitoring import MonitoringSettings, retention_days
from .regions import partition_of, region_problem
from .registry import EcrSettings
from .schema import NO_VALUE, freeze, setting
from .tracing import XRaySettings
from .trail import TrailSettings

NAMESPACE = "ops-baseline"

NOTICE_SEVERITIES = ("critical", "high", "medium", "low", "info")
"""The notifier's severities (functions/slack_notifier/notice.py), highest first."""
MAX_SLACK_ROUTES = 5
"""Each route's webhook ciphertext travels in the function's environment, which Lambda caps at 4 KB."""
ALARM_SEVERITIES = ("critical", "warning")
"""The severities the baseline's alarm names end with (`<prefix>-<resource>-<what>-<severity>`)."""


@dataclass(frozen=True)
class SlackRoute:
    name: str = setting(
        "Route name, shown in the notifier's log: lowercase letters, digits and `-`.",
        check=field_checks.matches(field_checks.ROUTE_NAME, "1-30 lowercase letters, digits or -"),
    )
    channel: str = setting(
        "Channel of this route's webhook: `#name` or a channel id.",
        check=field_checks.slack_channel,
    )
    webhook_url: str = setting(
        "Incoming-webhook URL of this route. Secret: `pulumi config set --secret --path "
        "'alerting.slack.routes[0].webhookUrl' <url>`; only its KMS ciphertext reaches the function.",
        secret=True,
        check=field_checks.https_url,
    )
    severities: tuple[str, ...] = setting(
        "Severities the route takes: `critical`, `high`, `medium`, `low`, `info` (see the notifier's formats).",
        default=(),
        item_check=field_checks.one_of(NOTICE_SEVERITIES),
        check=field_checks.unique,
    )
    sources: tuple[str, ...] = setting(
        "Event sources the route takes, e.g. `aws.guardduty`, `aws.securityhub`, `aws.cloudwatch`.",
        default=(),
        item_check=field_checks.matches(field_checks.EVENT_SOURCE, "an event source like aws.guardduty"),
        check=field_checks.unique,
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        if not self.severities and not self.sources:
            yield "severities", NO_VALUE, "a route needs severities or sources; without either it takes nothing"


@dataclass(frozen=True)
class SlackSettings:
    channel: str = setting(
        "Slack channel the notifier posts to: `#name` or a channel id such as `C0123ABCD`. Webhooks of "
        "Slack apps post to the channel chosen when the webhook was created and ignore this.",
        check=field_checks.slack_channel,
    )
    webhook_url: str = setting(
        "Incoming-webhook URL. Secret: `pulumi config set --secret --path alerting.slack.webhookUrl <url>`. "
        "Only its KMS ciphertext (encryption context `LambdaFunctionName`) reaches the function.",
        secret=True,
        check=field_checks.https_url,
    )
    username: str = setting("Name the messages are posted under.", default="ops-baseline")
    icon_emoji: str | None = setting(
        "Emoji shown as the sender's icon, e.g. `:rotating_light:`.",
        default=None,
        check=field_checks.matches(field_checks.SLACK_EMOJI, "an emoji code like :rotating_light:"),
    )
    timeout_seconds: int = setting(
        "Lambda timeout of the notifier; Slack retries (Retry-After, backoff) happen within it.",
        default=30,
        check=field_checks.between(10, 900),
    )
    retry_attempts: int = setting(
        "Times Lambda re-runs a failed notification (asynchronous retries) before it goes to the failure queue.",
        default=2,
        check=field_checks.between(0, 2),
    )
    max_event_age_seconds: int = setting(
        "How long Lambda keeps retrying a notification before it goes to the failure queue.",
        default=21_600,
        check=field_checks.between(60, 21_600),
    )
    routes: tuple[SlackRoute, ...] = setting(
        "Other webhooks by severity or source, e.g. critical notices and security findings to an incident "
        "channel. The first route that takes a notice (its severity or its source listed) gets it; the rest go "
        f"to `channel`. At most {MAX_SLACK_ROUTES}.",
        default=(),
    )
    bot_token: str | None = setting(
        "Bot token (`xoxb-…`) of a Slack app with the `chat:write` scope, invited to every channel: the notifier "
        "then posts with the Web API and keeps each alarm's life in one thread (see Slack notifications). "
        "`channel` and every route's `channel` must then be channel ids; the webhooks stay as the fallback. "
        "Secret: `pulumi config set --secret --path alerting.slack.botToken <token>`. Only its KMS ciphertext "
        "(encryption context `SlackBotToken`) reaches the function.",
        default=None,
        secret=True,
        check=field_checks.slack_bot_token,
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        if self.bot_token is not None:
            if not field_checks.SLACK_CHANNEL_ID.match(self.channel):
                yield "channel", self.channel, f"must be {field_checks.SLACK_CHANNEL_ID_NOTE}"
            for index, route in enumerate(self.routes):
                if not field_checks.SLACK_CHANNEL_ID.match(route.channel):
                    yield f"routes[{index}].channel", route.channel, f"must be {field_checks.SLACK_CHANNEL_ID_NOTE}"
        if len(self.routes) > MAX_SLACK_ROUTES:
            yield "routes", len(self.routes), f"at most {MAX_SLACK_ROUTES} routes fit the function's environment"
        names = [route.name for route in self.routes]
        for name in sorted({n for n in names if names.count(n) > 1}):
            yield "routes", name, "route names must be unique"


@dataclass(frozen=True)
class SmsFilterSettings:
    alarm_severities: tuple[str, ...] = setting(
        "Alarms texted when they enter ALARM, by the severity their name ends with: `critical`, `warning`; "
        "[] texts none. CIS alarms follow cisControls instead.",
        default=("critical",),
        item_check=field_checks.one_of(ALARM_SEVERITIES),
        check=field_checks.unique,
    )
    cis_controls: tuple[str, ...] = setting(
        "CIS alarms (CloudWatch.1-14 and CIS.4.15, all named `…-critical`) that text when they enter ALARM; the rest go to "
        "email, HTTPS and Slack only. CloudWatch.1 (root usage) also sees root access-key calls, and texts a "
        "root sign-in a second time.",
        default=(),
        item_check=field_checks.one_of(BY_CONTROL),
        check=field_checks.unique,
    )
    recoveries: bool = setting("Also text when those alarms return to OK.", default=False)
    root_activity: bool = setting(
        "Text the root user's console sign-ins and API calls that the event rules send.", default=True
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        alarms = self.alarm_severities or self.cis_controls
        if not alarms and not self.root_activity:
            yield (
                "alarmSeverities",
                [],
                "with cisControls [] and rootActivity false, SMS would receive nothing; list critical and/or "
                "warning, or drop alerting.smsNumbers",
            )
        elif not alarms and self.recoveries:
            yield "recoveries", True, "texts recoveries of the alarms in alarmSeverities and cisControls, both empty"


OPS_ITEM_CATEGORIES = ("Availability", "Cost", "Performance", "Recovery", "Security")
RESPONSE_PLAN_ARN = re.compile(r"^arn:aws[a-z-]*:ssm-incidents::\d{12}:response-plan/[A-Za-z0-9_-]{1,200}$")


@dataclass(frozen=True)
class OpsItemSettings:
    severity: int = setting(
        "OpsItem severity: 1 (critical), 2 (high), 3 (medium) or 4 (low).", default=2, check=field_checks.between(1, 4)
    )
    category: Literal["Availability", "Cost", "Performance", "Recovery", "Security"] = setting(
        "OpsItem category: " + ", ".join(f"`{c}`" for c in OPS_ITEM_CATEGORIES) + ".", default="Availability"
    )


@dataclass(frozen=True)
class AlertingSettings:
    emails: tuple[str, ...] = setting(
        "Email addresses subscribed to the alerting topic (each confirms by email).",
        default=(),
        item_check=field_checks.matches(field_checks.EMAIL, "an email address like oncall@example.com"),
        check=field_checks.unique,
    )
    sms_numbers: tuple[str, ...] = setting(
        "Phone numbers in E.164 form (`+` country code and number, up to 15 digits) for SMS.",
        default=(),
        item_check=field_checks.matches(field_checks.E164, "an E.164 phone number like +14155550123"),
        check=field_checks.unique,
    )
    sms_filter: SmsFilterSettings = setting(
        "What SMS subscribers receive, as an SNS filter policy on the message body: by default only "
        "alarms named `…-critical` entering ALARM (CIS alarms aside) and the root user's activity. Email, "
        "HTTPS and Slack receive everything.",
        default=SmsFilterSettings(),
    )
    https_endpoints: tuple[str, ...] = setting(
        "HTTPS endpoints subscribed to the topic (they must confirm the subscription).",
        default=(),
        item_check=field_checks.https_url,
        check=field_checks.unique,
    )
    slack: SlackSettings | None = setting(
        "Slack notifications: a Lambda subscribed to the alerting topic posts every alarm and event.", default=None
    )
    ops_items: OpsItemSettings | None = setting(
        "Critical alarms also open a Systems Manager OpsItem in OpsCenter, through their own ALARM actions "
        "(composite alarms with the severity only: PutCompositeAlarm takes no category).",
        default=None,
    )
    incident_response_plan_arn: str | None = setting(
        "Critical metric alarms also start an Incident Manager incident from this response plan of the stack's "
        "account (composite alarms cannot: PutCompositeAlarm takes no response plan).",
        default=None,
        check=field_checks.matches(
            RESPONSE_PLAN_ARN, "a response plan ARN like arn:aws:ssm-incidents::123456789012:response-plan/outage"
        ),
    )

    @property
    def subscriber_count(self) -> int:
        return len(self.emails) + len(self.sms_numbers) + len(self.https_endpoints)


@dataclass(frozen=True)
class Settings:
    environment: str = setting(
        "Environment name, used in resource names and the `environment` tag (e.g. dev, prod).",
        check=field_checks.matches(
            field_checks.ENVIRONMENT, "lowercase letters, digits and '-', starting with a letter, at most 20 characters"
        ),
    )
    region: str = setting(
        "AWS region of the stack (the AWS provider's own key): a region of botocore's partitions list, opt-in "
        "regions included.",
        key="aws:region",
        check=region_problem,
    )
    tags: Mapping[str, str] = setting(
        "Tags added to every taggable resource, on top of project, environment and managed-by.",
        default=freeze({}),
        check=field_checks.aws_tags,
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

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        home = self.aws_config.home_region
        if home and partition_of(home) != partition_of(self.region):
            yield (
                "awsConfig.homeRegion",
                home,
                f"is in partition {partition_of(home)}, the stack's region {self.region} in {partition_of(self.region)}: "
                "a recorder records global types for its own partition only; pick a region of "
                f"{partition_of(self.region)}",
            )
