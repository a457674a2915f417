"""`opsctl verify`: what the stack should have (its offline plan, up mode, in the live account) next
to what the account has: alarms with their actions, confirmed subscriptions, the notifier's empty
failure queue, a recording Config recorder and a logging trail that both deliver, the CIS filters,
X-Ray encryption. Each gap says how to close it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from policies.guardrails.tokens import (
    COMPOSITE_ALARM,
    CONFIG_RECORDER,
    LOG_METRIC_FILTER,
    METRIC_ALARM,
    SQS_QUEUE,
    TRAIL,
    XRAY_ENCRYPTION,
)

from ..engine import Plan, Registration
from .accounts import Account, error_code

SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
STALE = timedelta(hours=25)
"""A recorder or trail that has not delivered for longer than a day and an hour is not delivering."""
SETTLING = timedelta(hours=1)
"""A trail started less than this long ago may not have delivered yet."""


@dataclass(frozen=True)
class Gap:
    what: str
    problem: str
    fix: str
    error: bool = False
    """The account could not be read for this check (access denied, an API failure)."""


def region_of(registration: Registration, plan: Plan) -> str:
    return registration.inputs.get("region") or plan.region


def alarms(plan: Plan, account: Account, now: datetime) -> Iterator[Gap]:
    planned: dict[str, dict[str, Registration]] = {}
    for alarm in [*plan.of_type(METRIC_ALARM), *plan.of_type(COMPOSITE_ALARM)]:
        name = alarm.inputs.get("name") or alarm.inputs.get("alarmName")
        planned.setdefault(region_of(alarm, plan), {})[name] = alarm
    for region, wanted in planned.items():
        client = account.client("cloudwatch", region)
        names, live = sorted(wanted), {}
        for start in range(0, len(names), 100):
            answer = client.describe_alarms(
                AlarmNames=names[start : start + 100], AlarmTypes=["MetricAlarm", "CompositeAlarm"]
            )
            live |= {a["AlarmName"]: a for a in [*answer.get("MetricAlarms", []), *answer.get("CompositeAlarms", [])]}
        for name, alarm in sorted(wanted.items()):
            found = live.get(name)
            if found is None:
                yield Gap(f"alarm {name} ({region})", "does not exist", "run `pulumi up` for the stack")
                continue
            if found.get("ActionsEnabled") is False:
                yield Gap(
                    f"alarm {name}",
                    "has its actions disabled",
                    f"aws cloudwatch enable-alarm-actions --alarm-names {name}",
                )
            for key, api in (("alarmActions", "AlarmActions"), ("okActions", "OKActions")):
                missing = set(alarm.inputs.get(key) or ()) - set(found.get(api, ()))
                if missing:
                    yield Gap(
                        f"alarm {name}", f"{api} lack {', '.join(sorted(missing))}", "run `pulumi up` for the stack"
                    )


def subscriptions(plan: Plan, account: Account, now: datetime) -> Iterator[Gap]:
    by_topic: dict[str, list[Registration]] = {}
    for subscription in plan.of_type(SUBSCRIPTION):
        by_topic.setdefault(subscription.inputs["topic"], []).append(subscription)
    for topic, wanted in by_topic.items():
        region = topic.split(":")[3]
        client = account.client("sns", region)
        try:
            pages = client.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=topic)
            live = [s for page in pages for s in page["Subscriptions"]]
        except client.exceptions.NotFoundException:
            yield Gap(f"topic {topic.rsplit(':', 1)[-1]} ({region})", "does not exist", "run `pulumi up` for the stack")
            live = []
        for subscription in wanted:
            protocol, endpoint = subscription.inputs["protocol"], subscription.inputs["endpoint"]
            match = next((s for s in live if s["Protocol"] == protocol and s["Endpoint"] == endpoint), None)
            what = f"{protocol} subscription {endpoint} to {topic.rsplit(':', 1)[-1]}"
            if match is None:
                yield Gap(what, "does not exist", "run `pulumi up` for the stack")
            elif match["SubscriptionArn"] in ("PendingConfirmation", "Deleted"):
                yield Gap(
                    what,
                    "waits for confirmation: nothing is delivered to it until then",
                    "the recipient confirms through the link AWS sent; to resend it, run "
                    f"aws sns subscribe --topic-arn {topic} --protocol {protocol} --notification-endpoint {endpoint}",
                )


def failure_queues(plan: Plan, account: Account, now: datetime) -> Iterator[Gap]:
    for queue in plan.of_type(SQS_QUEUE):
        name = queue.inputs.get("name", "")
        if not name.endswith("-undelivered"):
            continue
        client = account.client("sqs", region_of(queue, plan))
        try:
            url = client.get_queue_url(QueueName=name)["QueueUrl"]
        except client.exceptions.QueueDoesNotExist:
            yield Gap(f"queue {name}", "does not exist", "run `pulumi up` for the stack")
            continue
        waiting = int(
            client.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"][
                "ApproximateNumberOfMessages"
            ]
        )
        if waiting:
            yield Gap(
                f"queue {name}",
                f"holds {waiting} notification(s) Slack never received",
                f"read them with aws sqs receive-message --queue-url {url}, fix the cause, then purge the queue",
            )


def stale(moment: Any, now: datetime) -> bool:
    return not isinstance(moment, datetime) or now - moment > STALE


def recorders(plan: Plan, account: Account, now: datetime) -> Iterator[Gap]:
    for recorder in plan.of_type(CONFIG_RECORDER):
        name, region = recorder.inputs["name"], region_of(recorder, plan)
        client = account.client("config", region)
        statuses = client.describe_configuration_recorder_status().get("ConfigurationRecordersStatus", [])
        status = next((s for s in statuses if s["name"] == name), None)
        if status is None:
            yield Gap(f"Config recorder {name} ({region})", "does not exist", "run `pulumi up` for the stack")
            continue
        if not status.get("recording"):
            yield Gap(
                f"Config recorder {name}",
                "is not recording",
                f"aws configservice start-configuration-recorder --configuration-recorder-name {name} (or opsctl audit --fix)",
            )
        elif status.get("lastStatus") == "Failure":
            yield Gap(
                f"Config recorder {name}",
                f"last recording failed ({status.get('lastErrorCode', '')})",
                "check the recorder's role",
            )
        try:
            channels = client.describe_delivery_channel_status().get("DeliveryChannelsStatus", [])
        except (ClientError, BotoCoreError) as error:
            yield Gap(
                "Config delivery channels",
                f"could not be read ({error_code(error)})",
                "give the caller config:DescribeDeliveryChannelStatus",
                error=True,
            )
            continue
        for channel in channels:
            delivery = channel.get("configHistoryDeliveryInfo", {})
            if delivery.get("lastStatus") == "Failure" or (
                status.get("recording") and stale(delivery.get("lastSuccessfulTime"), now)
            ):
                yield Gap(
                    f"Config delivery channel {channel['name']}",
                    f"has not delivered since {delivery.get('lastSuccessfulTime', 'it was created')}"
                    + (f" ({delivery['lastErrorCode']})" if delivery.get("lastErrorCode") else ""),
                    "check the delivery bucket's policy and key",
                )


def trails(plan: Plan, account: Account, now: datetime) -> Iterator[Gap]:
    for trail in plan.of_type(TRAIL):
        name, region = trail.inputs["name"], region_of(trail, plan)
        client = account.client("cloudtrail", region)
        try:
            status = client.get_trail_status(Name=name)
        except client.exceptions.TrailNotFoundException:
            yield Gap(f"trail {name} ({region})", "does not exist", "run `pulumi up` for the stack")
            continue
        if not status.get("IsLogging"):
            yield Gap(
                f"trail {name}", "is not logging", f"aws cloudtrail start-logging --name {name} (or opsctl audit --fix)"
            )
            continue
        if status.get("LatestDeliveryError"):
            yield Gap(
                f"trail {name}",
                f"cannot deliver: {status['LatestDeliveryError']}",
                "check the trail bucket's policy and key",
            )
        started = status.get("StartLoggingTime")
        if isinstance(started, datetime) and now - started > SETTLING and stale(status.get("LatestDeliveryTime"), now):
            yield Gap(
                f"trail {name}",
                f"has not delivered since {status.get('LatestDeliveryTime', 'it started')}",
                "check the trail bucket's policy and key",
            )


def metric_filters(plan: Plan, account: Account, now: datetime) -> Iterator[Gap]:
    for metric_filter in plan.of_type(LOG_METRIC_FILTER):
        name, group = metric_filter.inputs["name"], metric_filter.inputs["logGroupName"]
        client = account.client("logs", region_of(metric_filter, plan))
        try:
            live = client.describe_metric_filters(logGroupName=group, filterNamePrefix=name)["metricFilters"]
        except client.exceptions.ResourceNotFoundException:
            live = []
        found = next((f for f in live if f["filterName"] == name), None)
        if found is None:
            yield Gap(f"metric filter {name} on {group}", "does not exist", "run `pulumi up` for the stack")
        elif found.get("filterPattern") != metric_filter.inputs["pattern"]:
            yield Gap(
                f"metric filter {name}", "has a pattern other than the planned one", "run `pulumi up` for the stack"
            )


def xray(plan: Plan, account: Account, now: datetime) -> Iterator[Gap]:
    for config in plan.of_type(XRAY_ENCRYPTION):
        if config.inputs.get("type") != "KMS":
            continue
        live = account.client("xray", region_of(config, plan)).get_encryption_config()["EncryptionConfig"]
        if live.get("Type") != "KMS":
            yield Gap("X-Ray encryption", f"is {live.get('Type', 'NONE')}, not KMS", "run `pulumi up` for the stack")
        elif live.get("Status") not in (None, "ACTIVE"):
            yield Gap("X-Ray encryption", f"is {live['Status']}", "wait a few minutes for the key change to finish")


Check = Callable[[Plan, Account, datetime], Iterator[Gap]]
CHECKS: tuple[tuple[str, Check], ...] = (
    ("alarms", alarms),
    ("subscriptions", subscriptions),
    ("failure queues", failure_queues),
    ("Config recorder", recorders),
    ("trail", trails),
    ("CIS metric filters", metric_filters),
    ("X-Ray encryption", xray),
)


def verify(plan: Plan, account: Account, now: datetime | None = None) -> list[Gap]:
    """Every gap between plan and account; a check the account refuses is a gap of its own."""
    now = now or datetime.now(UTC)
    gaps: list[Gap] = []
    for label, check in CHECKS:
        try:
            gaps += list(check(plan, account, now))
        except (ClientError, BotoCoreError) as error:
            gaps.append(
                Gap(label, f"could not be read ({error_code(error)})", "give the caller read access", error=True)
            )
    return gaps
