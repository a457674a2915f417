"""The Slack notifier Lambda: formatters on real-shaped SNS envelopes, delivery and retries, KMS end to end.

End-to-end cases run the real handler: the webhook is encrypted by KMS on a local moto server with the
`LambdaFunctionName` encryption context, and a local HTTPS server plays Slack and records every post.
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import logging
import re
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from functions.slack_notifier import handler as notifier_module
from functions.slack_notifier.formatters import Origin, notice_for
from functions.slack_notifier.handler import Config, ConfigurationError, Destination, Notifier
from functions.slack_notifier.notice import Color, Notice, SlackTarget, to_plain_text, to_slack
from functions.slack_notifier.routing import Route
from functions.slack_notifier.slack_api import DeliveryError, Response, deliver, retry_delay
from tests.https_stub import https_server

EVENTS = Path(__file__).parent / "events" / "slack"
FUNCTION_NAME = "ops-prod-slack-notifier"


def record(fixture: str) -> dict[str, Any]:
    return json.loads((EVENTS / fixture).read_text())["Records"][0]


def fields(notice: Notice) -> dict[str, str]:
    return dict(notice.fields)


# --- formatters -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fixture, title, color, expected_fields, link",
    [
        pytest.param(
            "metric_alarm.json",
            ":red_circle: ALARM: ops-prod-orders-errors-critical",
            Color.ALARM,
            {
                "State": "OK → ALARM",
                "Metric": "AWS/Lambda Errors (Sum) for FunctionName=orders",
                "Condition": "> 0 for 1 of 1 × 300 s",
                "Region": "eu-west-1 (EU (Ireland))",
                "Account": "111122223333",
            },
            "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/ops-prod-orders-errors-critical",
            id="metric-alarm",
        ),
        pytest.param(
            "metric_alarm_ok.json",
            ":large_green_circle: OK: ops-prod-orders-errors-critical",
            Color.OK,
            {"State": "ALARM → OK"},
            "#alarmsV2:alarm/ops-prod-orders-errors-critical",
            id="back-to-ok",
        ),
        pytest.param(
            "insufficient_data.json",
            ":large_yellow_circle: INSUFFICIENT_DATA: ops-prod-shop-health-success-warning",
            Color.WARNING,
            {
                "Condition": "< 90 for 1 of 1 × 300 s",
                "Metric": "CloudWatchSynthetics SuccessPercent (Average) for CanaryName=ops-prod-shop-health",
            },
            "#alarmsV2:alarm/ops-prod-shop-health-success-warning",
            id="insufficient-data",
        ),
        pytest.param(
            "metric_math_alarm.json",
            ":red_circle: ALARM: ops-prod-orders-error-rate-critical",
            Color.ALARM,
            {
                "Metric math": "rate = IF(total > 0, 100 * part / total, 0)\n"
                "part = Sum AWS/Lambda Errors for FunctionName=orders\n"
                "total = Sum AWS/Lambda Invocations for FunctionName=orders",
                "Condition": "> 5 for 3 of 3 × 300 s",
            },
            "#alarmsV2:alarm/ops-prod-orders-error-rate-critical",
            id="metric-math-alarm-without-metric-name",
        ),
        pytest.param(
            "composite_alarm.json",
            ":red_circle: ALARM: ops-prod-orders-composite-critical",
            Color.ALARM,
            {
                "Rule": 'ALARM("ops-prod-orders-errors-critical") OR ALARM("ops-prod-orders-throttles-warning")',
                "Triggered by": "ops-prod-orders-errors-critical (ALARM)",
            },
            "#alarmsV2:alarm/ops-prod-orders-composite-critical",
            id="composite-alarm-without-trigger",
        ),
        pytest.param(
            "cloudtrail_security_group.json",
            ":mag: ec2:AuthorizeSecurityGroupIngress by role PlatformAdmin (session jane.doe)",
            Color.WARNING,
            {"Who": "role PlatformAdmin (session jane.doe)", "Source IP": "203.0.113.24", "Account": "111122223333"},
            "https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events/a1b2c3d4-1111-2222-3333-444455556666",
            id="cloudtrail-security-group-change",
        ),
        pytest.param(
            "root_sign_in.json",
            ":rotating_light: Root user console sign-in: Success",
            Color.ALARM,
            {"Who": "root user", "MFA used": "No", "Source IP": "198.51.100.7", "Region": "us-east-1"},
            "https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/",
            id="root-sign-in",
        ),
        pytest.param(
            "config_compliance.json",
            ":red_circle: NON_COMPLIANT: AWS::Logs::LogGroup /aws/lambda/orders under Config rule "
            "ops-prod-cw-loggroup-retention-period-check",
            Color.ALARM,
            {"Compliance": "COMPLIANT → NON_COMPLIANT", "Resource": "AWS::Logs::LogGroup /aws/lambda/orders"},
            "#/rules/details?configRuleName=ops-prod-cw-loggroup-retention-period-check",
            id="config-compliance-change",
        ),
        pytest.param(
            "health_issue.json",
            ":hospital: AWS Health issue: AWS_EC2_OPERATIONAL_ISSUE",
            Color.ALARM,
            {"Service": "EC2", "Status": "open", "Affected": "i-0abc123def4567890"},
            "https://health.aws.amazon.com/health/home#/account/event-log?eventID=arn%3Aaws%3Ahealth",
            id="health-issue",
        ),
        pytest.param(
            "unknown_event.json",
            ":information_source: Glue Job State Change (aws.glue)",
            Color.INFO,
            {"Resources": "arn:aws:glue:eu-west-1:111122223333:job/orders-nightly-export"},
            None,
            id="other-eventbridge-event",
        ),
        pytest.param(
            "plain_text.json",
            ":incoming_envelope: Notification from AWS Backup",
            Color.NEUTRAL,
            {},
            None,
            id="plain-text",
        ),
        pytest.param(
            "malformed_json.json", ":incoming_envelope: ALARM: truncated", Color.NEUTRAL, {}, None, id="malformed-json"
        ),
    ],
)
def test_each_message_family_shows_what_a_responder_needs(fixture, title, color, expected_fields, link):
    notice = notice_for(record(fixture), "eu-west-1")
    assert notice.title == title
    assert notice.color == color
    assert expected_fields.items() <= fields(notice).items()
    if link is None:
        assert notice.link is None
    else:
        assert link in notice.link[1]
    assert notice.context.startswith("SNS topic ops-prod-alerts")


def test_alarm_summary_carries_description_and_reason():
    notice = notice_for(record("metric_alarm.json"), "eu-west-1")
    assert notice.summary.startswith("orders: Invocations ended in a function error.")
    assert "Threshold Crossed: 1 out of the last 1 datapoints [3.0" in notice.summary


@pytest.mark.parametrize(
    "fixture, shown",
    [
        ("plain_text.json", "Backup job 42 for vault prod-daily finished with status COMPLETED."),
        ("malformed_json.json", '{"AlarmName": "ops-prod-orders-errors-critical", "NewStateValue": "ALA'),
        ("unknown_event.json", '"state": "FAILED",\n  "jobRunId": "jr_5e1f'),
    ],
)
def test_unrecognised_messages_are_shown_whole_not_dropped(fixture, shown):
    notice = notice_for(record(fixture), "eu-west-1")
    assert shown in notice.code


def test_malformed_json_says_so():
    assert "does not parse" in notice_for(record("malformed_json.json"), "eu-west-1").summary


@pytest.mark.parametrize(
    "alarm_arn, console",
    [
        (
            "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:a b/c",
            "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/a%20b%2Fc",
        ),
        (
            "arn:aws-us-gov:cloudwatch:us-gov-west-1:111122223333:alarm:a b/c",
            "https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#alarmsV2:alarm/a%20b%2Fc",
        ),
        (
            "arn:aws-cn:cloudwatch:cn-north-1:111122223333:alarm:a b/c",
            "https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#alarmsV2:alarm/a%20b%2Fc",
        ),
    ],
    ids=["aws", "aws-us-gov", "aws-cn"],
)
def test_console_link_follows_the_alarms_partition_and_region(alarm_arn, console):
    message = {"AlarmName": "a b/c", "NewStateValue": "ALARM", "AlarmArn": alarm_arn}
    notice = notice_for({"Sns": {"Message": json.dumps(message), "TopicArn": "arn:aws:sns:eu-west-1:1:t"}}, "eu-west-1")
    assert notice.link[1] == console


def test_a_formatter_that_trips_falls_back_with_a_note_instead_of_dropping(monkeypatch):
    from functions.slack_notifier import formatters
    from functions.slack_notifier.families import alarms

    def broken(message, origin):
        raise KeyError("Trigger")

    monkeypatch.setattr(formatters, "FORMATTERS", ((alarms.is_alarm, broken), *formatters.FORMATTERS[1:]))
    notice = formatters.notice_for(record("metric_alarm.json"), "eu-west-1")
    assert "broken could not read it (KeyError" in notice.summary
    assert '"AlarmName": "ops-prod-orders-errors-critical"' in notice.code


# --- Slack payload ----------------------------------------------------------------------------------


def blocks_of(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return payload["attachments"][0]["blocks"]


def field_pairs(payload: dict[str, Any]) -> dict[str, str]:
    """Label → value of a payload's fields: a bold mrkdwn label followed by its plain text value."""
    parts = [f for b in blocks_of(payload) for f in b.get("fields", [])]
    return {label["text"].strip("*"): value["text"] for label, value in zip(parts[::2], parts[1::2], strict=True)}


