"""An alarm's life in one Slack thread: the Web API posting with a bot token, DynamoDB remembering.

An alarm entering ALARM starts a message; its later transitions (OK, INSUFFICIENT_DATA, ALARM again)
reply in that message's thread and rewrite the parent's status line with `chat.update`, so the
channel shows one line per incident. The alarm's (channel, ts) lives in the stack's threads table:

- `alarm#<alarm ARN>`: the incident's channel and parent `ts`, its state, when it got there, how many
  changes it has seen and the last one (so the same transition delivered twice is replied once).
  Starting a thread takes a claim first (`attribute_not_exists`), so of two deliveries racing on the
  first ALARM one posts the parent and the other replies in its thread. An incident closes on OK and
  keeps its thread REOPEN_SECONDS (an alarm that flaps stays in one thread); open ones are kept
  OPEN_SECONDS at most (an alarm deleted while in ALARM). DynamoDB's TTL deletes them later, so
  expiry is also checked here.
- `message#<SNS MessageId>`: claimed before a record is posted and marked delivered after, so a
  Lambda retry of a batch does not post its delivered records again.

When the thread is gone (`thread_not_found`), the notice starts a new one and says why. When the
token cannot post (revoked, a missing scope, not in the channel), the notice goes through the route's
webhook and says why. Other notices (events, findings) are posted to the route's channel as they are.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .notice import clean, clip, escape
from .slack_api import DeliveryError, WebApi

KEY = "pk"
EXPIRY = "expiresAt"
"""The table's TTL attribute (components/slack_notifier.py), epoch seconds."""
REOPEN_SECONDS = 24 * 3600
OPEN_SECONDS = 30 * 24 * 3600
MESSAGE_SECONDS = 2 * 24 * 3600
"""Delivered message ids are kept longer than Lambda retries an event (at most 6 hours)."""
CLAIM_WAIT_SECONDS = 0.25
THREAD_GONE = frozenset({"thread_not_found", "message_not_found"})
TOKEN_CANNOT_POST = frozenset(
    {
        "missing_scope",
        "not_in_channel",
        "invalid_auth",
        "token_revoked",
        "token_expired",
        "account_inactive",
        "not_authed",
        "no_permission",
        "channel_not_found",
        "is_archived",
        "restricted_action",
        "ekm_access_denied",
    }
)
"""Web API errors after which the bot cannot post this notice, but the route's webhook may."""
STATE_EMOJI = {"ALARM": ":red_circle:", "OK": ":large_green_circle:", "INSUFFICIENT_DATA": ":large_yellow_circle:"}
STATES = tuple(STATE_EMOJI)
_TIME = re.compile(r"^(\d{4}-\d\d-\d\d)T(\d\d:\d\d)")

LOG = logging.getLogger("slack_notifier")


@dataclass(frozen=True)
class Transition:
    """One alarm state change, as the alarm's SNS notification or EventBridge event tells it."""

    alarm: str
    """The alarm's ARN, or account:region:name when the message has no ARN."""
    name: str
    state: str
    at: str
    """When the state changed (ISO 8601), as the message says; "" when it does not."""

    @property
    def change(self) -> str:
        return f"{self.state}@{self.at}"


def transition_of(record: Any) -> Transition | None:
    """The alarm transition a record carries, or None for anything else (events, findings, text)."""
    sns = record.get("Sns") if isinstance(record, Mapping) else None
    message: Any = sns.get("Message") if isinstance(sns, Mapping) else record
    if isinstance(message, str):
        try:
            message = json.loads(message)
        except ValueError:
            return None
    if not isinstance(message, Mapping):
        return None
    if isinstance(message.get("AlarmName"), str) and message.get("NewStateValue") in STATES:
        name = message["AlarmName"]
        arn = message.get("AlarmArn")
        alarm = arn if isinstance(arn, str) and arn else f"{message.get('AWSAccountId')}:{message.get('Region')}:{name}"
        return Transition(alarm, name, message["NewStateValue"], text(message.get("StateChangeTime")))
    detail = message.get("detail")
    if (
        message.get("source") == "aws.cloudwatch"
        and message.get("detail-type") == "CloudWatch Alarm State Change"
        and isinstance(detail, Mapping)
        and isinstance(detail.get("alarmName"), str)
        and isinstance(detail.get("state"), Mapping)
        and detail["state"].get("value") in STATES
    ):
        resources = message.get("resources")
        arn = resources[0] if isinstance(resources, list) and resources and isinstance(resources[0], str) else ""
        alarm = arn or f"{message.get('account')}:{message.get('region')}:{detail['alarmName']}"
        return Transition(alarm, detail["alarmName"], detail["state"]["value"], text(detail["state"].get("timestamp")))
    return None


