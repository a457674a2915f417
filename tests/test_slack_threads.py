"""Alarm lifecycle threads end to end: the real handler with a bot token, KMS and DynamoDB on a local
moto server, and a local HTTPS fake of Slack's Web API (chat.postMessage, chat.update) that keeps
its messages and threads, beside the route's webhook.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
import time
from typing import Any

import pytest

from functions.slack_notifier import handler as notifier_module
from functions.slack_notifier.handler import Config, Notifier
from functions.slack_notifier.slack_api import DeliveryError
from functions.slack_notifier.threads import transition_of
from tests.https_stub import https_server
from tests.test_slack_notifier import FUNCTION_NAME, LambdaContext, record, tls_files  # noqa: F401 (fixture)

TOKEN = "xoxb-1111111111-2222222222-s3cr3tB0tT0k3nV4lu3"
CHANNEL = "C0ALERTS01"
TABLE = "ops-prod-slack-notifier-threads"
ALARM_ARN = "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:ops-prod-orders-errors-critical"


class FakeSlackApi:
    """chat.postMessage and chat.update over a store of messages, as Slack answers them, plus a webhook.
    `refuse` answers every API call with that error; `script` answers the next calls as given."""

    def __init__(self) -> None:
        self.messages: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[float, str, dict[str, Any], str]] = []
        self.webhook_posts: list[dict[str, Any]] = []
        self.refuse = ""
        self.script: list[tuple[int, dict[str, str], dict[str, Any]]] = []
        self.post_delay = 0.0
        self.lock = threading.Lock()
        self.counter = 0
        self.url = ""

    def answer(self, method: str, body: dict[str, Any]) -> tuple[int, dict[str, str], dict[str, Any]]:
        if self.script:
            return self.script.pop(0)
        if self.refuse:
            return 200, {}, {"ok": False, "error": self.refuse}
        if method == "chat.postMessage":
            time.sleep(self.post_delay)
            parent = body.get("thread_ts")
            if parent and parent not in self.messages:
                return 200, {}, {"ok": False, "error": "thread_not_found"}
            with self.lock:
                self.counter += 1
                ts = f"1700000000.{self.counter:06d}"
            self.messages[ts] = dict(body)
            return 200, {}, {"ok": True, "channel": body["channel"], "ts": ts, "message": {"text": body.get("text")}}
        if method == "chat.update":
            if body.get("ts") not in self.messages:
                return 200, {}, {"ok": False, "error": "message_not_found"}
            self.messages[body["ts"]].update({k: v for k, v in body.items() if k != "ts"})
            return 200, {}, {"ok": True, "channel": body["channel"], "ts": body["ts"]}
        return 200, {}, {"ok": False, "error": "unknown_method"}

    def parents(self) -> list[tuple[str, dict[str, Any]]]:
        return sorted((ts, m) for ts, m in self.messages.items() if "thread_ts" not in m)

    def replies(self, parent: str) -> list[dict[str, Any]]:
        return [m for ts, m in sorted(self.messages.items()) if m.get("thread_ts") == parent]

    def api_calls(self, method: str) -> list[dict[str, Any]]:
        return [body for _, called, body, _ in self.calls if called == method]


@pytest.fixture
def slack_api(tls_files, monkeypatch):  # noqa: F811 (the fixture imported above)
    fake = FakeSlackApi()

    def respond(path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], str]:
        body = json.loads(raw)
        if path.startswith("/services/"):
            fake.webhook_posts.append(body)
            return 200, {"Content-Type": "application/json"}, "ok"
        method = path.removeprefix("/api/")
        fake.calls.append((time.monotonic(), method, body, headers.get("Authorization", "")))
        status, answer_headers, answer = fake.answer(method, body)
        return status, {**answer_headers, "Content-Type": "application/json"}, json.dumps(answer)

    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files[0]))
    with https_server(tls_files, respond) as base:
        fake.url = base
        yield fake


@pytest.fixture
def bot(aws, slack_api, monkeypatch):
    """The function's environment as the component sets it with botToken: both secrets under their own
    encryption contexts, the threads table as the component creates it."""
    kms = aws("kms")
    key_id = kms.create_key(Description="notifier test")["KeyMetadata"]["KeyId"]

    def encrypt(value: str, context: dict[str, str]) -> str:
        blob = kms.encrypt(KeyId=key_id, Plaintext=value.encode(), EncryptionContext=context)["CiphertextBlob"]
        return base64.b64encode(blob).decode()

    dynamodb = aws("dynamodb")
    dynamodb.create_table(
        TableName=TABLE,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        SSESpecification={"Enabled": True, "SSEType": "KMS", "KMSMasterKeyId": key_id},
    )
    dynamodb.update_time_to_live(
        TableName=TABLE, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiresAt"}
    )
    for name, value in {
        "SLACK_WEBHOOK_CIPHERTEXT": encrypt(
            f"{slack_api.url}/services/T0001/B0001/w3bh00kS3cr3t", {"LambdaFunctionName": FUNCTION_NAME}
        ),
        "SLACK_BOT_TOKEN_CIPHERTEXT": encrypt(TOKEN, {"SlackBotToken": FUNCTION_NAME}),
        "SLACK_THREADS_TABLE": TABLE,
        "SLACK_API_URL": f"{slack_api.url}/api/",
        "AWS_LAMBDA_FUNCTION_NAME": FUNCTION_NAME,
        "AWS_REGION": "eu-west-1",
        "SLACK_CHANNEL": CHANNEL,
        "SLACK_USERNAME": "ops-baseline",
    }.items():
        monkeypatch.setenv(name, value)
    notifier_module.notifier.cache_clear()
    yield dynamodb
    notifier_module.notifier.cache_clear()


def alarm(state: str, at: str, message_id: str) -> dict[str, Any]:
    """The metric alarm fixture at another state and time, as its own SNS message."""
    base = record("metric_alarm.json")
    message = json.loads(base["Sns"]["Message"])
    old = {"ALARM": "OK", "OK": "ALARM", "INSUFFICIENT_DATA": "OK"}[state]
    message.update(NewStateValue=state, OldStateValue=old, StateChangeTime=at)
    return {**base, "Sns": {**base["Sns"], "MessageId": message_id, "Message": json.dumps(message)}}


def invoke(*records: dict[str, Any], seconds: float = 30) -> dict[str, int]:
    return notifier_module.handler({"Records": list(records)}, LambdaContext(seconds))


FIRED = alarm("ALARM", "2026-11-21T10:00:42.236+0000", "11111111-0000-0000-0000-000000000001")
RECOVERED = alarm("OK", "2026-11-21T10:20:42.236+0000", "11111111-0000-0000-0000-000000000002")
FIRED_AGAIN = alarm("ALARM", "2026-11-21T11:05:42.236+0000", "11111111-0000-0000-0000-000000000003")


def test_an_alarms_life_is_one_thread_with_its_status_on_the_parent(bot, slack_api, caplog):
    caplog.set_level(logging.INFO)
    for event in (FIRED, RECOVERED, FIRED_AGAIN):
        assert invoke(event) == {"delivered": 1}
    [(parent_ts, parent)] = slack_api.parents()
    assert parent["channel"] == CHANNEL and "username" not in parent
    assert parent["attachments"][0]["color"] == "#E01E5A"  # the card of the first ALARM, kept by each update
    replies = slack_api.replies(parent_ts)
    assert [r["text"] for r in replies] == [
        ":large_green_circle: OK: ops-prod-orders-errors-critical",
        ":red_circle: ALARM: ops-prod-orders-errors-critical",
    ]
    updates = slack_api.api_calls("chat.update")
    assert [u["ts"] for u in updates] == [parent_ts, parent_ts] and all("attachments" not in u for u in updates)
    assert updates[0]["blocks"][0]["elements"][0]["text"] == (
        ":large_green_circle: Now OK since 2026-11-21 10:20 UTC · 2 state changes, each in the thread"
    )
    assert parent["text"] == ":red_circle: ALARM: ops-prod-orders-errors-critical"
    assert parent["blocks"][0]["elements"][0]["text"].startswith(
        ":red_circle: Now ALARM since 2026-11-21 11:05 UTC · 3"
    )
    assert all(auth == f"Bearer {TOKEN}" for *_, auth in slack_api.calls) and slack_api.webhook_posts == []
    item = bot.get_item(TableName=TABLE, Key={"pk": {"S": f"alarm#{ALARM_ARN}"}})["Item"]
    assert (item["ts"]["S"], item["channel"]["S"], item["state"]["S"], item["changes"]["N"]) == (
        parent_ts,
        CHANNEL,
        "ALARM",
        "3",
    )
    assert f"thread {parent_ts} in {CHANNEL}" in caplog.text and TOKEN not in caplog.text


def test_a_closed_incident_keeps_its_thread_a_day_then_the_next_alarm_starts_anew(bot, slack_api):
    invoke(FIRED)
    invoke(RECOVERED)
    item = bot.get_item(TableName=TABLE, Key={"pk": {"S": f"alarm#{ALARM_ARN}"}})["Item"]
    assert 23 * 3600 < int(item["expiresAt"]["N"]) - time.time() <= 24 * 3600
    bot.update_item(  # a day later; DynamoDB's TTL has not deleted the item yet
        TableName=TABLE,
        Key={"pk": {"S": f"alarm#{ALARM_ARN}"}},
        UpdateExpression="SET expiresAt = :past",
        ExpressionAttributeValues={":past": {"N": str(int(time.time()) - 60)}},
    )
    invoke(FIRED_AGAIN)
    assert len(slack_api.parents()) == 2


def test_a_recovery_without_an_open_incident_stands_alone(bot, slack_api):
    invoke(RECOVERED)
    [(_, message)] = slack_api.parents()
    assert message["text"].startswith(":large_green_circle: OK") and "blocks" not in message
    assert "Item" not in bot.get_item(TableName=TABLE, Key={"pk": {"S": f"alarm#{ALARM_ARN}"}})


def test_two_deliveries_racing_on_the_first_alarm_start_one_thread(bot, slack_api):
    slack_api.post_delay = 0.5  # the winner is still posting its parent when the other delivery arrives
    twin = alarm("ALARM", "2026-11-21T10:00:42.236+0000", "22222222-0000-0000-0000-000000000001")
    containers = [Notifier(Config.from_environment(os.environ)) for _ in range(2)]
    results: list[Any] = []

    def deliver(notifier: Notifier, event: dict[str, Any]) -> None:
        try:
            results.append(notifier.notify({"Records": [event]}, 30))
        except Exception as error:  # the assertion below names it
            results.append(error)

    workers = [threading.Thread(target=deliver, args=pair) for pair in zip(containers, (FIRED, twin), strict=True)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(20)
    assert results == [{"delivered": 1}, {"delivered": 1}]
    [(parent_ts, _)] = slack_api.parents()
    assert slack_api.replies(parent_ts) == []  # the same transition is not replied to itself
    invoke(RECOVERED)
    assert len(slack_api.replies(parent_ts)) == 1


def test_a_deleted_parent_starts_a_new_thread_that_says_why(bot, slack_api, caplog):
    invoke(FIRED)
    [(first, _)] = slack_api.parents()
    del slack_api.messages[first]  # someone deleted the message
    invoke(RECOVERED)
    [(second, parent)] = slack_api.parents()
    assert second != first
    lines = [b["elements"][0]["text"] for b in parent["blocks"]]
    assert lines[0].startswith(":large_green_circle: Now OK")
    assert "earlier thread is gone (thread_not_found)" in lines[1]
    assert "is gone (thread_not_found): starting a new one" in caplog.text
    invoke(FIRED_AGAIN)
    assert [r["text"][:11] for r in slack_api.replies(second)] == [":red_circle"]


def test_a_revoked_token_falls_back_to_the_webhook_and_says_why(bot, slack_api, caplog, capsys):
    slack_api.refuse = "token_revoked"
    assert invoke(FIRED) == {"delivered": 1, "webhookFallbacks": 1}
    [posted] = slack_api.webhook_posts
    assert posted["attachments"][0]["color"] == "#E01E5A"
    assert "bot token could not post (token_revoked)" in posted["blocks"][-1]["elements"][0]["text"]
    assert "the bot token could not post (token_revoked); posted it through the webhook" in caplog.text
    metric = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert metric["WebhookFallbacks"] == 1 and metric["reason"] == "token_revoked"
    for secret in (TOKEN, "s3cr3tB0tT0k3nV4lu3", "w3bh00kS3cr3t"):
        assert secret not in caplog.text
    # The claim was given back: once the token works again, the incident gets its thread.
    slack_api.refuse = ""
    invoke(RECOVERED)
    invoke(FIRED_AGAIN)
    assert len(slack_api.parents()) == 2  # the recovery alone, then the new incident's parent


def test_a_lambda_retry_does_not_post_the_records_already_delivered(bot, slack_api):
    sign_in = {**record("root_sign_in.json")}
    sign_in["Sns"] = {**sign_in["Sns"], "MessageId": "33333333-0000-0000-0000-000000000001"}
    slack_api.script = [
        (200, {}, {"ok": True, "channel": CHANNEL, "ts": "1700000000.900000"}),
        (200, {}, {"ok": False, "error": "fatal_error"}),
    ]
    with pytest.raises(DeliveryError, match=r"1 of 2 record.*Slack error fatal_error"):
        invoke(sign_in, FIRED)
    assert invoke(sign_in, FIRED) == {"delivered": 1, "alreadyDelivered": 1}  # Lambda's retry: the same event
    posted = [p["text"][:12] for p in slack_api.api_calls("chat.postMessage")]
    assert posted == [":rotating_li", ":red_circle:", ":red_circle:"]  # the sign-in once, the alarm's retry
    [(parent_ts, _)] = slack_api.parents()
    assert slack_api.replies(parent_ts) == []


@pytest.mark.parametrize(
    "limited",
    [
        (429, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}),
        (200, {"Retry-After": "1"}, {"ok": False, "error": "ratelimited"}),
    ],
    ids=["http-429", "ok-false-ratelimited"],
)
def test_ratelimited_waits_what_slack_asks(bot, slack_api, limited):
    slack_api.script = [limited]
    assert invoke(FIRED) == {"delivered": 1}
    (first, *_), (second, *_) = slack_api.calls[:2]
    assert second - first >= 0.95 and len(slack_api.parents()) == 1


def test_transitions_are_read_from_sns_notifications_and_eventbridge_events():
    assert transition_of(FIRED).alarm == ALARM_ARN
    event = json.loads(record("eventbridge_alarm.json")["Sns"]["Message"])
    found = transition_of({"Sns": {"Message": json.dumps(event)}})
    assert (
        found is not None and found.alarm == event["resources"][0] and found.state == event["detail"]["state"]["value"]
    )
    event["source"] = "custom.app"  # only CloudWatch speaks for an alarm
    assert transition_of({"Sns": {"Message": json.dumps(event)}}) is None
    assert transition_of(record("guardduty_finding.json")) is None