def test_payload_is_block_kit_in_a_coloured_attachment_with_overrides():
    payload = to_slack(
        notice_for(record("metric_alarm.json"), "eu-west-1"),
        SlackTarget(channel="#ops-alerts", username="ops-baseline", icon_emoji=":rotating_light:"),
    )
    assert payload["channel"] == "#ops-alerts" and payload["username"] == "ops-baseline"
    assert payload["icon_emoji"] == ":rotating_light:"
    assert payload["text"] == ":red_circle: ALARM: ops-prod-orders-errors-critical" and payload["mrkdwn"] is False
    attachment = payload["attachments"][0]
    assert attachment["color"] == Color.ALARM
    header, summary, link, *_ = attachment["blocks"]
    assert header == {
        "type": "header",
        "text": {"type": "plain_text", "text": ":red_circle: ALARM: ops-prod-orders-errors-critical", "emoji": True},
    }
    assert summary["text"]["type"] == "plain_text" and summary["text"]["text"].startswith("orders: Invocations")
    assert link["text"]["text"].endswith("|Open the alarm in CloudWatch>")
    fields = field_pairs(payload)
    assert fields["Metric"] == "AWS/Lambda Errors (Sum) for FunctionName=orders"
    assert fields["Condition"] == "> 0 for 1 of 1 × 300 s"


def test_payload_leaves_unset_overrides_to_the_webhook():
    payload = to_slack(Notice(title="t", color=Color.INFO), SlackTarget())
    assert not {"channel", "username", "icon_emoji"} & payload.keys()


def test_payload_shows_message_text_as_text_and_respects_slack_limits():
    notice = Notice(
        title="<!channel> & " + "x" * 500,
        color=Color.INFO,
        summary="<https://evil.example|click>",
        fields=tuple((f"f{i}", "v" * 5000) for i in range(23)),
        code="y" * 10_000,
    )
    payload = to_slack(notice, SlackTarget())
    blocks = blocks_of(payload)
    assert "&lt;!channel&gt; &amp;" in payload["text"] and "<!channel>" not in payload["text"]
    assert blocks[0]["text"]["type"] == "plain_text" and len(blocks[0]["text"]["text"]) <= 150
    assert blocks[1]["text"] == {"type": "plain_text", "text": "<https://evil.example|click>", "emoji": False}
    assert len(payload["text"]) <= 300
    sections = [b for b in blocks if "fields" in b]
    assert [len(s["fields"]) for s in sections] == [10, 10, 10, 10, 6]
    assert all(len(f["text"]) <= 2000 for s in sections for f in s["fields"])
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if "text" in b)
    assert "more characters)" in blocks[-1]["text"]["text"]
    assert len(blocks) <= 50


# --- delivery policy --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response, attempt, delay",
    [
        (Response(429, "rate_limited", retry_after=7.0), 1, 7.0),
        (Response(429, "rate_limited"), 2, 1.0 * 0.75),
        (Response(500, "rollup_error"), 1, 0.5 * 0.75),
        (Response(503, ""), 3, 2.0 * 0.75),
        (Response(502, ""), 10, 8.0 * 0.75),
        (Response(None, "no answer (timeout: timed out)"), 1, 0.5 * 0.75),
        (Response(400, "invalid_payload"), 1, None),
        (Response(403, "invalid_token"), 1, None),
        (Response(404, "no_service"), 1, None),
        (Response(410, "channel_is_archived"), 1, None),
    ],
    ids=lambda v: repr(v) if not isinstance(v, Response) else f"{v.status}",
)
def test_retry_delay(response, attempt, delay):
    assert retry_delay(response, attempt, jitter=0.5) == delay


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def scripted(*responses: Response):
    calls: list[float] = []

    def send(url: str, body: bytes, timeout: float) -> Response:
        calls.append(timeout)
        return responses[min(len(calls), len(responses)) - 1]

    send.calls = calls
    return send


def test_delivery_waits_what_slack_asks_then_succeeds():
    clock = FakeClock()
    send = scripted(Response(429, "rate_limited", retry_after=3.0), Response(200, "ok"))
    assert (
        deliver("https://hooks.example/T/B/secret", {"text": "x"}, 30.0, send=send, clock=clock, sleep=clock.sleep) == 2
    )
    assert clock.slept == [3.0]


def test_delivery_gives_up_when_retry_after_exceeds_the_time_left():
    clock = FakeClock()
    send = scripted(Response(429, "rate_limited", retry_after=60.0))
    with pytest.raises(DeliveryError, match="HTTP 429 rate_limited after 1 attempt"):
        deliver("https://hooks.example/T/B/secret", {}, 30.0, send=send, clock=clock, sleep=clock.sleep)
    assert clock.slept == []


def test_server_errors_back_off_until_the_deadline_and_never_past_it():
    clock = FakeClock()
    send = scripted(Response(500, "rollup_error"))
    with pytest.raises(DeliveryError, match=r"HTTP 500 rollup_error after \d+ attempt.*no time left"):
        deliver("https://hooks.example/T/B/secret", {}, 20.0, send=send, clock=clock, sleep=clock.sleep)
    assert len(send.calls) >= 4
    assert clock.now <= 20.0
    for attempt, delay in enumerate(clock.slept):  # exponential, capped, jittered by at most half
        nominal = min(8.0, 0.5 * 2**attempt)
        assert nominal / 2 <= delay <= nominal
    assert all(timeout <= 10.0 for timeout in send.calls)


def test_errors_never_contain_the_webhook_even_if_the_server_echoes_it():
    url = "https://hooks.example/services/T0/B0/very-secret-token"
    send = scripted(Response(400, f"bad request to {url} (/services/T0/B0/very-secret-token)"))
    with pytest.raises(DeliveryError) as raised:
        deliver(url, {}, 30.0, send=send, clock=FakeClock(), sleep=lambda s: None)
    assert "very-secret-token" not in str(raised.value) and "[webhook]" in str(raised.value)


# --- the handler end to end: KMS on moto, Slack on a local HTTPS server ----------------------------


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, trusted by the handler through SSL_CERT_FILE."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        # Python 3.13 verifies strictly (VERIFY_X509_STRICT): a trust anchor needs its key usages and
        # key identifiers too.
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, False, False, False), critical=True
        )  # digitalSignature, keyCertSign
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory = tmp_path_factory.mktemp("tls")
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


class FakeSlack:
    """Answers from a script (status, headers, body), repeating the last entry; records every post."""

    def __init__(self) -> None:
        self.script: list[tuple[int, dict[str, str], str]] = [(200, {}, "ok")]
        self.posts: list[tuple[float, str, dict[str, Any]]] = []
        self.bodies: list[bytes] = []
        self.hang = 0.0
        """Seconds to wait before answering: a Slack that does not answer in time."""
        self.url = ""

    def answer(self, *script: tuple[int, dict[str, str], str]) -> None:
        self.script = list(script)


@pytest.fixture
def slack(tls_files, monkeypatch):
    fake = FakeSlack()

    def respond(path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, str], str]:
        fake.bodies.append(raw)
        fake.posts.append((time.monotonic(), path, json.loads(raw)))
        time.sleep(fake.hang)
        return fake.script[min(len(fake.posts), len(fake.script)) - 1]

    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files[0]))
    with https_server(tls_files, respond) as base:
        fake.url = f"{base}/services/T0001/B0001/s3cr3tW3bh00kT0k3n"
        yield fake


class LambdaContext:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def get_remaining_time_in_millis(self) -> int:
        return int((self.deadline - time.monotonic()) * 1000)


