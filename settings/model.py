"""The typed, frozen settings of one stack. Field docs feed the README's configuration reference."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from policies.guardrails.aws_limits import LOG_RETENTION_DAYS, NEVER_EXPIRE

from . import checks
from .schema import freeze, setting

NAMESPACE = "ops-baseline"


@dataclass(frozen=True)
class SlackSettings:
    channel: str = setting(
        "Slack channel the notifier posts to: `#name` or a channel id such as `C0123ABCD`.",
        check=checks.matches(checks.SLACK_CHANNEL, "#lowercase-name or a channel id like C0123ABCD"),
    )
    username: str = setting("Name the messages are posted under.", default="ops-baseline")
    webhook_url: str | None = setting(
        "Incoming-webhook URL. Secret: `pulumi config set --secret --path alerting.slack.webhookUrl <url>`.",
        default=None,
        secret=True,
        check=checks.https_url,
    )


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
    slack: SlackSettings | None = setting("Slack notifications (channel, username, webhook).", default=None)

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
        check=checks.one_of(
            (NEVER_EXPIRE, *LOG_RETENTION_DAYS), " (CloudWatch Logs retention values; 0 = never expire)"
        ),
    )
    alerting: AlertingSettings = setting("Who is told when an alarm fires.", default=AlertingSettings())

    @property
    def resource_prefix(self) -> str:
        """Prefix of physical names (aliases, alarm names): `ops-<environment>`."""
        return f"ops-{self.environment}"

    @property
    def default_tags(self) -> Mapping[str, str]:
        baseline = {"project": NAMESPACE, "environment": self.environment, "managed-by": "pulumi"}
        return freeze({**baseline, **self.tags})
