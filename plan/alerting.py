"""Who is told: the stack's key and alerting topic, the Slack notifier and the topic that watches it,
and the billing alarm's key and topic in us-east-1 when the stack lives elsewhere."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from policies.guardrails.vocabulary.cis import BY_CONTROL, CONTROLS
from settings import Settings
from settings.model import SmsFilterSettings

from .monitors import billing
from .naming import Naming, lambda_log_group

KEY_SERVICES = ("logs", "sns", "cloudwatch", "events", "cloudtrail", "config")
"""Services the stack's key is opened to (see components/documents.py)."""
BILLING_KEY_SERVICES = ("sns", "cloudwatch")
CLOUDTRAIL_DETAIL_TYPES = ("AWS Console Sign In via CloudTrail", "AWS API Call via CloudTrail")
"""The EventBridge detail-types of CloudTrail events: console sign-ins, and API calls (plan/events.py)."""


@dataclass(frozen=True)
class Key:
    alias: str
    services: tuple[str, ...]
    region: str | None = None
    """Region of the key when not the stack's."""


@dataclass(frozen=True)
class Topic:
    name: str
    emails: tuple[str, ...] = ()
    sms_numbers: tuple[str, ...] = ()
    https_endpoints: tuple[str, ...] = ()
    region: str | None = None
    """Region of the topic when not the stack's; alarms can only notify a topic in their own region."""
    sms_filter_policy: str | None = None
    """The SMS subscriptions' SNS filter policy (JSON, applied to the message body); None: SMS gets everything."""


@dataclass(frozen=True)
class Route:
    name: str
    channel: str
    webhook_url: str
    severities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Threads:
    bot_token: str
    table: str
    """DynamoDB table of each open alarm's thread (channel, ts) and of the SNS messages delivered."""


@dataclass(frozen=True)
class Notifier:
    function_name: str
    role_name: str
    failure_queue: str
    """The SQS queue of notifications Slack never received (the function's on-failure destination)."""
    log_group: str
    """`/aws/lambda/<function_name>` (a LogGroups member), created before the function."""
    webhook_url: str
    channel: str
    username: str
    icon_emoji: str | None
    timeout_seconds: int
    retry_attempts: int
    max_event_age_seconds: int
    routes: tuple[Route, ...]
    topic: Topic
    """Where the notifier's own alarms go: email and SMS only, never the notifier itself."""
    threads: Threads | None = None
    """Posting with a bot token, each alarm's life in one thread; None: webhooks only."""


@dataclass(frozen=True)
class Escalation:
    """What a critical alarm opens besides notifying its topic, through its own ALARM actions: an
    OpsItem, and for a metric alarm an Incident Manager incident. ARNs as templates with `{partition}`,
    `{region}` and `{account}`, which the monitoring facade fills for each alarm's region."""

    ops_item_severity: int | None
    ops_item_category: str | None
    response_plan_arn: str | None

    def actions(self, *, composite: bool) -> tuple[str, ...]:
        # PutCompositeAlarm's actions take an OpsItem by severity only, and no response plan.
        found = []
        if self.ops_item_severity is not None:
            category = "" if composite else f"#CATEGORY={self.ops_item_category}"
            found.append(f"arn:{{partition}}:ssm:{{region}}:{{account}}:opsitem:{self.ops_item_severity}{category}")
        if self.response_plan_arn and not composite:
            found.append(self.response_plan_arn)
        return tuple(found)


def escalation(settings: Settings) -> Escalation | None:
    alerting = settings.alerting
    if alerting.ops_items is None and alerting.incident_response_plan_arn is None:
        return None
    items = alerting.ops_items
    return Escalation(
        items.severity if items else None, items.category if items else None, alerting.incident_response_plan_arn
    )


@dataclass(frozen=True)
class Billing:
    """A key and topic beside the billing alarm in us-east-1; none when the stack is there already."""

    key: Key
    topic: Topic


def sms_filter_policy(sms: SmsFilterSettings) -> Mapping[str, Any]:
    """What a phone is woken for, as SNS matches it on the message body. CloudWatch alarm notifications
        carry `AlarmName`, `NewStateValue` and, for a metric alarm, `Trigger.MetricName` (the CIS metric of a
        CIS alarm; composite and metric-math alarms have none). EventBridge delivers CloudTrail events whole,
        with `detail-type` and the caller in `detail.userIdentity.type`. Each part ANDs its keys, `$or` joins
        the parts: at most 5 keys and 126 combinations (counting each value `anything-but` lists), within
    SNS's 5 and 150."""
    states = ["ALARM", "OK"] if sms.recoveries else ["ALARM"]
    parts: list[dict[str, Any]] = []
    if sms.alarm_severities:
        alarms: dict[str, Any] = {
            "AlarmName": [{"suffix": f"-{s}"} for s in sms.alarm_severities],
            "NewStateValue": states,
        }
        silent = [c.name for c in CONTROLS if c.control not in sms.cis_controls]
        if silent:
            alarms["Trigger"] = {"MetricName": [{"anything-but": silent}, {"exists": False}]}
        parts.append(alarms)
    if sms.cis_controls:
        parts.append(
            {"Trigger": {"MetricName": [BY_CONTROL[c].name for c in sms.cis_controls]}, "NewStateValue": states}
        )
    if sms.root_activity:
        parts.append({"detail-type": list(CLOUDTRAIL_DETAIL_TYPES), "detail": {"userIdentity": {"type": ["Root"]}}})
    return parts[0] if len(parts) == 1 else {"$or": parts}


def alerting_topic(settings: Settings, naming: Naming) -> Topic:
    alerting = settings.alerting
    return Topic(
        naming.topic(),
        alerting.emails,
        alerting.sms_numbers,
        alerting.https_endpoints,
        sms_filter_policy=json.dumps(sms_filter_policy(alerting.sms_filter), sort_keys=True),
    )


def notifier(settings: Settings, naming: Naming, topic: Topic) -> Notifier | None:
    slack = settings.alerting.slack
    if slack is None:
        return None
    return Notifier(
        function_name=naming.notifier_function,
        role_name=naming.function_role(naming.notifier_function),
        failure_queue=naming.notifier_failure_queue,
        log_group=lambda_log_group(naming.notifier_function),
        webhook_url=slack.webhook_url,
        channel=slack.channel,
        username=slack.username,
        icon_emoji=slack.icon_emoji,
        timeout_seconds=slack.timeout_seconds,
        retry_attempts=slack.retry_attempts,
        max_event_age_seconds=slack.max_event_age_seconds,
        routes=tuple(Route(r.name, r.channel, r.webhook_url, r.severities, r.sources) for r in slack.routes),
        topic=replace(topic, name=naming.topic("notifier"), https_endpoints=()),
        threads=Threads(slack.bot_token, naming.notifier_threads_table) if slack.bot_token else None,
    )


def billing_alerting(settings: Settings, naming: Naming, topic: Topic) -> Billing | None:
    if settings.monitoring.billing is None or settings.region == billing.REGION:
        return None
    # Alarms notify topics of their own region only, and topics use keys of their region; the same subscribers.
    return Billing(
        Key(naming.key_alias("billing"), BILLING_KEY_SERVICES, region=billing.REGION),
        replace(topic, name=naming.topic("billing"), region=billing.REGION),
    )