@pytest.fixture
def deployed(moto_endpoint, fake_aws_credentials, slack, monkeypatch):
    """The function's environment as the component sets it, with the webhook encrypted the way it does."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_KMS", moto_endpoint)
    kms = boto3.client("kms", region_name="eu-west-1", endpoint_url=moto_endpoint)
    key_id = kms.create_key(Description="notifier test")["KeyMetadata"]["KeyId"]

    def encrypt(function_name: str = FUNCTION_NAME, url: str | None = None) -> str:
        blob = kms.encrypt(
            KeyId=key_id,
            Plaintext=(url or slack.url).encode(),
            EncryptionContext={"LambdaFunctionName": function_name},
        )["CiphertextBlob"]
        return base64.b64encode(blob).decode()

    for name, value in {
        "SLACK_WEBHOOK_CIPHERTEXT": encrypt(),
        "AWS_LAMBDA_FUNCTION_NAME": FUNCTION_NAME,
        "AWS_REGION": "eu-west-1",
        "SLACK_CHANNEL": "#ops-alerts",
        "SLACK_USERNAME": "ops-baseline",
    }.items():
        monkeypatch.setenv(name, value)
    notifier_module.notifier.cache_clear()
    yield encrypt
    notifier_module.notifier.cache_clear()


def sns_event(*fixtures: str) -> dict[str, Any]:
    return {"Records": [record(f) for f in fixtures]}


def secret_parts(slack: FakeSlack) -> tuple[str, ...]:
    return (slack.url, "s3cr3tW3bh00kT0k3n")


def test_handler_decrypts_the_webhook_and_posts_each_record(deployed, slack, caplog):
    caplog.set_level(logging.INFO)
    result = notifier_module.handler(sns_event("metric_alarm.json", "root_sign_in.json"), LambdaContext(30))
    assert result == {"delivered": 2}
    assert [path for _, path, _ in slack.posts] == ["/services/T0001/B0001/s3cr3tW3bh00kT0k3n"] * 2
    first = slack.posts[0][2]
    assert first["channel"] == "#ops-alerts" and first["username"] == "ops-baseline"
    assert first["text"] == ":red_circle: ALARM: ops-prod-orders-errors-critical"
    assert slack.posts[1][2]["text"] == ":rotating_light: Root user console sign-in: Success"
    assert "delivered to default in 1 attempt" in caplog.text
    assert not any(secret in caplog.text for secret in secret_parts(slack))


def test_webhook_is_decrypted_once_per_container(deployed, slack):
    boto3.setup_default_session()
    decrypt_calls = []
    boto3.DEFAULT_SESSION.events.register("before-call.kms.Decrypt", lambda **kwargs: decrypt_calls.append(1))
    for _ in range(3):
        notifier_module.handler(sns_event("metric_alarm_ok.json"), LambdaContext(30))
    assert len(decrypt_calls) == 1 and len(slack.posts) == 3


def test_rate_limit_waits_for_retry_after(deployed, slack):
    slack.answer((429, {"Retry-After": "1"}, "rate_limited"), (200, {}, "ok"))
    notifier_module.handler(sns_event("metric_alarm.json"), LambdaContext(30))
    (first, *_), (second, *_) = slack.posts
    assert len(slack.posts) == 2 and second - first >= 0.95


def test_server_error_then_success_is_delivered(deployed, slack):
    slack.answer((500, {}, "rollup_error"), (200, {}, "ok"))
    assert notifier_module.handler(sns_event("composite_alarm.json"), LambdaContext(30)) == {"delivered": 1}
    assert len(slack.posts) == 2 and slack.posts[0][2] == slack.posts[1][2]


def test_server_error_forever_fails_the_invocation_within_its_timeout(deployed, slack, caplog):
    slack.answer((500, {}, "rollup_error"))
    started = time.monotonic()
    with pytest.raises(DeliveryError) as raised:
        notifier_module.handler(sns_event("metric_alarm.json"), LambdaContext(4))
    assert time.monotonic() - started < 4
    assert "1 of 1 record(s) not delivered" in str(raised.value) and "HTTP 500 rollup_error" in str(raised.value)
    assert len(slack.posts) >= 2
    assert not any(secret in str(raised.value) + caplog.text for secret in secret_parts(slack))


def test_wrong_encryption_context_is_a_clear_error_without_the_url(deployed, slack, monkeypatch):
    monkeypatch.setenv("SLACK_WEBHOOK_CIPHERTEXT", deployed("some-other-function"))
    with pytest.raises(ConfigurationError) as raised:
        notifier_module.handler(sns_event("metric_alarm.json"), LambdaContext(30))
    message = str(raised.value)
    assert "InvalidCiphertextException" in message and f"LambdaFunctionName={FUNCTION_NAME}" in message
    assert not any(secret in message for secret in secret_parts(slack)) and raised.value.__cause__ is None
    assert slack.posts == []


def test_ciphertext_that_is_not_base64_is_named(deployed, monkeypatch):
    monkeypatch.setenv("SLACK_WEBHOOK_CIPHERTEXT", "not base64!")
    with pytest.raises(ConfigurationError, match="a webhook ciphertext is not base64"):
        notifier_module.handler(sns_event("metric_alarm.json"), LambdaContext(30))


def test_missing_environment_is_named(monkeypatch):
    monkeypatch.delenv("SLACK_WEBHOOK_CIPHERTEXT", raising=False)
    with pytest.raises(ConfigurationError, match="SLACK_WEBHOOK_CIPHERTEXT"):
        Config.from_environment({"AWS_REGION": "eu-west-1", "AWS_LAMBDA_FUNCTION_NAME": FUNCTION_NAME})


def test_batch_delivers_every_record_and_fails_for_the_one_that_did_not_arrive(deployed, slack):
    slack.answer((200, {}, "ok"), (404, {}, "channel_not_found"), (200, {}, "ok"))
    event = sns_event("metric_alarm.json", "config_compliance.json", "health_issue.json")
    with pytest.raises(DeliveryError) as raised:
        notifier_module.handler(event, LambdaContext(30))
    assert len(slack.posts) == 3  # the third record is still delivered after the second fails
    message = str(raised.value)
    assert "1 of 3 record(s) not delivered" in message
    assert "record 2 (95df01b4-ee98-5cb9-9903-4c221d41eb51): HTTP 404 channel_not_found" in message
    assert "record 1" not in message and "record 3" not in message


def test_direct_invocation_without_sns_records_is_still_posted(deployed, slack):
    assert notifier_module.handler({"hello": "world"}, LambdaContext(30)) == {"delivered": 1}
    blocks = slack.posts[0][2]["attachments"][0]["blocks"]
    assert any('"hello": "world"' in block.get("text", {}).get("text", "") for block in blocks)


# --- property: any message body, only the delivery failure path raises ------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "AlarmName",
                    "NewStateValue",
                    "OldStateValue",
                    "Trigger",
                    "Metrics",
                    "AlarmRule",
                    "TriggeringChildren",
                    "AlarmArn",
                    "detail-type",
                    "source",
                    "detail",
                    "userIdentity",
                    "eventTypeCategory",
                    "affectedEntities",
                    "Dimensions",
                    "resources",
                    "findings",
                    "Severity",
                    "Label",
                    "severity",
                    "resource",
                    "resourceType",
                    "state",
                    "configuration",
                    "metrics",
                    "alarmRule",
                    "region",
                    "alarmData",
                    "previousConfiguration",
                    "operation",
                    "scanResultDetails",
                    "s3ObjectDetails",
                    "finding-severity-counts",
                    "configurationItem",
                    "configurationItemDiff",
                    "configRuleNames",
                    "additional-information",
                    "phases",
                    "replicationEventData",
                    "serviceEventDetails",
                    "responseElements",
                    "actionName",
                    "x",
                ]
            )
            | st.text(max_size=8),
            children,
            max_size=6,
        )
    ),
    max_leaves=25,
)
FAMILIES = st.sampled_from(
    [
        {"AlarmName": "a", "NewStateValue": "ALARM"},
        {"detail-type": "AWS API Call via CloudTrail", "source": "aws.ec2"},
        {"detail-type": "AWS Console Sign In via CloudTrail", "source": "aws.signin"},
        {"detail-type": "Config Rules Compliance Change", "source": "aws.config"},
        {"detail-type": "AWS Health Event", "source": "aws.health"},
        {"detail-type": "GuardDuty Finding", "source": "aws.guardduty"},
        {"detail-type": "Security Hub Findings - Imported", "source": "aws.securityhub"},
        {"detail-type": "CloudWatch Alarm State Change", "source": "aws.cloudwatch"},
        {"detail-type": "AWS Console Sign In via CloudTrail", "source": "custom.app"},
        {"detail-type": "Other", "source": "aws.other"},
        {"detail-type": "Security Hub Findings - Custom Action", "source": "aws.securityhub"},
        {"detail-type": "CloudWatch Alarm Configuration Change", "source": "aws.cloudwatch"},
        {"detail-type": "AWS Service Event via CloudTrail", "source": "aws.signin"},
        {"detail-type": "GuardDuty Malware Protection Object Scan Result", "source": "aws.guardduty"},
        {"detail-type": "Inspector2 Finding", "source": "aws.inspector2"},
        {"detail-type": "Inspector2 Scan", "source": "aws.inspector2"},
        {"detail-type": "ECR Image Scan", "source": "aws.ecr"},
        {"detail-type": "Backup Job State Change", "source": "aws.backup"},
        {"detail-type": "CodePipeline Action Execution State Change", "source": "aws.codepipeline"},
        {"detail-type": "CodeBuild Build State Change", "source": "aws.codebuild"},
        {"detail-type": "CodeDeploy Deployment State-change Notification", "source": "aws.codedeploy"},
        {"detail-type": "EC2 Instance Launch Unsuccessful", "source": "aws.autoscaling"},
        {"detail-type": "EC2 Command Status-change Notification", "source": "aws.ssm"},
        {"source": "aws.cloudwatch", "alarmData": {"alarmName": "a"}},
        {"messageType": "ConfigurationItemChangeNotification", "recordVersion": "1.3"},
        {"commandId": "c", "documentName": "d", "status": "Failed"},
        {"Records": [{"eventSource": "aws:s3", "eventName": "Replication:OperationFailedReplication"}]},
    ]
)
MESSAGES = (
    st.builds(
        lambda family, extra: json.dumps({**extra, **family} if isinstance(extra, dict) else family),
        FAMILIES,
        JSON_VALUES,
    )
    | JSON_VALUES.map(json.dumps)
    | st.text(max_size=200)
)
SNS_RECORDS = st.builds(
    lambda message, subject, topic, attributes: {
        "EventSource": "aws:sns",
        "Sns": {"Message": message, "Subject": subject, "TopicArn": topic, "MessageAttributes": attributes},
    },
    MESSAGES,
    st.none() | st.text(max_size=40),
    st.none() | st.text(max_size=40) | st.just("arn:aws-cn:sns:cn-north-1:111122223333:alerts"),
    st.sampled_from(
        [
            None,
            {},
            {"EventType": {"Type": "String", "Value": "BACKUP_JOB"}, "State": {"Type": "String", "Value": "FAILED"}},
            {"EventType": {"Type": "String", "Value": "COPY_JOB"}},
            {"EventType": "not an attribute"},
        ]
    ),
)
FAKE_CONFIG = Config(
    FUNCTION_NAME, "eu-west-1", Destination(Route("default"), "ciphertext", SlackTarget("#alerts", "ops-baseline"))
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records=st.lists(SNS_RECORDS, min_size=1, max_size=3), slack_accepts=st.booleans())
def test_any_sns_message_is_posted_or_fails_only_as_undelivered(records, slack_accepts):
    sent: list[dict[str, Any]] = []

    def send(url: str, body: bytes, timeout: float) -> Response:
        sent.append(json.loads(body))
        return Response(200, "ok") if slack_accepts else Response(403, "invalid_token")

    notifier = Notifier(
        FAKE_CONFIG, decrypt=lambda ciphertext, config: "https://hooks.example/services/T/B/x", send=send
    )
    if slack_accepts:
        assert notifier.notify({"Records": records}, 30.0) == {"delivered": len(records)}
    else:
        with pytest.raises(DeliveryError):
            notifier.notify({"Records": records}, 30.0)
    assert len(sent) == len(records)
    for payload in sent:
        assert payload["text"] and len(payload["text"]) <= 300
        blocks = payload["attachments"][0]["blocks"]
        assert 1 <= len(blocks) <= 50 and blocks[0]["type"] == "header" and len(blocks[0]["text"]["text"]) <= 150
        for block in blocks:
            for text_object in [block.get("text"), *block.get("fields", []), *block.get("elements", [])]:
                if text_object is None:
                    continue
                limit = 2000 if text_object in block.get("fields", []) else 3000
                assert 1 <= len(text_object["text"]) <= limit
                if text_object["type"] == "mrkdwn":  # only ours: labels, validated links, escaped code
                    assert re.fullmatch(
                        r"\*[^*<>]*\*|<https://[^ <>|]+\|[^<>]+>|```\n[^<>]*\n```", text_object["text"], re.S
                    )


@settings(max_examples=200, deadline=None)
@given(record=st.one_of(JSON_VALUES, st.dictionaries(st.sampled_from(["Sns", "Records"]), JSON_VALUES)))
def test_records_of_any_shape_get_a_notice(record):
    notice = notice_for(record, "eu-west-1")
    assert notice.title
    assert isinstance(Origin("aws", "eu-west-1").console("cloudwatch", "x"), str)


# --- security findings and alarm events ----------------------------------------------------------


def test_guardduty_finding_shows_severity_resource_and_a_console_link():
    notice = notice_for(record("guardduty_finding.json"), "eu-west-1")
    assert notice.title == (
        ":red_circle: GuardDuty high: 198.51.100.23 is performing SSH brute force attacks against i-0abc123def4567890."
    )
    assert (notice.color, notice.severity, notice.source) == (Color.ALARM, "high", "aws.guardduty")
    assert notice.summary.endswith("guessing the SSH password.")
    assert {
        "Severity": "High (8)",
        "Finding type": "UnauthorizedAccess:EC2/SSHBruteForce",
        "Resource": "Instance i-0abc123def4567890",
        "Account": "111122223333",
        "Region": "eu-west-1",
        "Seen": "2026-11-21T09:41:12Z → 2026-11-21T11:00:54Z",
        "Count": "42",
        "Source": "aws.guardduty",
    }.items() <= fields(notice).items()
    assert notice.link[1] == (
        "https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1"
        "#/findings?macros=current&fId=16afba5c5c43e07c9e3e5e2e544e95df"
    )


@pytest.mark.parametrize(
    ("score", "severity"),
    [
        (10, "critical"),
        (9.0, "critical"),
        (8.9, "high"),
        (7, "high"),
        (6.9, "medium"),
        (4, "medium"),
        (3.9, "low"),
        (1, "low"),
        ("8", "medium"),
        (None, "medium"),
    ],
)
def test_guardduty_severity_bands(score, severity):
    from functions.slack_notifier.families.guardduty import guardduty_severity

    assert guardduty_severity(score) == severity


def test_security_hub_event_leads_with_its_most_severe_finding_and_counts_the_rest():
    notice = notice_for(record("securityhub_findings.json"), "eu-west-1")
    assert notice.title == (
        ':rotating_light: Security Hub critical: IAM policies should not allow full "*" administrative privileges '
        "(and 2 more)"
    )
    assert (notice.severity, notice.source) == ("critical", "aws.securityhub")
    assert {
        "Severity": "CRITICAL (90)",
        "Product": "Security Hub",
        "Resource": "AwsIamPolicy arn:aws:iam::111122223333:policy/legacy-admin",
        "Compliance": "FAILED",
        "Workflow": "NEW",
        "Findings in this event": "3",
        "Also in this event": "HIGH: S3 general purpose buckets should block public access\n"
        "MEDIUM: CloudWatch log groups should be retained for a specified time period",
        "Source": "aws.securityhub",
    }.items() <= fields(notice).items()
    assert notice.link[1].startswith(
        "https://eu-west-1.console.aws.amazon.com/securityhub/home?region=eu-west-1#/findings?search="
        "Id%3D%255Coperator%255C%253AEQUALS%255C%253Aarn%253Aaws%253Asecurityhub%253Aeu-west-1"
    )


def test_security_hub_lists_at_most_five_other_findings():
    event = json.loads(record("securityhub_findings.json")["Sns"]["Message"])
    event["detail"]["findings"] = event["detail"]["findings"][:1] * 9
    notice = notice_for({"Sns": {"Message": json.dumps(event)}}, "eu-west-1")
    assert notice.title.endswith("(and 8 more)")
    assert fields(notice)["Also in this event"].endswith("\n… and 3 more")


def test_an_eventbridge_alarm_state_change_is_shown_as_an_alarm():
    notice = notice_for(record("eventbridge_alarm.json"), "eu-west-1")
    assert notice.title == ":red_circle: ALARM: ops-prod-orders-throttles-warning"
    assert (notice.color, notice.severity, notice.source) == (Color.ALARM, "medium", "aws.cloudwatch")
    assert {
        "State": "OK → ALARM",
        "Metric": "AWS/Lambda Throttles (Sum) for FunctionName=orders",
        "Account": "111122223333",
        "Region": "eu-west-1",
        "Source": "aws.cloudwatch",
    }.items() <= fields(notice).items()
    assert notice.summary.startswith("orders: Invocation requests were throttled.")
    assert notice.link[1].endswith("#alarmsV2:alarm/ops-prod-orders-throttles-warning")


@pytest.mark.parametrize(
    "fixture",
    [
        "cloudtrail_security_group.json",
        "root_sign_in.json",
        "config_compliance.json",
        "health_issue.json",
        "unknown_event.json",
        "guardduty_finding.json",
        "securityhub_findings.json",
        "eventbridge_alarm.json",
        "custom_source_lookalike.json",
        "backup_job_failed.json",
        "guardduty_malware_threats_found.json",
        "inspector_finding.json",
        "inspector_scan.json",
        "ecr_image_scan.json",
        "codepipeline_failed.json",
        "codebuild_failed.json",
        "codedeploy_failed.json",
        "autoscaling_launch_unsuccessful.json",
        "ssm_run_command_failed.json",
        "alarm_configuration_deleted.json",
        "identity_center_sign_in.json",
        "securityhub_custom_action.json",
    ],
)
def test_every_event_shows_its_source(fixture):
    message = json.loads(record(fixture)["Sns"]["Message"])
    assert fields(notice_for(record(fixture), "eu-west-1"))["Source"] == message["source"]


def test_a_custom_source_cannot_pass_for_a_root_sign_in():
    notice = notice_for(record("custom_source_lookalike.json"), "eu-west-1")
    assert notice.title == ":information_source: AWS Console Sign In via CloudTrail (custom.billing-app)"
    assert (notice.color, notice.severity) == (Color.INFO, "info")
    assert "Root" not in notice.title and notice.link is None


# --- regressions of the review ----------------------------------------------------------------------


def test_half_an_emoji_is_delivered_and_the_records_after_it_too(deployed, slack):
    """Finding 1: a lone UTF-16 surrogate used to make the post unencodable and lose the batch."""
    result = notifier_module.handler(sns_event("lone_surrogate.json", "metric_alarm.json"), LambdaContext(30))
    assert result == {"delivered": 2} and len(slack.posts) == 2
    first = slack.bodies[0].decode("utf-8")  # strict: the body is valid UTF-8
    assert "deploy finished \ufffd" in json.loads(first)["attachments"][0]["blocks"][-2]["text"]["text"]


@pytest.mark.parametrize("surrogate", ["\ud83d", "\ude00", "\ude00\ud83d", "a\ud800b"])
def test_any_lone_surrogate_is_replaced_everywhere_in_a_payload(surrogate):
    notice = Notice(
        title=f"t{surrogate}",
        color=Color.INFO,
        summary=surrogate,
        fields=(("f", surrogate),),
        context=surrogate,
        code=surrogate,
    )
    for payload in (to_slack(notice, SlackTarget(channel=f"#c{surrogate}")), to_plain_text(notice, SlackTarget(), "n")):
        assert "\ufffd" in json.dumps(payload, ensure_ascii=False).encode("utf-8").decode("utf-8")


CRAFTED = [
    pytest.param({"AlarmArn": "arn:aws:cloudwatch:evil.example/x?:111122223333:alarm:a"}, id="region-with-a-host"),
    pytest.param({"AlarmArn": "arn:aws-evil:cloudwatch:eu-west-1:111122223333:alarm:a"}, id="unknown-partition"),
    pytest.param({"AlarmArn": "arn:aws:cloudwatch:eu-west-1>|<!channel>:1:alarm:a"}, id="region-with-slack-markup"),
    pytest.param({"AlarmArn": "arn:aws:cloudwatch:EU-WEST-1:111122223333:alarm:a"}, id="region-in-capitals"),
]


@pytest.mark.parametrize("crafted", CRAFTED)
def test_a_crafted_alarm_arn_drops_the_link(crafted):
    """Finding 5: a link is built only from a partition and region AWS has."""
    message = {"AlarmName": "a", "NewStateValue": "ALARM", **crafted}
    assert notice_for({"Sns": {"Message": json.dumps(message)}}, "eu-west-1").link is None


@pytest.mark.parametrize(
    "name",
    ["x>|<!channel>", "a b/c#d?e=f&g", "*bold* _i_ ~s~ `c`", "../../other-service"],
)
def test_names_in_links_are_encoded_whole(name):
    message = {
        "AlarmName": name,
        "NewStateValue": "ALARM",
        "AlarmArn": f"arn:aws:cloudwatch:eu-west-1:111122223333:alarm:{name}",
    }
    url = notice_for({"Sns": {"Message": json.dumps(message)}}, "eu-west-1").link[1]
    assert url.startswith("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/")
    assert not set(url) & set(" <>|*`") and "/../" not in url


def test_a_crafted_topic_region_cannot_steer_links():
    message = {"AlarmName": "a", "NewStateValue": "ALARM"}
    sns = {"Message": json.dumps(message), "TopicArn": "arn:aws:sns:evil.example#:111122223333:alerts"}
    notice = notice_for({"Sns": sns}, "eu-west-1")
    assert notice.link[1].startswith("https://eu-west-1.console.aws.amazon.com/")


def test_a_crafted_cloudtrail_region_drops_the_link():
    event = json.loads(record("cloudtrail_security_group.json")["Sns"]["Message"])
    event["detail"]["awsRegion"] = "eu-west-1.evil.example"
    assert notice_for({"Sns": {"Message": json.dumps(event)}}, "eu-west-1").link is None


def test_a_hanging_slack_fails_a_batch_before_the_deadline(deployed, slack):
    """Finding 6: with several records and no answer, the invocation still ends before its timeout."""
    slack.hang = 6.0
    started = time.monotonic()
    with pytest.raises(DeliveryError) as raised:
        notifier_module.handler(
            sns_event("metric_alarm.json", "root_sign_in.json", "health_issue.json"), LambdaContext(4)
        )
    assert time.monotonic() - started < 4
    message = str(raised.value)
    assert "3 of 3 record(s) not delivered" in message
    assert "record 3" in message and "the invocation's time ran out" in message


def test_no_attempt_starts_too_close_to_the_deadline():
    clock = FakeClock()
    clock.now = 29.5
    send = scripted(Response(200, "ok"))
    with pytest.raises(DeliveryError, match="not attempted after 0 attempt"):
        deliver("https://hooks.example/T/B/secret", {}, 30.0, send=send, clock=clock, sleep=clock.sleep)
    assert send.calls == []


TOKEN = "very-secret-token-0123456789"
WEBHOOK = f"https://hooks.example/services/T0ABCDEFG/B0HIJKLMN/{TOKEN}"


@pytest.mark.parametrize(
    "echo",
    [
        f"bad request to /services/T0ABCDEFG/B0HIJKLMN/{TOKEN[:9]}",
        f"invalid_token: ...{TOKEN[5:17]}",
        f"path=B0HIJKLMN/{TOKEN[:4]}",
        f"{TOKEN[-6:]} not found",
    ],
    ids=["cut-mid-token", "middle-of-token", "shortest-fragment", "tail-of-token"],
)
def test_no_fragment_of_the_webhook_path_survives_in_an_error(echo):
    """Finding 7: an echoed body cut mid-token still leaked the start of the token."""
    send = scripted(Response(403, echo))
    with pytest.raises(DeliveryError) as raised:
        deliver(WEBHOOK, {}, 30.0, send=send, clock=FakeClock(), sleep=lambda s: None)
    error = str(raised.value)
    for secret in (TOKEN, "T0ABCDEFG", "B0HIJKLMN"):
        assert not any(secret[i : i + 4] in error for i in range(len(secret) - 3)), error
    assert "HTTP 403" in error and "[webhook]" in error


def test_the_error_code_itself_is_kept():
    send = scripted(Response(404, "no_service"))
    with pytest.raises(DeliveryError, match="HTTP 404 no_service"):
        deliver(WEBHOOK, {}, 30.0, send=send, clock=FakeClock(), sleep=lambda s: None)


def test_libraries_never_log_the_decrypted_webhook_at_debug(deployed, slack, caplog):
    """Finding 8: botocore logs the Decrypt response body (the webhook in base64) at DEBUG."""
    caplog.set_level(logging.DEBUG)
    notifier_module.handler(sns_event("metric_alarm.json"), LambdaContext(30))
    encoded = base64.b64encode(slack.url.encode()).decode()
    assert len(slack.posts) == 1
    assert not any(secret in caplog.text for secret in (*secret_parts(slack), encoded, encoded[:40]))
    assert logging.getLogger("botocore").level == logging.NOTSET  # restored after the call


@pytest.mark.parametrize("length", range(2930, 2960))
def test_clipping_never_cuts_an_escape_in_half(length):
    """Finding 9: the code block's end fell inside `&amp;`."""
    notice = Notice(title="t", color=Color.INFO, code="&<>" * length)
    code = blocks_of(to_slack(notice, SlackTarget()))[-1]["text"]["text"]
    body = code.removeprefix("```\n").removesuffix("\n```")
    assert re.fullmatch(r"(?:&amp;|&lt;|&gt;)*… \(\d+ more characters\)", body), body[-40:]


