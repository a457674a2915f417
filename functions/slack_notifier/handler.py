"""Lambda entry point, and the only module with I/O: KMS once per container, then HTTPS posts to Slack.

Every record of an invocation is delivered or reported. Slack's 429 is honoured through `Retry-After`;
5xx answers, timeouts and connection errors are retried with jittered backoff while the invocation
has time left. When a record still fails, the invocation fails (`DeliveryError`) so Lambda's async
retries and the on-failure destination keep the message. The webhook URL is a secret: it is never
logged and never part of an error.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import os
import random
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .formatters import notice_for
from .notice import SlackTarget, to_slack

ENCRYPTION_CONTEXT_KEY = "LambdaFunctionName"
"""Encryption context of the webhook ciphertext: the function's own name, as the seed and the console helper use."""
REQUEST_TIMEOUT_SECONDS = 10.0
SAFETY_MARGIN_SECONDS = 1.0
"""Time kept back from the Lambda timeout to log and fail cleanly instead of being killed."""
MIN_ATTEMPT_SECONDS = 1.0
"""A retry is only started with at least this much time left before the deadline."""
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0

LOG = logging.getLogger("slack_notifier")
LOG.setLevel(logging.INFO)


class ConfigurationError(RuntimeError):
    """The function is deployed wrong (missing variable, undecryptable webhook); retrying cannot help."""


class DeliveryError(RuntimeError):
    """At least one record did not reach Slack; failing the invocation hands it to Lambda's retries."""


@dataclass(frozen=True)
class Config:
    ciphertext: str
    function_name: str
    region: str
    target: SlackTarget

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Config:
        required = ("SLACK_WEBHOOK_CIPHERTEXT", "AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION")
        missing = [name for name in required if not env.get(name)]
        if missing:
            raise ConfigurationError(f"environment variable(s) not set: {', '.join(missing)}")
        return cls(
            ciphertext=env["SLACK_WEBHOOK_CIPHERTEXT"],
            function_name=env["AWS_LAMBDA_FUNCTION_NAME"],
            region=env["AWS_REGION"],
            target=SlackTarget(
                channel=env.get("SLACK_CHANNEL") or None,
                username=env.get("SLACK_USERNAME") or None,
                icon_emoji=env.get("SLACK_ICON_EMOJI") or None,
            ),
        )


def decrypt_webhook(config: Config) -> str:
    # boto3 costs a few hundred milliseconds to import; only the first invocation of a container pays it.
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError

    context = {ENCRYPTION_CONTEXT_KEY: config.function_name}
    try:
        blob = base64.b64decode(config.ciphertext, validate=True)
        plaintext = boto3.client("kms", region_name=config.region).decrypt(
            CiphertextBlob=blob, EncryptionContext=context
        )
    except binascii.Error:
        raise ConfigurationError("SLACK_WEBHOOK_CIPHERTEXT is not base64 (expected a KMS CiphertextBlob)") from None
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "error")
        raise ConfigurationError(
            f"KMS could not decrypt SLACK_WEBHOOK_CIPHERTEXT ({code}). It must be encrypted with the key the function "
            f"may use and the encryption context {ENCRYPTION_CONTEXT_KEY}={config.function_name}."
        ) from None
    except BotoCoreError as error:
        raise ConfigurationError(f"KMS was not reachable to decrypt the webhook ({type(error).__name__})") from None
    url = plaintext["Plaintext"].decode("utf-8", errors="replace").strip()
    if not url.startswith("https://"):
        raise ConfigurationError("the decrypted webhook is not an https:// URL (store the full URL, scheme included)")
    return url


@dataclass(frozen=True)
class Response:
    status: int | None
    """HTTP status; None when no answer came back (timeout, refused connection)."""
    detail: str
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def describe(self) -> str:
        return f"HTTP {self.status} {self.detail}".strip() if self.status is not None else self.detail


def post(url: str, body: bytes, timeout: float) -> Response:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, answer.read(200).decode("utf-8", errors="replace"))
    except urllib.error.HTTPError as error:
        detail = error.read(200).decode("utf-8", errors="replace") if error.fp else ""
        return Response(error.code, detail, retry_after_seconds(error.headers.get("Retry-After")))
    except urllib.error.URLError as error:
        return Response(None, f"no answer ({type(error.reason).__name__}: {error.reason})")
    except (TimeoutError, OSError) as error:
        return Response(None, f"no answer ({type(error).__name__})")


