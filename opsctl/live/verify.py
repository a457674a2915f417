"""`opsctl verify`: what the stack should have (its offline program run, up mode, in the live account) next
to what the account has: alarms with their actions, confirmed subscriptions, the notifier's empty
failure queue, a recording Config recorder and a logging trail that both deliver, the CIS filters,
X-Ray encryption and registry scanning. The region's singletons (recorder, delivery channel, X-Ray
encryption, registry scanning) are checked for their owner: another stack's where this stack owns
them, present and working where it reuses them. Each gap says how to close it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from plan.naming import CONFIG_RECORDER_ROLE, DELIVERY_CHANNEL_ROLE, Naming, environment_of
from policies.guardrails.spelling import counted
from policies.guardrails.vocabulary.tokens import (
    COMPOSITE_ALARM,
    CONFIG_DELIVERY_CHANNEL,
    CONFIG_RECORDER,
    ECR_REGISTRY_SCANNING,
    LOG_METRIC_FILTER,
    METRIC_ALARM,
    SQS_QUEUE,
    TRAIL,
    XRAY_ENCRYPTION,
)

from ..engine import ProgramRun, Registration
from .accounts import Account, error_code
from .inventory import pages

SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
COMPLIANCE = "ops-baseline:compliance:Compliance"
"""Planned without a recorder, the stack reuses the region's (awsConfig.recorder: reuse)."""
TRACING = "ops-baseline:tracing:Tracing"
"""Planned without an encryption config, the stack reuses the region's (xray.encryption: reuse)."""
CONTROL_TOWER = "aws-controltower-"
"""Control Tower's recorder and channel: aws-controltower-BaselineConfigRecorder, -DeliveryChannel."""
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


def region_of(registration: Registration, run: ProgramRun) -> str:
    return registration.inputs.get("region") or run.region


def named_alarms(run: ProgramRun) -> Iterator[tuple[str, Registration]]:
    """(name, alarm) of every alarm the stack plans: the provider's Check names those the program
    leaves unnamed, so an alarm without a name is one no account can hold."""
    for alarm in [*run.of_type(METRIC_ALARM), *run.of_type(COMPOSITE_ALARM)]:
        name = alarm.inputs.get("name") or alarm.inputs.get("alarmName")
        if isinstance(name, str):
            yield name, alarm


def alarms(run: ProgramRun, account: Account, now: datetime) -> Iterator[Gap]:
    planned: dict[str, dict[str, Registration]] = {}
    for name, alarm in named_alarms(run):
        planned.setdefault(region_of(alarm, run), {})[name] = alarm
    for region, wanted in planned.items():
        client = account.client("cloudwatch", region)
        names = sorted(wanted)
        live: dict[str, dict[str, Any]] = {}
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


def subscriptions(run: ProgramRun, account: Account, now: datetime) -> Iterator[Gap]:
    by_topic: dict[str, list[Registration]] = {}
    for subscription in run.of_type(SUBSCRIPTION):
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


def stack_naming(run: ProgramRun) -> Naming | None:
    """The names the stack gives, from the environment it exports; None for a run that exports none."""
    environment = run.outputs.get("environment")
    return Naming(environment.value) if environment and environment.known else None


def failure_queues(run: ProgramRun, account: Account, now: datetime) -> Iterator[Gap]:
    naming = stack_naming(run)
    for queue in run.of_type(SQS_QUEUE):
        name = queue.inputs.get("name", "")
        if naming is None or name != naming.notifier_failure_queue:
            continue
        client = account.client("sqs", region_of(queue, run))
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
                f"holds {counted(waiting, 'notification')} Slack never received",
                f"read them with aws sqs receive-message --queue-url {url}, fix the cause, then purge the queue",
            )


def stale(moment: Any, now: datetime) -> bool:
    return not isinstance(moment, datetime) or now - moment > STALE


@dataclass(frozen=True)
class ConfigPart:
    """The region's one configuration recorder or one delivery channel."""

    what: str
    role: str
    """The last part of the name a stack of this project gives it (plan/naming.py)."""
    delete: str
    """The command that deletes one named {name}."""


RECORDER = ConfigPart(
    "Config recorder",
    CONFIG_RECORDER_ROLE,
    "aws configservice delete-configuration-recorder --configuration-recorder-name {name}",
)
CHANNEL = ConfigPart(
    "Config delivery channel",
    DELIVERY_CHANNEL_ROLE,
    "aws configservice delete-delivery-channel --delivery-channel-name {name}",
)