def test_a_link_is_shown_whole_or_not_at_all():
    url = "https://eu-west-1.console.aws.amazon.com/cloudwatch/home#" + "a" * 4000
    blocks = blocks_of(to_slack(Notice(title="t", color=Color.INFO, link=("Open", url)), SlackTarget()))
    assert not any("<https://" in json.dumps(b) for b in blocks)


@pytest.mark.parametrize("name", ["*ops*-prod", "_tmp_ alarm", "~old~", "`code` alarm", "a*b_c~d`e"])
def test_markup_characters_in_an_alarm_name_are_shown_as_they_are(name):
    """Finding 10: `*`, `_`, `~` and backticks in names broke the bold headline."""
    payload = to_slack(
        notice_for({"Sns": {"Message": json.dumps({"AlarmName": name, "NewStateValue": "ALARM"})}}, "x"), SlackTarget()
    )
    header = blocks_of(payload)[0]["text"]
    assert header == {"type": "plain_text", "text": f":red_circle: ALARM: {name}", "emoji": True}
    assert payload["mrkdwn"] is False and payload["text"] == f":red_circle: ALARM: {name}"


def test_a_rejected_notice_still_arrives_as_plain_text_and_is_reported(deployed, slack, caplog, capsys):
    """Finding 11: a permanent 400 used to lose the alert."""
    slack.answer((400, {}, "invalid_blocks"), (200, {}, "ok"))
    assert notifier_module.handler(sns_event("metric_alarm.json"), LambdaContext(30)) == {
        "delivered": 1,
        "plainText": 1,
    }
    formatted, plain = (body for _, _, body in slack.posts)
    assert "attachments" in formatted and set(plain) == {"text", "mrkdwn", "channel", "username"}
    assert plain["text"].startswith(
        ":red_circle: ALARM: ops-prod-orders-errors-critical\n(Slack did not take the formatted"
    )
    assert "HTTP 400 invalid_blocks" in plain["text"] and "Metric: AWS/Lambda Errors (Sum)" in plain["text"]
    metric = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert metric["PlainTextFallbacks"] == 1 and metric["FunctionName"] == FUNCTION_NAME
    assert metric["_aws"]["CloudWatchMetrics"][0]["Namespace"] == "OpsBaseline/SlackNotifier"
    assert "posted it as plain text to default" in caplog.text