def retry_after_seconds(header: str | None) -> float | None:
    try:
        seconds = float(header) if header is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and seconds >= 0 else None


def retry_delay(response: Response, attempt: int, jitter: float) -> float | None:
    """Seconds to wait before attempt `attempt + 1`, or None when retrying cannot help.

    429 waits what Slack asks; 5xx and no answer back off exponentially (`jitter` in [0, 1) spreads
    concurrent retries); other 4xx mean a bad payload or a revoked webhook, so they fail at once.
    """
    if response.status == 429 and response.retry_after is not None:
        return response.retry_after
    if response.status in (None, 429) or response.status >= 500:
        return min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)) * (0.5 + jitter / 2)
    return None


def deliver(
    url: str,
    payload: Mapping[str, Any],
    deadline: float,
    *,
    send: Callable[[str, bytes, float], Response] = post,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Post one payload until Slack accepts it; returns the attempts used. Raises DeliveryError without the URL."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    attempt = 0
    while True:
        attempt += 1
        response = send(url, body, max(0.1, min(REQUEST_TIMEOUT_SECONDS, deadline - clock())))
        if response.ok:
            return attempt
        delay = retry_delay(response, attempt, random.random())  # jitter, not security
        if delay is None or clock() + delay + MIN_ATTEMPT_SECONDS > deadline:
            reason = "not retryable" if delay is None else "no time left for another attempt"
            raise DeliveryError(f"{_scrub(response.describe(), url)} after {attempt} attempt(s), {reason}")
        LOG.warning(
            "Slack answered %s; retrying in %.1f s (attempt %d)", _scrub(response.describe(), url), delay, attempt
        )
        sleep(delay)


def _scrub(message: str, url: str) -> str:
    """An echoing proxy must not leak the webhook into logs either."""
    path = url.split("://", 1)[-1].partition("/")[2]
    for secret in (url, path):
        if secret:
            message = message.replace(secret, "[webhook]")
    return message


def records_of(event: Any) -> list[Any]:
    """SNS invocations carry `Records`; anything else (a test invoke, a direct target) is one message."""
    if isinstance(event, Mapping) and isinstance(event.get("Records"), list):
        return event["Records"]
    return [event]


class Notifier:
    """Settings read once per container; the webhook decrypted on first use and kept."""

    def __init__(
        self,
        config: Config,
        *,
        decrypt: Callable[[Config], str] = decrypt_webhook,
        send: Callable[[str, bytes, float], Response] = post,
    ) -> None:
        self.config = config
        self._decrypt = decrypt
        self._send = send
        self._webhook: str | None = None

    @property
    def webhook(self) -> str:
        if self._webhook is None:
            self._webhook = self._decrypt(self.config)
        return self._webhook

    def notify(self, event: Any, remaining_seconds: float) -> dict[str, int]:
        deadline = time.monotonic() + remaining_seconds - SAFETY_MARGIN_SECONDS
        records = records_of(event)
        failures: list[str] = []
        for number, record in enumerate(records, 1):
            notice = notice_for(record, self.config.region)
            message_id = _message_id(record)
            try:
                attempts = deliver(self.webhook, to_slack(notice, self.config.target), deadline, send=self._send)
            except DeliveryError as error:
                failures.append(f"record {number} ({message_id}): {error}")
                LOG.error("record %d (%s) %r not delivered: %s", number, message_id, notice.title, error)
                continue
            LOG.info("record %d (%s) %r delivered in %d attempt(s)", number, message_id, notice.title, attempts)
        if failures:
            raise DeliveryError(
                f"{len(failures)} of {len(records)} record(s) not delivered to Slack: " + "; ".join(failures)
            )
        return {"delivered": len(records)}


def _message_id(record: Any) -> str:
    sns = record.get("Sns") if isinstance(record, Mapping) else None
    return str(sns.get("MessageId")) if isinstance(sns, Mapping) and sns.get("MessageId") else "no message id"


@functools.cache
def notifier() -> Notifier:
    return Notifier(Config.from_environment(os.environ))


def handler(event: Any, context: Any) -> dict[str, int]:
    remaining = context.get_remaining_time_in_millis() / 1000 if context is not None else 30.0
    return notifier().notify(event, remaining)