def text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def shown_time(at: str) -> str:
    match = _TIME.match(at)
    return f"{match[1]} {match[2]} UTC" if match else clip(at, 40)


def status_line(transition: Transition, changes: int) -> str:
    """The parent's first line: where the incident stands now."""
    since = f" since {shown_time(transition.at)}" if transition.at else ""
    history = "the first change" if changes <= 1 else f"{changes} state changes, each in the thread"
    return f"{STATE_EMOJI[transition.state]} Now {transition.state}{since} · {history}"


def context(line: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "plain_text", "text": clip(clean(line), 300), "emoji": True}]}


def headline(transition: Transition) -> str:
    return escape(clean(clip(f"{STATE_EMOJI[transition.state]} {transition.state}: {transition.name}", 300)))


def with_lines(payload: Mapping[str, Any], *lines: str) -> dict[str, Any]:
    """The notice's payload with lines above it: context blocks over a card (kept in its attachment),
    the text's first lines for a plain text post (blocks would hide its text)."""
    if not lines:
        return dict(payload)
    if "attachments" in payload:
        return {**payload, "blocks": [*payload.get("blocks", ()), *(context(line) for line in lines)]}
    return {**payload, "text": "\n".join([*(escape(clean(line)) for line in lines), payload.get("text", "")])}


@dataclass(frozen=True)
class Incident:
    channel: str
    ts: str
    changes: int
    last_change: str
    expires_at: float

    def live(self, now: float) -> bool:
        return bool(self.ts) and self.expires_at > now