def test_a_notice_rejected_twice_fails_the_invocation(deployed, slack):
    slack.answer((400, {}, "invalid_payload"))
    with pytest.raises(DeliveryError, match="HTTP 400 invalid_payload"):
        notifier_module.handler(sns_event("metric_alarm.json"), LambdaContext(30))
    assert len(slack.posts) == 2


# --- routing ----------------------------------------------------------------------------------------


def route_env(deployed, slack, monkeypatch) -> str:
    """One route for critical notices and security findings, to its own webhook."""
    incidents = slack.url.replace("s3cr3tW3bh00kT0k3n", "1nc1d3ntsT0k3n")
    routes = [
        {
            "name": "incidents",
            "channel": "#incidents",
            "severities": ["critical"],
            "sources": ["aws.guardduty", "aws.securityhub"],
        }
    ]
    monkeypatch.setenv("SLACK_ROUTES", json.dumps(routes))
    monkeypatch.setenv("SLACK_ROUTE_CIPHERTEXTS", json.dumps({"incidents": deployed(url=incidents)}))
    notifier_module.notifier.cache_clear()
    return incidents.split("/", 3)[3]


def test_routes_send_by_severity_or_source_and_the_rest_to_the_default(deployed, slack, monkeypatch):
    incidents_path = "/" + route_env(deployed, slack, monkeypatch)
    event = sns_event("guardduty_finding.json", "metric_alarm.json", "config_compliance.json", "eventbridge_alarm.json")
    assert notifier_module.handler(event, LambdaContext(30)) == {"delivered": 4}
    default_path = "/services/T0001/B0001/s3cr3tW3bh00kT0k3n"
    assert [(path, body.get("channel")) for _, path, body in slack.posts] == [
        (incidents_path, "#incidents"),  # a GuardDuty finding (source)
        (incidents_path, "#incidents"),  # a -critical alarm in ALARM (severity)
        (default_path, "#ops-alerts"),  # a Config change (medium)
        (default_path, "#ops-alerts"),  # a -warning alarm (medium)
    ]


