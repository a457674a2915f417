"""A month in the account, as the stack's publishers would see it: alarm state changes, the CloudTrail
events EventBridge delivers, and what AWS Config streams (configuration items, rule evaluations,
snapshot and history deliveries, compliance changes).

The volumes are stated assumptions (`ACTIVITIES`, `BREACHES`, the Config figures below), the same for
every stack, so forecasts compare; what a stack makes of them depends only on its own wiring. Each
happening carries the message its publisher sends: CloudWatch's alarm notification, the EventBridge
event, Config's notification, in the shapes AWS documents.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass
from typing import Any

from opsctl.cost.counting import (
    CHANGES_PER_RESOURCE,
    CONFIG_FREQUENCY_HOURS,
    CONFORMANCE_PACKS,
    in_scope,
    of_types,
    packed_rules,
    recorded,
    region_of,
)
from opsctl.cost.counting import (
    Resource as CountedResource,
)
from plan.events import GLOBAL_EVENTS_REGION
from policies.guardrails.vocabulary.cis import BY_CONTROL, CONTROLS

from .wiring import Alarm, Resource, Wiring, name_of

DAYS = 30
BREACHES = {"critical": 1, "warning": 3}
"""Assumed breaches a month per alarm, by the severity its name ends with (others: 1); each breach
is one ALARM and one OK notification. Warnings sit nearer normal load, so they cross more often."""
OTHER_BREACHES = 1
NON_COMPLIANT_A_MONTH = 4
"""Resources that turn NON_COMPLIANT under one of the stack's Config rules (and are fixed: COMPLIANT
again) in a month."""
HISTORY_DELIVERIES = DAYS * 4
"""Config delivers configuration history files every six hours."""
SIGN_IN = "AWS Console Sign In via CloudTrail"
API_CALL = "AWS API Call via CloudTrail"


@dataclass(frozen=True)
class Activity:
    """What people and deploys do in the account in a month, as CloudTrail records it."""

    what: str
    source: str
    calls: tuple[str, ...]
    """Event names, taken in turn."""
    _: KW_ONLY
    events: int
    bursts: int
    """The events come in this many bursts of a few minutes (a deploy, a console session): each burst
    is one breach of the CIS alarm that counts them (Sum >= 1 over 300 s)."""
    cis: str = ""
    """The CIS control (CloudWatch.N) whose metric filter counts these events."""
    global_service: bool = False
    identity: str = "AssumedRole"
    error: str = ""
    """Error code of a denied call, or `Failed authentication` for a failed sign-in."""


ACTIVITIES: tuple[Activity, ...] = (
    Activity(
        "security-group changes",
        "aws.ec2",
        (
            "AuthorizeSecurityGroupIngress",
            "RevokeSecurityGroupIngress",
            "AuthorizeSecurityGroupEgress",
            "CreateSecurityGroup",
            "DeleteSecurityGroup",
        ),
        events=20,
        bursts=8,
        cis="CloudWatch.10",
    ),
    Activity(
        "IAM policy changes",
        "aws.iam",
        ("PutRolePolicy", "AttachRolePolicy", "CreatePolicyVersion", "DetachRolePolicy", "DeletePolicyVersion"),
        events=30,
        bursts=10,
        cis="CloudWatch.4",
        global_service=True,
    ),
    Activity(
        "other EC2 changes", "aws.ec2", ("RunInstances", "TerminateInstances", "CreateTags"), events=60, bursts=20
    ),
    Activity("IAM roles created", "aws.iam", ("CreateRole",), events=4, bursts=4, global_service=True),
    Activity(
        "console sign-ins with MFA",
        "aws.signin",
        ("ConsoleLogin",),
        events=120,
        bursts=120,
        global_service=True,
        identity="IAMUser",
    ),
    Activity(
        "console sign-in failures",
        "aws.signin",
        ("ConsoleLogin",),
        events=4,
        bursts=4,
        cis="CloudWatch.6",
        global_service=True,
        identity="IAMUser",
        error="Failed authentication",
    ),
    Activity(
        "root console sign-ins",
        "aws.signin",
        ("ConsoleLogin",),
        events=1,
        bursts=1,
        cis="CloudWatch.1",
        global_service=True,
        identity="Root",
    ),
    Activity(
        "denied API calls",
        "aws.ec2",
        ("TerminateInstances",),
        events=15,
        bursts=10,
        cis="CloudWatch.2",
        error="Client.UnauthorizedOperation",
    ),
    Activity(
        "KMS keys scheduled for deletion", "aws.kms", ("ScheduleKeyDeletion",), events=1, bursts=1, cis="CloudWatch.7"
    ),
    Activity("trail updates by a deploy", "aws.cloudtrail", ("UpdateTrail",), events=1, bursts=1, cis="CloudWatch.5"),
    Activity("S3 bucket policy changes", "aws.s3", ("PutBucketPolicy",), events=3, bursts=2, cis="CloudWatch.8"),
    Activity(
        "route table changes", "aws.ec2", ("CreateRoute", "ReplaceRoute"), events=2, bursts=1, cis="CloudWatch.13"
    ),
)


@dataclass(frozen=True)
class Happening:
    source: str
    """`cloudwatch` (an alarm changed state), `events` (an event on the default bus) or `config`
    (a notification AWS Config streams to its delivery channel's topic, if it has one)."""
    region: str
    body: Mapping[str, Any]
    """What the publisher sends: the alarm notification, the event, Config's notification (each
    stamped with its day of the month)."""


def month_of(wiring: Wiring, resources: Sequence[Resource]) -> list[Happening]:
    """The assumed month as the stack's publishers see it."""
    # A CIS alarm (known by its metric) breaches once per burst of the events it counts, else never.
    counted = {control.name: 0 for control in CONTROLS}
    for activity in ACTIVITIES:
        if activity.cis:
            counted[BY_CONTROL[activity.cis].name] += activity.bursts
    happenings = [event for activity in ACTIVITIES for event in cloudtrail_events(activity, wiring)]
    for alarm in wiring.alarms:
        breaches = counted.get(alarm.metric[1], breaches_of(alarm.name))
        happenings += [h for n in range(breaches) for h in breach(alarm, wiring.account, day=n * DAYS // breaches)]
    for recorder in of_types(resources, "aws:cfg/recorder:Recorder"):
        happenings += config_month(recorder, resources, region_of(recorder, wiring.region), wiring.account)
    return happenings


def severity(alarm_name: str) -> str:
    return next((s for s in BREACHES if alarm_name.endswith(f"-{s}")), "other")


def breaches_of(alarm_name: str) -> int:
    return BREACHES.get(severity(alarm_name), OTHER_BREACHES)


def breach(alarm: Alarm, account: str, *, day: int = 0) -> tuple[Happening, Happening]:
    """An alarm entering ALARM and returning to OK, as CloudWatch notifies each."""
    return (
        alarm_notice(alarm, account, "ALARM", "OK", day),
        alarm_notice(alarm, account, "OK", "ALARM", day),
    )


def alarm_notice(alarm: Alarm, account: str, state: str, previous: str, day: int) -> Happening:
    namespace, metric = alarm.metric
    body: dict[str, Any] = {
        "AlarmName": alarm.name,
        "AlarmDescription": "",
        "AWSAccountId": account,
        "NewStateValue": state,
        "OldStateValue": previous,
        "NewStateReason": "Threshold Crossed" if state == "ALARM" else "Threshold no longer crossed",
        "StateChangeTime": f"{timestamp(day)}.000+0000",
        "Region": alarm.region,
        "AlarmArn": f"arn:aws:cloudwatch:{alarm.region}:{account}:alarm:{alarm.name}",
        "AlarmActions": [],
        "OKActions": [],
        "InsufficientDataActions": [],
        "Trigger": {"Namespace": namespace, "MetricName": metric} if metric else {},
    }
    return Happening("cloudwatch", alarm.region, body)


def timestamp(day: int, second: int = 0) -> str:
    return f"2026-11-{day % DAYS + 1:02d}T{9 + second // 3600 % 10:02d}:{second // 60 % 60:02d}:{second % 60:02d}"


def cloudtrail_events(activity: Activity, wiring: Wiring) -> Iterator[Happening]:
    region = GLOBAL_EVENTS_REGION if activity.global_service else wiring.region
    for n in range(activity.events):
        day = n * DAYS // activity.events
        sign_in = activity.source == "aws.signin"
        identity: dict[str, Any] = {"type": activity.identity, "accountId": wiring.account}
        if activity.identity == "Root":
            identity["arn"] = f"arn:aws:iam::{wiring.account}:root"
        else:
            identity["arn"] = f"arn:aws:sts::{wiring.account}:assumed-role/platform-deployer/session-{n}"
        detail: dict[str, Any] = {
            "eventVersion": "1.09",
            "userIdentity": identity,
            "eventTime": f"{timestamp(day, n)}Z",
            "eventSource": f"{activity.source.removeprefix('aws.')}.amazonaws.com",
            "eventName": activity.calls[n % len(activity.calls)],
            "awsRegion": region,
            "sourceIPAddress": "198.51.100.7",
            "eventID": f"{activity.source}-{n:04d}",
            "eventType": "AwsConsoleSignIn" if sign_in else "AwsApiCall",
        }
        if sign_in:
            failed = activity.error == "Failed authentication"
            detail["responseElements"] = {"ConsoleLogin": "Failure" if failed else "Success"}
            detail["additionalEventData"] = {"MFAUsed": "Yes"}
            if failed:
                detail["errorMessage"] = activity.error
        elif activity.error:
            detail["errorCode"] = activity.error
        event = {
            "version": "0",
            "id": f"{activity.source}-{n:04d}",
            "detail-type": SIGN_IN if sign_in else API_CALL,
            "source": activity.source,
            "account": wiring.account,
            "time": f"{timestamp(day, n)}Z",
            "region": region,
            "resources": [],
            "detail": detail,
        }
        yield Happening("events", region, event)


def resource_type(type_token: str) -> str:
    """`aws:sns/topic:Topic` → `AWS::SNS::Topic`, near enough to Config's names for a notification."""
    module, _, name = type_token.split(":", 1)[1].partition("/")
    return f"AWS::{module.upper()}::{name.rsplit(':', 1)[-1]}"


def config_month(recorder: Resource, resources: Sequence[Resource], region: str, account: str) -> list[Happening]:
    """What the recorder's account streams in a month: a configuration item per change of each recorded
    resource (CHANGES_PER_RESOURCE, as the cost estimate assumes), an evaluation start per periodic run
    and per change a change-triggered rule looks at, snapshot and history deliveries, and the
    compliance changes, each also an EventBridge event."""

    def notice(message_type: str, day: int, **fields: Any) -> Happening:
        body = {
            **fields,
            "messageType": message_type,
            "notificationCreationTime": f"{timestamp(day)}.000Z",
            "recordVersion": "1.3",
        }
        return Happening("config", region, body)

    changed = [r for r in recorded(recorder, resources) for _ in range(CHANGES_PER_RESOURCE)]
    happenings = [
        notice(
            "ConfigurationItemChangeNotification",
            n * DAYS // max(len(changed), 1),
            configurationItem={
                "resourceType": resource_type(r.type),
                "resourceId": r.name,
                "awsRegion": region,
                "awsAccountId": account,
                "configurationItemStatus": "OK",
            },
        )
        for n, r in enumerate(changed)
    ]
    rules: list[tuple[str, CountedResource]] = [(name_of(r), r) for r in of_types(resources, "aws:cfg/rule:Rule")]
    rules += [(r.name, r) for pack in of_types(resources, *CONFORMANCE_PACKS) for r in packed_rules(pack)]
    for name, rule in rules:
        targets, periodic = in_scope(rule, resources)
        frequency = rule.inputs.get("maximumExecutionFrequency")
        if periodic or frequency in CONFIG_FREQUENCY_HOURS:
            starts = DAYS * 24 // CONFIG_FREQUENCY_HOURS.get(frequency or "", 24)
        else:
            starts = len(targets) * CHANGES_PER_RESOURCE if targets is not None else 1
        happenings += [
            notice("ConfigRulesEvaluationStarted", n * DAYS // starts, configRuleNames=[name], awsRegion=region)
            for n in range(starts)
        ]
    for channel in of_types(resources, "aws:cfg/deliveryChannel:DeliveryChannel"):
        properties = channel.inputs.get("snapshotDeliveryProperties") or {}
        hours = CONFIG_FREQUENCY_HOURS.get(properties.get("deliveryFrequency", ""), 24)
        for n in range(DAYS * 24 // hours):
            day = n * hours // 24
            happenings += [
                notice(kind, day)
                for kind in ("ConfigurationSnapshotDeliveryStarted", "ConfigurationSnapshotDeliveryCompleted")
            ]
    happenings += [
        notice(
            "ConfigurationHistoryDeliveryCompleted",
            n // 4,
            s3ObjectKey=f"AWSLogs/{account}/Config/{region}/history-{n}.json.gz",
        )
        for n in range(HISTORY_DELIVERIES)
    ]
    names = [name for name, _ in rules]
    for n in range(NON_COMPLIANT_A_MONTH if names else 0):
        subject = resources[n % len(resources)]
        for new, old, day in (("NON_COMPLIANT", "COMPLIANT", n * 7), ("COMPLIANT", "NON_COMPLIANT", n * 7 + 2)):
            happenings += compliance_change(
                names[n % len(names)], subject, new, old, region=region, account=account, day=day
            )
    return happenings


def compliance_change(
    rule: str, subject: Resource, new: str, old: str, *, region: str, account: str, day: int = 0
) -> tuple[Happening, Happening]:
    """A resource changing compliance under a Config rule: the EventBridge event every account's bus
    receives, and the notification Config streams to its channel's topic."""
    detail = {
        "resourceId": subject.name,
        "awsRegion": region,
        "awsAccountId": account,
        "configRuleName": rule,
        "newEvaluationResult": {"complianceType": new, "annotation": ""},
        "oldEvaluationResult": {"complianceType": old},
        "resourceType": resource_type(subject.type),
    }
    event = {
        "version": "0",
        "id": f"config-{rule}-{subject.name}-{new}",
        "detail-type": "Config Rules Compliance Change",
        "source": "aws.config",
        "account": account,
        "time": f"{timestamp(day)}Z",
        "region": region,
        "resources": [],
        "detail": detail,
    }
    stream = {
        **{k: detail[k] for k in ("awsAccountId", "configRuleName", "resourceType", "resourceId", "awsRegion")},
        "newEvaluationResult": {"evaluationResultIdentifier": {}, "complianceType": new},
        "oldEvaluationResult": {"complianceType": old},
        "messageType": "ComplianceChangeNotification",
        "notificationCreationTime": f"{timestamp(day)}.000Z",
        "recordVersion": "1.0",
    }
    return Happening("events", region, event), Happening("config", region, stream)


def assumptions() -> tuple[str, ...]:
    """The month's figures in words, for the report."""
    activity = ", ".join(
        f"{a.what} {a.events}" + (f" (bursts: {a.bursts})" if a.bursts != a.events else "") for a in ACTIVITIES
    )
    per_severity = ", ".join(f"…-{s} {n}x" for s, n in BREACHES.items())
    return (
        f"a {DAYS}-day month",
        f"alarm breaches a month, each one ALARM and one OK notification: {per_severity}, any other name "
        f"{OTHER_BREACHES}x; a CIS alarm once per burst of the events its metric filter counts",
        f"CloudTrail events a month: {activity}; IAM and sign-in events arrive in {GLOBAL_EVENTS_REGION}, the "
        "rest in the stack's region",
        f"AWS Config: {CHANGES_PER_RESOURCE} configuration item a month per recorded resource of the stack (as the "
        "cost estimate assumes), an evaluation start per periodic run and per change a rule looks at, snapshots "
        f"at the channel's frequency, history every 6 hours, {NON_COMPLIANT_A_MONTH} resources turning "
        "NON_COMPLIANT and back",
    )