class ThreadStore:
    """The threads table through DynamoDB's low-level API: GetItem, PutItem and UpdateItem only."""

    def __init__(self, table: str, region: str, client: Any = None) -> None:
        self.table = table
        self.region = region
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3  # already loaded by the first decrypt; the client itself is made once per container

            self._client = boto3.client("dynamodb", region_name=self.region)
        return self._client

    def _conditional(self, call: Callable[..., Any], **arguments: Any) -> bool:
        """True when the write happened, False when its condition did not hold."""
        try:
            call(TableName=self.table, **arguments)
        except self.client.exceptions.ConditionalCheckFailedException:
            return False
        return True

    # --- SNS messages: each delivered once ---------------------------------------------------------

    def claim_message(self, message_id: str, now: float, lease_until: float) -> bool:
        """Ours to post: never seen, or a claim whose invocation ended without delivering it."""
        return self._conditional(
            self.client.put_item,
            Item={
                KEY: {"S": f"message#{message_id}"},
                "status": {"S": "delivering"},
                "leaseUntil": {"N": str(int(lease_until))},
                EXPIRY: {"N": str(int(now + MESSAGE_SECONDS))},
            },
            ConditionExpression="attribute_not_exists(#key) OR (#status = :delivering AND leaseUntil < :now)",
            ExpressionAttributeNames={"#key": KEY, "#status": "status"},
            ExpressionAttributeValues={":delivering": {"S": "delivering"}, ":now": {"N": str(int(now))}},
        )

    def message_delivered(self, message_id: str) -> None:
        self.client.update_item(
            TableName=self.table,
            Key={KEY: {"S": f"message#{message_id}"}},
            UpdateExpression="SET #status = :delivered",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":delivered": {"S": "delivered"}},
        )

    def release_message(self, message_id: str) -> None:
        """A failed delivery gives its claim back, so Lambda's retry posts the record."""
        self.client.update_item(
            TableName=self.table,
            Key={KEY: {"S": f"message#{message_id}"}},
            UpdateExpression="SET leaseUntil = :zero",
            ConditionExpression="#status = :delivering",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={":zero": {"N": "0"}, ":delivering": {"S": "delivering"}},
        )

    # --- incidents: one thread each -----------------------------------------------------------------

    def incident(self, alarm: str) -> Incident | None:
        item = self.client.get_item(TableName=self.table, Key={KEY: {"S": f"alarm#{alarm}"}}, ConsistentRead=True)
        found = item.get("Item")
        if not found:
            return None
        return Incident(
            channel=found.get("channel", {}).get("S", ""),
            ts=found.get("ts", {}).get("S", ""),
            changes=int(found.get("changes", {}).get("N", "0")),
            last_change=found.get("lastChange", {}).get("S", ""),
            expires_at=float(found.get(EXPIRY, {}).get("N", "0")),
        )

    def claim_thread(self, alarm: str, claim: str, now: float, lease_until: float) -> bool:
        """The right to post the parent: no incident, an expired one, or a claim left by a dead invocation."""
        return self._conditional(
            self.client.put_item,
            Item={
                KEY: {"S": f"alarm#{alarm}"},
                "claim": {"S": claim},
                "claimUntil": {"N": str(int(lease_until))},
                EXPIRY: {"N": str(int(now + OPEN_SECONDS))},
            },
            ConditionExpression=(
                f"attribute_not_exists(#key) OR {EXPIRY} < :now OR (attribute_not_exists(ts) AND claimUntil < :now)"
            ),
            ExpressionAttributeNames={"#key": KEY},
            ExpressionAttributeValues={":now": {"N": str(int(now))}},
        )

    def start_thread(self, alarm: str, claim: str, channel: str, ts: str, transition: Transition, now: float) -> None:
        self.client.update_item(
            TableName=self.table,
            Key={KEY: {"S": f"alarm#{alarm}"}},
            UpdateExpression=(
                "SET channel = :channel, ts = :ts, #state = :state, changes = :one, lastChange = :change, "
                f"{EXPIRY} = :expires REMOVE claim, claimUntil"
            ),
            ConditionExpression="claim = :claim",
            ExpressionAttributeNames={"#state": "state"},
            ExpressionAttributeValues={
                ":channel": {"S": channel},
                ":ts": {"S": ts},
                ":state": {"S": transition.state},
                ":one": {"N": "1"},
                ":change": {"S": transition.change},
                ":expires": {"N": str(int(expiry(transition, now)))},
                ":claim": {"S": claim},
            },
        )

    def release_thread(self, alarm: str, claim: str) -> None:
        self._conditional(
            self.client.update_item,
            Key={KEY: {"S": f"alarm#{alarm}"}},
            UpdateExpression="SET claimUntil = :zero",
            ConditionExpression="claim = :claim",
            ExpressionAttributeValues={":zero": {"N": "0"}, ":claim": {"S": claim}},
        )

    def take_over_thread(self, alarm: str, incident: Incident, claim: str, lease_until: float) -> bool:
        """The incident's parent is gone: this delivery claims it to start a new thread."""
        return self._conditional(
            self.client.update_item,
            Key={KEY: {"S": f"alarm#{alarm}"}},
            UpdateExpression="SET claim = :claim, claimUntil = :until REMOVE ts",
            ConditionExpression="ts = :ts",
            ExpressionAttributeValues={
                ":claim": {"S": claim},
                ":until": {"N": str(int(lease_until))},
                ":ts": {"S": incident.ts},
            },
        )

    def record_change(self, alarm: str, incident: Incident, transition: Transition, now: float) -> int | None:
        """Count a transition replied in the thread; None when another delivery recorded it first."""
        answer = None
        try:
            answer = self.client.update_item(
                TableName=self.table,
                Key={KEY: {"S": f"alarm#{alarm}"}},
                UpdateExpression=f"SET #state = :state, lastChange = :change, {EXPIRY} = :expires ADD changes :one",
                ConditionExpression="ts = :ts AND lastChange <> :change",
                ExpressionAttributeNames={"#state": "state"},
                ExpressionAttributeValues={
                    ":state": {"S": transition.state},
                    ":change": {"S": transition.change},
                    ":expires": {"N": str(int(expiry(transition, now)))},
                    ":one": {"N": "1"},
                    ":ts": {"S": incident.ts},
                },
                ReturnValues="UPDATED_NEW",
            )
        except self.client.exceptions.ConditionalCheckFailedException:
            return None
        return int(answer["Attributes"]["changes"]["N"])


def expiry(transition: Transition, now: float) -> float:
    return now + (REOPEN_SECONDS if transition.state == "OK" else OPEN_SECONDS)


@dataclass(frozen=True)
class Posted:
    how: str
    """For the log: where the notice went."""
    webhook_reason: str = ""
    """Slack's error when the notice went through the webhook instead."""