def test_each_route_keeps_the_delivery_guarantees(deployed, slack, monkeypatch):
    route_env(deployed, slack, monkeypatch)
    slack.answer((500, {}, "rollup_error"), (200, {}, "ok"))
    assert notifier_module.handler(sns_event("securityhub_findings.json"), LambdaContext(30)) == {"delivered": 1}
    assert len(slack.posts) == 2 and slack.posts[1][2]["channel"] == "#incidents"


@pytest.mark.parametrize(
    ("routes", "ciphertexts", "problem"),
    [
        ("{", "{}", "SLACK_ROUTES is not JSON"),
        ('{"name": "x"}', "{}", "must be a JSON list"),
        ('[{"channel": "#x"}]', "{}", "SLACK_ROUTES[0] needs a name"),
        ('[{"name": "x"}]', "{", "SLACK_ROUTE_CIPHERTEXTS is not JSON"),
        ('[{"name": "x"}]', '{"y": "c"}', "SLACK_ROUTE_CIPHERTEXTS has no ciphertext for the route x"),
    ],
)
def test_a_broken_routes_variable_is_named(routes, ciphertexts, problem):
    env = {"SLACK_WEBHOOK_CIPHERTEXT": "c", "AWS_LAMBDA_FUNCTION_NAME": FUNCTION_NAME, "AWS_REGION": "eu-west-1"}
    with pytest.raises(ConfigurationError, match=re.escape(problem)):
        Config.from_environment({**env, "SLACK_ROUTES": routes, "SLACK_ROUTE_CIPHERTEXTS": ciphertexts})


@pytest.mark.parametrize(
    ("severity", "source", "expected"),
    [
        ("critical", "aws.cloudwatch", "incidents"),
        ("high", "aws.guardduty", "incidents"),
        ("high", "aws.cloudwatch", "security"),
        ("medium", "aws.securityhub", "security"),
        ("medium", "aws.config", None),
        ("info", "", None),
    ],
)
def test_the_first_route_that_takes_a_notice_wins(severity, source, expected):
    from functions.slack_notifier.routing import route_for

    routes = [
        Route("incidents", frozenset({"critical"}), frozenset({"aws.guardduty"})),
        Route("security", frozenset({"high"}), frozenset({"aws.securityhub"})),
    ]
    route = route_for(Notice(title="t", color=Color.INFO, severity=severity, source=source), routes)
    assert (route.name if route else None) == expected


# --- issue 24: every real event family is a card ----------------------------------------------------

LAMBDA_EVENTS = Path(__file__).parent / "events" / "lambda"