def owned_elsewhere(part: ConfigPart, name: str, planned: str, region: str) -> Gap:
    """Another owner's recorder or channel holds the region's one place: this stack's cannot be created.
    Neither takes tags through the provider, so the name tells whose it is."""
    environment = environment_of(name, part.role)
    if environment:
        owner = f"stack {environment} of ops-baseline"
        fix = (
            f"let one stack own it: set awsConfig.recorder: reuse here, or in stack {environment} and "
            f"run `pulumi up` there first (that deletes {name})"
        )
    elif name.startswith(CONTROL_TOWER):
        owner, fix = "AWS Control Tower", "set awsConfig.recorder: reuse here; Control Tower keeps managing it"
    else:
        owner = "an owner outside ops-baseline"
        fix = (
            f"set awsConfig.recorder: reuse here to keep it, or delete it ({part.delete.format(name=name)}) "
            "and run `pulumi up`"
        )
    return Gap(
        f"{part.what} {name} ({region})",
        f"belongs to {owner}: a region has one, so this stack's {planned} cannot be created",
        fix,
    )


def owned(part: ConfigPart, live: list[str], planned: str, region: str) -> Iterator[Gap]:
    others = [name for name in live if name != planned]
    for name in others:
        yield owned_elsewhere(part, name, planned, region)
    if planned not in live and not others:
        yield Gap(f"{part.what} {planned} ({region})", "does not exist", "run `pulumi up` for the stack")


def reused(part: ConfigPart, live: list[str], region: str) -> Iterator[Gap]:
    if not live:
        yield Gap(
            f"{part.what} ({region})",
            "none in the region, though this stack reuses the region's (awsConfig.recorder: reuse): its Config "
            "rules cannot be created, and evaluate nothing, without it",
            "run `pulumi up` first for the stack that owns the region's recorder and delivery channel "
            "(awsConfig.recorder: own), or set awsConfig.recorder: own here",
        )


def recorders(run: ProgramRun, account: Account, now: datetime) -> Iterator[Gap]:
    """The region's recorder and delivery channel: this stack's when it owns them (another owner's are
    gaps), else the ones it reuses; then whether the recorder records and the channel delivers."""
    planned = next(iter(run.of_type(CONFIG_RECORDER)), None)
    if planned is None and not run.of_type(COMPLIANCE):
        return
    region = region_of(planned, run) if planned else run.region
    client = account.client("config", region)
    # Service-linked recorders (Security Hub's, for one), where listed, live beside the customer-managed one.
    live = [
        r["name"]
        for r in client.describe_configuration_recorders().get("ConfigurationRecorders", [])
        if not r.get("servicePrincipal")
    ]
    channels = [c["name"] for c in client.describe_delivery_channels().get("DeliveryChannels", [])]
    if planned:
        name = planned.inputs["name"]
        yield from owned(RECORDER, live, name, region)
        for channel in run.of_type(CONFIG_DELIVERY_CHANNEL):
            yield from owned(CHANNEL, channels, channel.inputs["name"], region)
        if name not in live:
            return
    else:
        yield from reused(RECORDER, live, region)
        yield from reused(CHANNEL, channels, region)
        if not live:
            return
        name = live[0]
    yield from recording(client, name, bool(planned), now)