class Threads:
    """Posts each notice with the bot token; alarms in their incident's thread."""

    def __init__(
        self,
        api: WebApi,
        store: ThreadStore,
        *,
        wall: Callable[[], float] = time.time,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api = api
        self.store = store
        self._wall = wall
        self._clock = clock
        self._sleep = sleep

    def post(
        self,
        payload: Mapping[str, Any],
        transition: Transition | None,
        channel: str,
        deadline: float,
        webhook: Callable[[Mapping[str, Any]], int],
    ) -> Posted:
        """Post one rendered notice. `webhook` posts a payload through the route's webhook instead."""
        try:
            if transition is None:
                self._post_message(channel, payload, deadline)
                return Posted(f"channel {channel}")
            return self._alarm(payload, transition, channel, deadline)
        except DeliveryError as error:
            if error.code not in TOKEN_CANNOT_POST:
                raise
            note = f"(Posted through the webhook: the Slack app's bot token could not post ({error.code}).)"
            webhook(with_lines(payload, note))
            return Posted(f"the webhook, the bot token being refused ({error.code})", error.code)

    def _alarm(self, payload: Mapping[str, Any], transition: Transition, channel: str, deadline: float) -> Posted:
        while True:
            now = self._wall()
            incident = self.store.incident(transition.alarm)
            if incident and incident.live(now):
                return self._reply(payload, transition, incident, deadline)
            if transition.state != "ALARM":
                self._post_message(channel, payload, deadline)  # no open incident: a recovery stands alone
                return Posted(f"channel {channel}, no open incident")
            claim = uuid.uuid4().hex
            if self.store.claim_thread(transition.alarm, claim, now, now + self._left(deadline)):
                return self._start(payload, transition, channel, claim, deadline)
            if self._clock() + CLAIM_WAIT_SECONDS >= deadline:
                raise DeliveryError("another delivery is starting this alarm's thread and the time ran out")
            self._sleep(CLAIM_WAIT_SECONDS)  # another delivery is posting the parent: reply in its thread

    def _start(
        self,
        payload: Mapping[str, Any],
        transition: Transition,
        channel: str,
        claim: str,
        deadline: float,
        note: str = "",
    ) -> Posted:
        parent = with_lines(payload, status_line(transition, 1), *((note,) if note else ()))
        try:
            answer = self._post_message(channel, parent, deadline)
        except DeliveryError:
            self.store.release_thread(transition.alarm, claim)
            raise
        ts, posted_in = str(answer.get("ts", "")), str(answer.get("channel") or channel)
        self.store.start_thread(transition.alarm, claim, posted_in, ts, transition, self._wall())
        return Posted(f"a new thread {ts} in {posted_in}")

    def _reply(self, payload: Mapping[str, Any], transition: Transition, incident: Incident, deadline: float) -> Posted:
        if incident.last_change == transition.change:
            return Posted(f"thread {incident.ts} in {incident.channel}, which has this change already")
        try:
            self._post_message(incident.channel, {**payload, "thread_ts": incident.ts}, deadline)
        except DeliveryError as error:
            if error.code not in THREAD_GONE:
                raise
            return self._restart(payload, transition, incident, deadline, error.code)
        changes = self.store.record_change(transition.alarm, incident, transition, self._wall())
        if changes is None:
            return Posted(f"thread {incident.ts} in {incident.channel}")
        update = {
            "channel": incident.channel,
            "ts": incident.ts,
            "text": headline(transition),
            "blocks": [context(status_line(transition, changes))],
        }  # without `attachments`, chat.update keeps the parent's card
        try:
            self.api.call("chat.update", update, deadline)
        except DeliveryError as error:  # the reply is in: a stale status line is logged, not retried
            LOG.warning("the parent of thread %s kept its old status line: %s", incident.ts, error)
        return Posted(f"thread {incident.ts} in {incident.channel}")

    def _restart(
        self, payload: Mapping[str, Any], transition: Transition, incident: Incident, deadline: float, code: str
    ) -> Posted:
        """The parent was deleted: a new thread for the incident, saying why."""
        claim = uuid.uuid4().hex
        if not self.store.take_over_thread(transition.alarm, incident, claim, self._wall() + self._left(deadline)):
            return self._alarm(payload, transition, incident.channel, deadline)  # another delivery restarted it
        LOG.warning("thread %s of %s is gone (%s): starting a new one", incident.ts, transition.name, code)
        note = f"(This incident's earlier thread is gone ({code}): its history continues here.)"
        return self._start(payload, transition, incident.channel, claim, deadline, note)

    def _left(self, deadline: float) -> float:
        return max(deadline - self._clock(), 0.0)

    def _post_message(self, channel: str, payload: Mapping[str, Any], deadline: float) -> Mapping[str, Any]:
        return self.api.call("chat.postMessage", {**payload, "channel": channel}, deadline)[1].data