@pytest.mark.parametrize(
    "fixture, title, severity, color, expected_fields, link",
    [
        pytest.param(
            "backup_job_failed.json",
            ":red_circle: AWS Backup backup job FAILED: arn:aws:rds:eu-west-1:111122223333:db:orders-primary",
            "high",
            Color.ALARM,
            {"State": "FAILED", "Vault": "ops-prod-daily", "Job": "4c2d9e7a-8b1f-4a6e-9d3c-5f0b2e1a7c84"},
            "backup/home?region=eu-west-1#/jobs/backup/details/4c2d9e7a-8b1f-4a6e-9d3c-5f0b2e1a7c84",
            id="backup-job-failed",
        ),
        pytest.param(
            "backup_copy_failed.json",
            ":red_circle: AWS Backup copy job FAILED: arn:aws:ec2:eu-west-1:111122223333:volume/vol-0a1b2c3d4e5f60718",
            "high",
            Color.ALARM,
            {"Vault": "ops-prod-daily", "Destination vault": "ops-prod-dr"},
            "#/jobs/copy/details/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
            id="backup-copy-failed",
        ),
        pytest.param(
            "backup_job_expired.json",
            ":large_orange_circle: AWS Backup backup job EXPIRED: 0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a",
            "medium",
            Color.WARNING,
            {"State": "EXPIRED", "Account": "111122223333", "Started": "2026-11-21T01:00:00.000Z"},
            "#/jobs/backup/details/0d9c8b7a-6f5e-4d3c-9b2a-1f0e9d8c7b6a",
            id="backup-vault-notification-expired",
        ),
        pytest.param(
            "guardduty_malware_threats_found.json",
            ":red_circle: GuardDuty malware scan: malware found in s3://ops-prod-uploads/invoices/2026/11/invoice-88412.pdf",
            "high",
            Color.ALARM,
            {"Result": "THREATS_FOUND", "Threats": "PDF.Dropper.Agent-1865237", "Bucket": "ops-prod-uploads"},
            "s3/object/ops-prod-uploads?region=eu-west-1&prefix=invoices%2F2026%2F11%2Finvoice-88412.pdf",
            id="guardduty-malware-threats-found",
        ),
        pytest.param(
            "inspector_finding.json",
            ":rotating_light: Inspector critical: CVE-2023-38545 - curl",
            "critical",
            Color.ALARM,
            {
                "Severity": "CRITICAL (score 9.8)",
                "Packages": "curl 8.3.0 (fixed in 8.4.0)",
                "Resources": "AWS_EC2_INSTANCE i-0f1e2d3c4b5a69788",
                "Observed": "Sat Nov 21 08:12:40.101 UTC 2026 → Sat Nov 21 09:55:02.733 UTC 2026",
            },
            "inspector/v2/home?region=eu-west-1#/findings/all",
            id="inspector-finding",
        ),
        pytest.param(
            "inspector_scan.json",
            ":red_circle: Inspector scan of i-0f1e2d3c4b5a69788: 3 high, 7 medium",
            "high",
            Color.ALARM,
            {"Scan status": "INITIAL_SCAN_COMPLETE", "Total": "10"},
            None,
            id="inspector-scan",
        ),
        pytest.param(
            "ecr_image_scan.json",
            ":rotating_light: ECR scan of orders-api:2026.11.21-1: 1 critical, 4 high, 12 medium, 3 low, 9 informational",
            "critical",
            Color.ALARM,
            {"Repository": "orders-api", "Scan status": "COMPLETE"},
            "ecr/home?region=eu-west-1#/repositories/orders-api",
            id="ecr-image-scan",
        ),
        pytest.param(
            "codepipeline_failed.json",
            ":red_circle: CodePipeline orders-api-release: FAILED",
            "high",
            Color.ALARM,
            {"Pipeline": "orders-api-release", "Execution": "e1d2c3b4-a5f6-4789-8a0b-1c2d3e4f5a6b"},
            "https://eu-west-1.console.aws.amazon.com/codesuite/codepipeline/pipelines/orders-api-release/view?region=eu-west-1",
            id="codepipeline-failed",
        ),
        pytest.param(
            "codebuild_failed.json",
            ":red_circle: CodeBuild orders-api-tests #412: FAILED",
            "high",
            Color.ALARM,
            {"Failed phase": "BUILD: FAILED", "Started by": "codepipeline/orders-api-release"},
            "codesuite/codebuild/projects/orders-api-tests/history?region=eu-west-1",
            id="codebuild-failed",
        ),
        pytest.param(
            "codedeploy_failed.json",
            ":red_circle: CodeDeploy d-7XK2M9Q4B (orders-api / orders-api-prod): FAILURE",
            "high",
            Color.ALARM,
            {"Deployment group": "orders-api-prod", "State": "FAILURE"},
            "codesuite/codedeploy/deployments/d-7XK2M9Q4B?region=eu-west-1",
            id="codedeploy-failed",
        ),
        pytest.param(
            "autoscaling_launch_unsuccessful.json",
            ":red_circle: Auto Scaling could not launch an instance in orders-workers",
            "high",
            Color.ALARM,
            {"Group": "orders-workers", "Where": "eu-west-1b, subnet-0c1d2e3f4a5b6c7d8"},
            "ec2/home?region=eu-west-1#AutoScalingGroupDetails:id=orders-workers",
            id="autoscaling-launch-unsuccessful",
        ),
        pytest.param(
            "ssm_run_command_failed.json",
            ":red_circle: Run Command AWS-RunPatchBaseline on i-0a9b8c7d6e5f40312: Failed",
            "high",
            Color.ALARM,
            {"Command": "5d8f2a1c-7e3b-4c9d-a0f1-2b3c4d5e6f70", "Source": "aws.ssm"},
            "systems-manager/run-command/5d8f2a1c-7e3b-4c9d-a0f1-2b3c4d5e6f70?region=eu-west-1",
            id="ssm-run-command-event-failed",
        ),
        pytest.param(
            "ssm_run_command_timed_out.json",
            ":red_circle: Run Command AWS-RunShellScript on i-0c1d2e3f4a5b6c7d8: TimedOut",
            "high",
            Color.ALARM,
            {"Status": "TimedOut (Execution Timed Out)"},
            "systems-manager/run-command/c4b3a291-8f7e-4d6c-b5a4-93827160f5e4",
            id="ssm-run-command-sns-notification-timed-out",
        ),
        pytest.param(
            "alarm_configuration_deleted.json",
            ":large_orange_circle: Alarm deleted: ops-prod-orders-errors-critical",
            "medium",
            Color.WARNING,
            {"Operation": "delete", "Alarm actions": "arn:aws:sns:eu-west-1:111122223333:ops-prod-alerts"},
            None,
            id="alarm-configuration-deleted",
        ),
        pytest.param(
            "alarm_configuration_silenced.json",
            ":large_orange_circle: Alarm updated: ops-prod-orders-throttles-warning",
            "medium",
            Color.WARNING,
            {"Actions enabled": "false", "Changed settings": "actionsEnabled"},
            "#alarmsV2:alarm/ops-prod-orders-throttles-warning",
            id="alarm-configuration-actions-disabled",
        ),
        pytest.param(
            "identity_center_sign_in.json",
            ":rotating_light: Credential verification by Identity Center user jane.doe: Failure",
            "high",
            Color.ALARM,
            {"Event": "CredentialVerification", "Result": "Failure", "Credential type": "PASSWORD"},
            "cloudtrail/home?region=eu-west-1#/events/d4c3b2a1-0f9e-4d8c-b7a6-958473625140",
            id="identity-center-sign-in-service-event",
        ),
        pytest.param(
            "s3_replication_failed.json",
            ":red_circle: S3 Replication:OperationFailedReplication: s3://ops-prod-exports/daily/2026-11-21/orders.parquet",
            "high",
            Color.ALARM,
            {"Failure reason": "AssumeRoleNotPermitted", "Destination": "arn:aws:s3:::ops-prod-exports-replica"},
            "s3/buckets/ops-prod-exports?region=eu-west-1&tab=management",
            id="s3-replication-failed",
        ),
        pytest.param(
            "config_item_change.json",
            ":white_circle: Config recorded UPDATE: AWS::EC2::SecurityGroup orders-db",
            "info",
            Color.NEUTRAL,
            {
                "Changed properties": "Configuration.IpPermissions.0",
                "Notification": "ConfigurationItemChangeNotification",
            },
            "config/home?region=eu-west-1#/timeline/AWS%3A%3AEC2%3A%3ASecurityGroup/sg-0d1e2f3a4b5c6d7e8",
            id="config-item-change",
        ),
        pytest.param(
            "config_rules_evaluation_started.json",
            ":white_circle: Config rule evaluation started (3 rules)",
            "info",
            Color.NEUTRAL,
            {
                "Rules": "ops-prod-cw-loggroup-retention-period-check\nops-prod-s3-bucket-public-read-prohibited\n"
                "ops-prod-encrypted-volumes"
            },
            None,
            id="config-rules-evaluation-started",
        ),
        pytest.param(
            "config_snapshot_delivered.json",
            ":white_circle: Config configuration snapshot delivery completed",
            "info",
            Color.NEUTRAL,
            {"Snapshot": "3a9b8c7d-6e5f-4a1b-9c2d-8e7f6a5b4c3d"},
            None,
            id="config-snapshot-delivered",
        ),
        pytest.param(
            "config_oversized_item.json",
            ":white_circle: Config recorded UPDATE (oversized item): AWS::IAM::Policy orders-service-access",
            "info",
            Color.NEUTRAL,
            {"Region": "global", "Captured at": "2026-11-21T09:25:40.017Z"},
            "#/timeline/AWS%3A%3AIAM%3A%3APolicy/ANPA5EXAMPLEPOLICY0001",
            id="config-oversized-item-as-text",
        ),
    ],
)
def test_each_real_event_family_is_a_card(fixture, title, severity, color, expected_fields, link):
    notice = notice_for(record(fixture), "eu-west-1")
    assert (notice.title, notice.severity, notice.color) == (title, severity, color)
    assert expected_fields.items() <= fields(notice).items()
    assert notice.code == ""  # summarised, never dumped
    if link is None:
        assert notice.link is None
    else:
        assert link in notice.link[1]


def test_a_config_delivery_notification_is_summarised_not_dumped():
    notice = notice_for(record("config_item_change.json"), "eu-west-1")
    payload = json.dumps(to_slack(notice, SlackTarget()))
    assert "ipPermissions" not in payload and "0.0.0.0/0" not in payload  # the item itself stays in Config


def test_a_failed_config_delivery_is_medium():
    message = {"messageType": "ConfigurationSnapshotDeliveryFailed", "recordVersion": "1.1", "s3Bucket": "b"}
    notice = notice_for({"Sns": {"Message": json.dumps(message)}}, "eu-west-1")
    assert notice.severity == "medium" and notice.title.endswith("Config configuration snapshot delivery failed")


def test_a_lambda_alarm_action_is_shown_as_the_alarm():
    event = json.loads((LAMBDA_EVENTS / "cloudwatch_alarm_action.json").read_text())
    notice = notice_for(event, "eu-west-1")
    assert notice.title == ":red_circle: ALARM: ops-prod-orders-duration-warning"
    assert (notice.severity, notice.source) == ("medium", "aws.cloudwatch")
    assert {
        "State": "OK → ALARM",
        "Metric": "AWS/Lambda Duration (Average) for FunctionName=orders",
        "Account": "111122223333",
        "Changed at": "2026-11-21T09:50:21.604+0000",
    }.items() <= fields(notice).items()
    assert notice.summary.startswith("orders: p-average duration above 80% of the 3 s timeout.\nThreshold Crossed")
    assert notice.link[1].endswith("#alarmsV2:alarm/ops-prod-orders-duration-warning")