def recording(client: Any, name: str, owner: bool, now: datetime) -> Iterator[Gap]:
    statuses = client.describe_configuration_recorder_status().get("ConfigurationRecordersStatus", [])
    status: dict[str, Any] = next((s for s in statuses if s["name"] == name), {})
    if not status.get("recording"):
        yield Gap(
            f"Config recorder {name}",
            "is not recording" + ("" if owner else " (this stack reuses it: its Config rules evaluate nothing)"),
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
        return
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


def trails(run: ProgramRun, account: Account, now: datetime) -> Iterator[Gap]:
    for trail in run.of_type(TRAIL):
        name, region = trail.inputs["name"], region_of(trail, run)
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


def metric_filters(run: ProgramRun, account: Account, now: datetime) -> Iterator[Gap]:
    for metric_filter in run.of_type(LOG_METRIC_FILTER):
        name, group = metric_filter.inputs["name"], metric_filter.inputs["logGroupName"]
        client = account.client("logs", region_of(metric_filter, run))
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


def xray(run: ProgramRun, account: Account, now: datetime) -> Iterator[Gap]:
    """The region's X-Ray encryption: KMS with this stack's key when the stack owns it, KMS at all when
    it reuses it."""
    planned = next(iter(run.of_type(XRAY_ENCRYPTION)), None)
    if planned is None and not run.of_type(TRACING):
        return
    region = region_of(planned, run) if planned else run.region
    live = account.client("xray", region).get_encryption_config()["EncryptionConfig"]
    if live.get("Type") != "KMS":
        if planned:
            yield Gap("X-Ray encryption", f"is {live.get('Type', 'NONE')}, not KMS", "run `pulumi up` for the stack")
        else:
            yield Gap(
                "X-Ray encryption",
                f"is {live.get('Type', 'NONE')}, though this stack reuses the region's (xray.encryption: reuse): "
                "no stack encrypts the traces with its key",
                "run `pulumi up` for the stack that owns X-Ray encryption (xray.encryption: own), or set "
                "xray.encryption: own here",
            )
        return
    if live.get("Status") not in (None, "ACTIVE"):
        yield Gap("X-Ray encryption", f"is {live['Status']}", "wait a few minutes for the key change to finish")
    if planned:
        yield from encryption_key(account.client("kms", region), run.outputs["kmsKeyAlias"].value, live["KeyId"])


def encryption_key(kms: Any, alias: str, key_id: str) -> Iterator[Gap]:
    """X-Ray's encryption configuration has no name or tags: its key tells whose it is."""
    try:
        ours = kms.describe_key(KeyId=alias)["KeyMetadata"]["Arn"]
    except kms.exceptions.NotFoundException:
        yield Gap(
            f"KMS key {alias}", "does not exist, so X-Ray cannot encrypt with it", "run `pulumi up` for the stack"
        )
        return
    try:
        theirs = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
    except ClientError:  # deleted, or another account's key this caller cannot read
        theirs, aliases = key_id, []
    else:
        aliases = [a["AliasName"] for a in pages(kms, "list_aliases", "Aliases", KeyId=theirs)]
    if theirs == ours:
        return
    environment = next(filter(None, (environment_of(a.removeprefix("alias/")) for a in aliases)), None)
    named = f" ({', '.join(aliases)})" if aliases else ""
    if environment:
        owner = f"stack {environment} of ops-baseline sets it"
        fix = f"let one stack own it: set xray.encryption: reuse here, or in stack {environment} and then "
    else:
        owner = "an owner outside ops-baseline sets it"
        fix = "set xray.encryption: reuse here to keep it, or "
    yield Gap(
        "X-Ray encryption",
        f"uses key {theirs}{named}, not this stack's {alias}: {owner}",
        # Pulumi compares the program with its state, which still holds this stack's key: refresh first.
        fix + f"run `pulumi up --refresh` here to point X-Ray at {alias}",
    )


def registry_scanning(run: ProgramRun, account: Account, now: datetime) -> Iterator[Gap]:
    """The region's one registry scanning configuration, when the stack owns it (ecr.registryScanning)."""
    for planned in run.of_type(ECR_REGISTRY_SCANNING):
        region = region_of(planned, run)
        live = account.client("ecr", region).get_registry_scanning_configuration().get("scanningConfiguration", {})
        wanted, found = planned.inputs["scanType"], live.get("scanType", "BASIC")
        rules = [
            {"scanFrequency": r.get("scanFrequency"), "repositoryFilters": r.get("repositoryFilters", [])}
            for r in live.get("rules", [])
        ]
        what = f"ECR registry scanning ({region})"
        if (found, rules) == (wanted, planned.inputs.get("rules", [])):
            continue
        if (found, rules) == ("BASIC", []):
            # Deleting the provider's resource reverts the registry to this default.
            yield Gap(
                what,
                "is AWS's default (BASIC, no rules): this stack has not set it, or a stack that owned it was removed",
                "run `pulumi up --refresh` for the stack",
            )
        else:
            yield Gap(
                what,
                f"is {found}{' with other rules' if found == wanted else ''}, not {wanted} on push of every "
                "repository: another stack or someone else set the region's one configuration",
                "let one stack per account and region set ecr.registryScanning (the others leave it off), then run "
                "`pulumi up --refresh` for that stack",
            )


Check = Callable[[ProgramRun, Account, datetime], Iterator[Gap]]
CHECKS: tuple[tuple[str, Check], ...] = (
    ("alarms", alarms),
    ("subscriptions", subscriptions),
    ("failure queues", failure_queues),
    ("Config recorder", recorders),
    ("trail", trails),
    ("CIS metric filters", metric_filters),
    ("X-Ray encryption", xray),
    ("registry scanning", registry_scanning),
)


def verify(run: ProgramRun, account: Account, now: datetime | None = None) -> list[Gap]:
    """Every gap between the program run and the account; a check the account refuses is a gap of its own."""
    now = now or datetime.now(UTC)
    gaps: list[Gap] = []
    for label, check in CHECKS:
        try:
            gaps += list(check(run, account, now))
        except (ClientError, BotoCoreError) as error:
            gaps.append(
                Gap(label, f"could not be read ({error_code(error)})", "give the caller read access", error=True)
            )
    return gaps
