"""`opsctl drill`: prove that alarms reach people. A temporary encrypted SQS queue subscribes to each
topic the chosen alarms notify (its policy admits only those topics); each alarm is set to ALARM
and back to the state it was found in, and its notification is awaited, for a bounded time, on the
queue. The queues and subscriptions are removed and every alarm is restored whatever happens:
success, a timeout, an error or Ctrl-C."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from ..engine import EngineError, ProgramRun
from .accounts import Account, error_code
from .verify import named_alarms, region_of

Outcome = Literal["delivered", "not delivered", "skipped", "error"]
REASON = "opsctl drill: proving that this alarm's notification reaches its topic"


@dataclass(frozen=True)
class DrillResult:
    alarm: str
    region: str
    outcome: Outcome
    seconds: float | None = None
    """Time from the state change to the notification on the queue."""
    detail: str = ""


@dataclass
class Probe:
    """The temporary queue subscribed to one topic."""

    topic: str
    region: str
    queue_url: str = ""
    queue_arn: str = ""
    subscription: str = ""


@dataclass
class Drill:
    account: Account
    timeout: float
    clock: Callable[[], float] = time.monotonic
    probes: dict[str, Probe] = field(default_factory=dict)
    changed: dict[tuple[str, str], str] = field(default_factory=dict)
    """(region, alarm) → the state it was found in, while it is not back in it."""
    cleanup_errors: list[str] = field(default_factory=list)

    def probe(self, topic: str) -> Probe:
        """A queue on `topic`, created on first use: SSE-SQS encryption, a policy for that topic only."""
        if topic in self.probes:
            return self.probes[topic]
        region = topic.split(":")[3]
        probe = self.probes[topic] = Probe(topic, region)
        sqs = self.account.client("sqs", region)
        probe.queue_url = sqs.create_queue(
            QueueName=f"opsctl-drill-{uuid.uuid4().hex[:12]}",
            Attributes={"SqsManagedSseEnabled": "true", "MessageRetentionPeriod": "600"},
        )["QueueUrl"]
        probe.queue_arn = sqs.get_queue_attributes(QueueUrl=probe.queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "DrillTopicOnly",
                    "Effect": "Allow",
                    "Principal": {"Service": "sns.amazonaws.com"},
                    "Action": "sqs:SendMessage",
                    "Resource": probe.queue_arn,
                    "Condition": {"ArnEquals": {"aws:SourceArn": topic}},
                }
            ],
        }
        sqs.set_queue_attributes(QueueUrl=probe.queue_url, Attributes={"Policy": json.dumps(policy)})
        probe.subscription = self.account.client("sns", region).subscribe(
            TopicArn=topic, Protocol="sqs", Endpoint=probe.queue_arn, ReturnSubscriptionArn=True
        )["SubscriptionArn"]
        return probe

    def run(self, region: str, name: str) -> DrillResult:
        cloudwatch = self.account.client("cloudwatch", region)
        answer = cloudwatch.describe_alarms(AlarmNames=[name], AlarmTypes=["MetricAlarm", "CompositeAlarm"])
        found = [*answer.get("MetricAlarms", []), *answer.get("CompositeAlarms", [])]
        if not found:
            return DrillResult(name, region, "error", detail="the alarm does not exist")
        alarm = found[0]
        if alarm.get("ActionsEnabled") is False:
            return DrillResult(name, region, "skipped", detail="its actions are disabled")
        topics = [a for a in alarm.get("AlarmActions", []) if a.split(":")[2:3] == ["sns"]]
        if not topics:
            return DrillResult(name, region, "skipped", detail="it notifies no SNS topic")
        probes = [self.probe(topic) for topic in topics]
        original = alarm["StateValue"]
        self.changed[(region, name)] = original
        started = self.clock()
        cloudwatch.set_alarm_state(AlarmName=name, StateValue="ALARM", StateReason=REASON)
        try:
            seconds = self.await_notification(probes, name, started)
        finally:
            self.restore(region, name)
        if seconds is None:
            return DrillResult(
                name,
                region,
                "not delivered",
                detail=f"no notification within {self.timeout:g} s on {', '.join(topics)}",
            )
        return DrillResult(name, region, "delivered", seconds)

    def await_notification(self, probes: list[Probe], name: str, started: float) -> float | None:
        while self.clock() - started < self.timeout:
            for probe in probes:
                sqs = self.account.client("sqs", probe.region)
                wait = int(max(0, min(5, self.timeout - (self.clock() - started))))
                messages = sqs.receive_message(
                    QueueUrl=probe.queue_url, WaitTimeSeconds=wait, MaxNumberOfMessages=10
                ).get("Messages", [])
                for message in messages:
                    sqs.delete_message(QueueUrl=probe.queue_url, ReceiptHandle=message["ReceiptHandle"])
                    if notified(message["Body"], name):
                        return self.clock() - started
        return None

    def restore(self, region: str, name: str) -> None:
        original = self.changed.pop((region, name), None)
        if original is None:
            return
        try:
            self.account.client("cloudwatch", region).set_alarm_state(
                AlarmName=name,
                StateValue=original,
                StateReason=f"opsctl drill: back to {original}, the state it was found in",
            )
        except (ClientError, BotoCoreError) as error:
            self.cleanup_errors.append(f"alarm {name} could not be set back to {original} ({error_code(error)})")

    def clean_up(self) -> None:
        for region, name in list(self.changed):
            self.restore(region, name)
        for probe in self.probes.values():
            self.remove(probe)
        self.probes.clear()

    def remove(self, probe: Probe) -> None:
        if probe.subscription:
            self.quietly(
                f"unsubscribe {probe.subscription}",
                lambda: self.account.client("sns", probe.region).unsubscribe(SubscriptionArn=probe.subscription),
            )
        if probe.queue_url:
            self.quietly(
                f"delete queue {probe.queue_url}",
                lambda: self.account.client("sqs", probe.region).delete_queue(QueueUrl=probe.queue_url),
            )

    def quietly(self, what: str, action: Callable[[], Any]) -> None:
        try:
            action()
        except (ClientError, BotoCoreError) as error:
            self.cleanup_errors.append(f"could not {what} ({error_code(error)})")


def notified(body: str, name: str) -> bool:
    """Whether an SQS message is the SNS notification of `name` entering ALARM."""
    try:
        message = json.loads(json.loads(body).get("Message", "{}"))
    except (ValueError, AttributeError):
        return False
    return isinstance(message, dict) and message.get("AlarmName") == name and message.get("NewStateValue") == "ALARM"


def planned_alarms(run: ProgramRun) -> dict[str, str]:
    """Alarm name → region, for every alarm the stack plans."""
    return {name: region_of(alarm, run) for name, alarm in named_alarms(run)}


def choose(run: ProgramRun, names: Iterable[str] | None) -> dict[str, str]:
    alarms = planned_alarms(run)
    if names is None:
        return alarms
    unknown = sorted(set(names) - set(alarms))
    if unknown:
        raise EngineError(
            f"stack {run.stack} plans no alarm named {', '.join(unknown)}; it plans: {', '.join(sorted(alarms))}"
        )
    return {name: alarms[name] for name in names}


def drill(
    account: Account, alarms: dict[str, str], timeout: float, clock: Callable[[], float] = time.monotonic
) -> tuple[list[DrillResult], list[str]]:
    """Each alarm in turn; (results, cleanup problems). The cleanup runs on every way out."""
    session = Drill(account, timeout, clock)
    results = []
    try:
        for name, region in alarms.items():
            try:
                results.append(session.run(region, name))
            except (ClientError, BotoCoreError) as error:
                results.append(
                    DrillResult(
                        name,
                        region,
                        "error",
                        detail=f"{getattr(error, 'operation_name', '')} failed ({error_code(error)})",
                    )
                )
    finally:
        session.clean_up()
    return results, session.cleanup_errors