def posting_notifier() -> tuple[Notifier, list[dict[str, Any]]]:
    sent: list[dict[str, Any]] = []

    def send(url: str, body: bytes, timeout: float) -> Response:
        sent.append(json.loads(body))
        return Response(200, "ok")

    return Notifier(FAKE_CONFIG, decrypt=lambda c, config: "https://hooks.example/services/T/B/x", send=send), sent


def test_the_handler_posts_what_an_alarm_action_or_s3_invokes_it_with():
    notifier, sent = posting_notifier()
    alarm = json.loads((LAMBDA_EVENTS / "cloudwatch_alarm_action.json").read_text())
    s3_event = json.loads(record("s3_replication_failed.json")["Sns"]["Message"])  # S3 → Lambda directly
    assert notifier.notify(alarm, 30.0) == {"delivered": 1}
    assert notifier.notify(s3_event, 30.0) == {"delivered": 1}
    assert [p["text"] for p in sent] == [
        ":red_circle: ALARM: ops-prod-orders-duration-warning",
        ":red_circle: S3 Replication:OperationFailedReplication: s3://ops-prod-exports/daily/2026-11-21/orders.parquet",
    ]


@pytest.mark.parametrize(
    ("state", "severity"),
    [("FAILED", "high"), ("EXPIRED", "medium"), ("ABORTED", "medium"), ("COMPLETED", "info"), ("RUNNING", "info")],
)
def test_backup_job_severity_comes_from_its_state(state, severity):
    event = json.loads(record("backup_job_failed.json")["Sns"]["Message"])
    event["detail"].update(state=state, statusMessage="")
    assert notice_for({"Sns": {"Message": json.dumps(event)}}, "eu-west-1").severity == severity


def test_a_backup_job_completed_with_issues_is_low_not_green():
    event = json.loads(record("backup_job_failed.json")["Sns"]["Message"])
    event["detail"].update(
        state="COMPLETED", statusMessage="Windows VSS backup attempt failed; crash-consistent backup taken."
    )
    notice = notice_for({"Sns": {"Message": json.dumps(event)}}, "eu-west-1")
    assert (notice.severity, notice.color) == ("low", Color.INFO)


@pytest.mark.parametrize(
    ("fixture", "field", "state"),
    [
        ("codepipeline_failed.json", "state", "SUCCEEDED"),
        ("codebuild_failed.json", "build-status", "SUCCEEDED"),
        ("codedeploy_failed.json", "state", "SUCCESS"),
    ],
)
def test_a_successful_run_is_green_and_info(fixture, field, state):
    event = json.loads(record(fixture)["Sns"]["Message"])
    event["detail"][field] = state
    notice = notice_for({"Sns": {"Message": json.dumps(event)}}, "eu-west-1")
    assert (notice.severity, notice.color) == ("info", Color.OK)


@pytest.mark.parametrize(
    ("counts", "severity"),
    [
        ({"CRITICAL": 0, "HIGH": 0, "MEDIUM": 2}, "medium"),
        ({"LOW": 1}, "low"),
        ({"INFORMATIONAL": 4}, "info"),
        ({}, "info"),
    ],
)
def test_an_image_scan_is_as_severe_as_its_worst_finding(counts, severity):
    event = json.loads(record("ecr_image_scan.json")["Sns"]["Message"])
    event["detail"]["finding-severity-counts"] = counts
    assert notice_for({"Sns": {"Message": json.dumps(event)}}, "eu-west-1").severity == severity


def test_a_closed_inspector_finding_is_info():
    event = json.loads(record("inspector_finding.json")["Sns"]["Message"])
    event["detail"]["status"] = "CLOSED"
    notice = notice_for({"Sns": {"Message": json.dumps(event)}}, "eu-west-1")
    assert notice.severity == "info" and notice.title.startswith(":white_circle: Inspector info (closed):")


# --- issue 24: regressions of the defects -----------------------------------------------------------


@pytest.mark.parametrize("title", ["<!channel> disk full", "<https://evil.example|Open the runbook>", "a & b"])
def test_the_attachment_fallback_is_escaped_like_the_text(title):
    payload = to_slack(Notice(title=title, color=Color.INFO), SlackTarget())
    fallback = payload["attachments"][0]["fallback"]
    assert fallback == payload["text"] and "<" not in fallback and ">" not in fallback
    assert fallback.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&") == title


@pytest.mark.parametrize(
    ("fixture", "title", "expected"),
    [
        (
            "root_password_updated.json",
            ":rotating_light: Root user password change: Success",
            {"Event": "PasswordUpdated", "Result": "Success", "Who": "root user"},
        ),
        (
            "check_mfa_failure.json",
            ":rotating_light: MFA check by IAM user jane.doe: Failure",
            {"Event": "CheckMfa", "Result": "Failure", "MFA type": "Virtual MFA"},
        ),
        (
            "root_sign_in.json",
            ":rotating_light: Root user console sign-in: Success",
            {"Event": "ConsoleLogin", "Result": "Success", "MFA used": "No"},
        ),
    ],
)
def test_every_sign_in_event_says_what_happened(fixture, title, expected):
    notice = notice_for(record(fixture), "eu-west-1")
    assert notice.title == title
    assert expected.items() <= fields(notice).items()


def test_a_failed_iam_user_console_sign_in_is_high_with_the_error():
    event = json.loads(record("check_mfa_failure.json")["Sns"]["Message"])
    event["detail"].update(
        eventName="ConsoleLogin", responseElements={"ConsoleLogin": "Failure"}, errorMessage="Failed authentication"
    )
    event["detail"]["additionalEventData"] = {"MFAUsed": "No", "LoginTo": "https://console.aws.amazon.com/console/home"}
    notice = notice_for({"Sns": {"Message": json.dumps(event)}}, "eu-west-1")
    assert notice.title == ":rotating_light: Console sign-in by IAM user jane.doe: Failure"
    assert notice.severity == "high"
    assert {"Error": "Failed authentication", "MFA used": "No"}.items() <= fields(notice).items()


@pytest.mark.parametrize(
    ("score", "label"),
    [
        (0, "info"),
        (1, "low"),
        (39, "low"),
        (40, "medium"),
        (69, "medium"),
        (70, "high"),
        (89, "high"),
        (90, "critical"),
        (100, "critical"),
    ],
)
def test_security_hub_score_bands_give_the_label(score, label):
    from functions.slack_notifier.families.securityhub import finding_severity

    assert finding_severity({"Severity": {"Normalized": score}}) == (label, float(score))


def test_an_older_security_hub_finding_without_a_label_is_routed_by_its_score():
    notice = notice_for(record("securityhub_custom_action.json"), "eu-west-1")
    assert notice.severity == "high" and fields(notice)["Severity"] == "HIGH (71)"


def test_a_security_hub_custom_action_keeps_the_action_name_and_description():
    notice = notice_for(record("securityhub_custom_action.json"), "eu-west-1")
    assert notice.title == (
        ":red_circle: Security Hub high (custom action Escalate): 1.4 Ensure access keys are rotated every 90 days or less"
    )
    assert notice.summary.startswith("Custom action Escalate: Page the security on-call with the selected findings\n")
    assert fields(notice)["Custom action"] == "Escalate"


def test_the_security_hub_card_shows_finding_types_and_when_it_was_observed():
    shown = fields(notice_for(record("securityhub_custom_action.json"), "eu-west-1"))
    assert shown["Types"] == (
        "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark\n"
        "Effects/Data Exposure"
    )
    assert shown["Observed"] == "2026-09-02T07:14:55.100Z → 2026-11-21T07:15:03.842Z"


# --- the deployed archive ---------------------------------------------------------------------------


def test_the_lambda_archive_ships_every_module_and_formats_from_it(tmp_path):
    """The component zips functions/slack_notifier: the families subpackage must be in it, and the
    handler must import and format from the archive alone, as Lambda will run it."""
    import subprocess
    import sys

    from components.slack_notifier import SOURCE, package

    archive = package()
    names = set(archive.assets)
    expected = {f"slack_notifier/{p.relative_to(SOURCE).as_posix()}" for p in SOURCE.rglob("*.py")}
    assert names == expected and "slack_notifier/families/backup.py" in names
    for name, asset in archive.assets.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(Path(asset.path).read_bytes())
    script = (
        "import json, sys; from slack_notifier.handler import handler; "
        "from slack_notifier.formatters import notice_for; "
        "print(notice_for(json.load(sys.stdin), 'eu-west-1').title)"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); {script}"],
        input=json.dumps(record("backup_job_failed.json")),
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(":red_circle: AWS Backup backup job FAILED")
