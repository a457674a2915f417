"""Lambda entry point, and the only module with I/O: KMS once per webhook and container, then HTTPS
posts to Slack.

Every record of an invocation is delivered or reported, and the invocation ends before its deadline.
Slack's 429 is honoured through `Retry-After`; 5xx answers, timeouts and connection errors are
retried with jittered backoff while the invocation has time left; a 400 (Slack rejecting the blocks)
is answered with a plain text post of the same notice, so the alert still arrives, and reported as a
metric. When a record still fails, the invocation fails (`DeliveryError`) so Lambda's async retries
and the on-failure destination keep the message. A webhook URL is a secret: no part of it is ever
logged or part of an error, and no library may log it while it is decrypted.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import json
import logging
import os
import random
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .notice import Notice, SlackTarget, clean, to_plain_text, to_slack
from .routing import Route, route_for

ENCRYPTION_CONTEXT_KEY = "LambdaFunctionName"
"""Encryption context of every webhook ciphertext: the function's own name, as the seed and the console helper use."""
REQUEST_TIMEOUT_SECONDS = 10.0
SAFETY_MARGIN_SECONDS = 1.0
"""Time kept back from the Lambda timeout to log and fail cleanly instead of being killed."""
MIN_ATTEMPT_SECONDS = 1.0
"""An attempt is only started with at least this much time left before the deadline."""
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0
SECRET_FRAGMENT = 4
"""Characters of a webhook path segment that are scrubbed wherever they appear in an error."""
METRICS_NAMESPACE = "OpsBaseline/SlackNotifier"
PLAIN_TEXT_METRIC = "PlainTextFallbacks"
LIBRARY_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")

LOG = logging.getLogger("slack_notifier")
LOG.setLevel(logging.INFO)


class ConfigurationError(RuntimeError):
    """The function is deployed wrong (missing variable, undecryptable webhook); retrying cannot help."""


class DeliveryError(RuntimeError):
    """At least one record did not reach Slack; failing the invocation hands it to Lambda's retries."""


class RejectedError(DeliveryError):
    """Slack refused the payload itself (HTTP 400): the same content may pass as plain text."""


@dataclass(frozen=True)
class Destination:
    """A webhook (as its ciphertext) with its post overrides and, for a route, what it takes."""

    route: Route
    ciphertext: str
    target: SlackTarget


@dataclass(frozen=True)
class Config:
    function_name: str
    region: str
    default: Destination
    routes: tuple[Destination, ...] = ()

    @classmethod
    def from_environment(cls, env: Mapping[str, str]) -> Config:
        required = ("SLACK_WEBHOOK_CIPHERTEXT", "AWS_LAMBDA_FUNCTION_NAME", "AWS_REGION")
        missing = [name for name in required if not env.get(name)]
        if missing:
            raise ConfigurationError(f"environment variable(s) not set: {', '.join(missing)}")
        username, icon = env.get("SLACK_USERNAME") or None, env.get("SLACK_ICON_EMOJI") or None
        default = Destination(
            Route("default"),
            env["SLACK_WEBHOOK_CIPHERTEXT"],
            SlackTarget(env.get("SLACK_CHANNEL") or None, username, icon),
        )
        return cls(
            function_name=env["AWS_LAMBDA_FUNCTION_NAME"],
            region=env["AWS_REGION"],
            default=default,
            routes=tuple(
                routes_of(env.get("SLACK_ROUTES") or "[]", env.get("SLACK_ROUTE_CIPHERTEXTS") or "{}", username, icon)
            ),
        )

    def destination_for(self, notice: Notice) -> Destination:
        route = route_for(notice, (d.route for d in self.routes))
        return next((d for d in self.routes if d.route is route), self.default)


def routing_of(document: str) -> list[tuple[Route, str | None]]:
    """SLACK_ROUTES, `[{"name", "channel", "severities", "sources"}, ...]` as the component writes it:
    each route with its channel override."""
    try:
        entries = json.loads(document)
    except ValueError:
        raise ConfigurationError("SLACK_ROUTES is not JSON") from None
    if not isinstance(entries, list):
        raise ConfigurationError("SLACK_ROUTES must be a JSON list of routes")
    routes = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise ConfigurationError(f"SLACK_ROUTES[{index}] needs a name")
        route = Route(entry["name"], frozenset(entry.get("severities") or ()), frozenset(entry.get("sources") or ()))
        routes.append((route, entry.get("channel") or None))
    return routes


def routes_of(document: str, ciphertexts: str, username: str | None, icon: str | None) -> Iterator[Destination]:
    """Each route of SLACK_ROUTES with its webhook from SLACK_ROUTE_CIPHERTEXTS (`{route name: ciphertext}`)."""
    try:
        blobs = json.loads(ciphertexts)
    except ValueError:
        raise ConfigurationError("SLACK_ROUTE_CIPHERTEXTS is not JSON") from None
    for route, channel in routing_of(document):
        blob = blobs.get(route.name) if isinstance(blobs, dict) else None
        if not isinstance(blob, str):
            raise ConfigurationError(f"SLACK_ROUTE_CIPHERTEXTS has no ciphertext for the route {route.name}")
        yield Destination(route, blob, SlackTarget(channel, username, icon))


@contextlib.contextmanager
def libraries_quiet() -> Iterator[None]:
    """No library logger below WARNING while a secret is in flight: botocore logs response bodies
    (the decrypted webhook, in base64) at DEBUG whatever the root logger's level says."""
    loggers = [
        logging.getLogger(name)
        for name in {*LIBRARY_LOGGERS, *logging.root.manager.loggerDict}
        if name.split(".")[0] in LIBRARY_LOGGERS
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(max(logger.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def decrypt_webhook(ciphertext: str, config: Config) -> str:
    with libraries_quiet():
        # boto3 costs a few hundred milliseconds to import; only the first invocation of a container pays it.
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError

        context = {ENCRYPTION_CONTEXT_KEY: config.function_name}
        try:
            blob = base64.b64decode(ciphertext, validate=True)
            plaintext = boto3.client("kms", region_name=config.region).decrypt(
                CiphertextBlob=blob, EncryptionContext=context
            )
        except binascii.Error:
            raise ConfigurationError("a webhook ciphertext is not base64 (expected a KMS CiphertextBlob)") from None
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            raise ConfigurationError(
                f"KMS could not decrypt a webhook ciphertext ({code}). It must be encrypted with the key the function "
                f"may use and the encryption context {ENCRYPTION_CONTEXT_KEY}={config.function_name}."
            ) from None
        except BotoCoreError as error:
            raise ConfigurationError(f"KMS was not reachable to decrypt the webhook ({type(error).__name__})") from None
    url = plaintext["Plaintext"].decode("utf-8", errors="replace").strip()
    if not url.startswith("https://"):
        raise ConfigurationError("a decrypted webhook is not an https:// URL (store the full URL, scheme included)")
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
    import urllib.error  # only a message that gets this far pays for the HTTP stack
    import urllib.request

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
    """Post one payload until Slack accepts it; returns the attempts used. No attempt starts with less
    than MIN_ATTEMPT_SECONDS before the deadline, and none runs past it. Raises DeliveryError (RejectedError
    for a 400) without any part of the URL."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8", errors="replace")
    attempt = 0
    while True:
        left = deadline - clock()
        if left < MIN_ATTEMPT_SECONDS:
            raise DeliveryError(f"not attempted after {attempt} attempt(s): the invocation's time ran out")
        attempt += 1
        response = send(url, body, min(REQUEST_TIMEOUT_SECONDS, left))
        if response.ok:
            return attempt
        if response.status == 400:
            raise RejectedError(f"{scrub(response.describe(), url)} after {attempt} attempt(s)")
        delay = retry_delay(response, attempt, random.random())  # jitter, not security
        if delay is None or clock() + delay + MIN_ATTEMPT_SECONDS > deadline:
            reason = "not retryable" if delay is None else "no time left for another attempt"
            raise DeliveryError(f"{scrub(response.describe(), url)} after {attempt} attempt(s), {reason}")
        LOG.warning(
            "Slack answered %s; retrying in %.1f s (attempt %d)", scrub(response.describe(), url), delay, attempt
        )
        sleep(delay)


def scrub(message: str, url: str) -> str:
    """The message without the webhook: the URL, its path, and any fragment of SECRET_FRAGMENT or more
    characters of a path segment, as an echoing proxy or a body cut mid-token would show it."""
    path = url.split("://", 1)[-1].partition("/")[2]
    for secret in (url, path):
        if secret:
            message = message.replace(secret, "[webhook]")
    segments = [s for s in path.split("/") if len(s) >= SECRET_FRAGMENT and s != "services"]
    kept, index = [], 0
    while index < len(message):
        longest = max((_common_run(message, index, s) for s in segments), default=0)
        if longest >= SECRET_FRAGMENT:
            kept.append("[webhook]")
            index += longest
        else:
            kept.append(message[index])
            index += 1
    return "".join(kept)


def _common_run(message: str, start: int, secret: str) -> int:
    """Length of the longest run of `message` from `start` that occurs in `secret`."""
    length = 0
    while start + length < len(message) and message[start : start + length + 1] in secret:
        length += 1
    return length


def records_of(event: Any) -> list[Any]:
    """SNS invocations carry `Records`; anything else (a test invoke, a direct target) is one message."""
    if isinstance(event, Mapping) and isinstance(event.get("Records"), list):
        return event["Records"]
    return [event]


def report_plain_text(config: Config, reason: str) -> None:
    """One datapoint of PlainTextFallbacks in the embedded metric format: the notifier's alarm watches it."""
    print(
        json.dumps(
            {
                "_aws": {
                    "Timestamp": int(time.time() * 1000),
                    "CloudWatchMetrics": [
                        {
                            "Namespace": METRICS_NAMESPACE,
                            "Dimensions": [["FunctionName"]],
                            "Metrics": [{"Name": PLAIN_TEXT_METRIC, "Unit": "Count"}],
                        }
                    ],
                },
                "FunctionName": config.function_name,
                PLAIN_TEXT_METRIC: 1,
                "reason": reason,
            }
        )
    )


class Notifier:
    """Settings read once per container; each webhook decrypted on first use and kept."""

    def __init__(
        self,
        config: Config,
        *,
        decrypt: Callable[[str, Config], str] = decrypt_webhook,
        send: Callable[[str, bytes, float], Response] = post,
    ) -> None:
        self.config = config
        self._decrypt = decrypt
        self._send = send
        self._webhooks: dict[str, str] = {}

    def webhook(self, destination: Destination) -> str:
        if destination.ciphertext not in self._webhooks:
            self._webhooks[destination.ciphertext] = self._decrypt(destination.ciphertext, self.config)
        return self._webhooks[destination.ciphertext]

    def notify(self, event: Any, remaining_seconds: float) -> dict[str, int]:
        deadline = time.monotonic() + remaining_seconds - SAFETY_MARGIN_SECONDS
        records = records_of(event)
        failures: list[str] = []
        plain_text = 0
        for number, record in enumerate(records, 1):
            message_id = _message_id(record)
            try:
                title, destination, attempts, rejected = self.deliver_record(record, deadline)
            except DeliveryError as error:
                failures.append(f"record {number} ({message_id}): {error}")
                LOG.error("record %d (%s) not delivered: %s", number, message_id, error)
                continue
            if rejected:
                plain_text += 1
                LOG.error(
                    "record %d (%s) %r: Slack rejected the formatted notice (%s); posted it as plain text to %s",
                    number,
                    message_id,
                    title,
                    rejected,
                    destination,
                )
                report_plain_text(self.config, rejected)
            else:
                LOG.info(
                    "record %d (%s) %r delivered to %s in %d attempt(s)",
                    number,
                    message_id,
                    title,
                    destination,
                    attempts,
                )
        if failures:
            raise DeliveryError(
                f"{len(failures)} of {len(records)} record(s) not delivered to Slack: " + "; ".join(failures)
            )
        return {"delivered": len(records), **({"plainText": plain_text} if plain_text else {})}

    def deliver_record(self, record: Any, deadline: float) -> tuple[str, str, int, str]:
        """(title, destination, attempts, why the blocks were rejected or "") for one record."""
        from .formatters import notice_for  # parsers load with the first message, not the cold start

        notice = notice_for(record, self.config.region)
        destination = self.config.destination_for(notice)
        url = self.webhook(destination)
        title = clean(notice.title)
        try:
            payload = to_slack(notice, destination.target)
        except Exception as error:  # a rendering bug must not lose the alert
            rejected = f"the notice could not be rendered ({type(error).__name__})"
        else:
            try:
                return title, destination.route.name, deliver(url, payload, deadline, send=self._send), ""
            except RejectedError as rejection:
                rejected = str(rejection)
        note = f"(Slack did not take the formatted message: {rejected}. Shown as plain text.)"
        plain = to_plain_text(notice, destination.target, note)
        return title, destination.route.name, deliver(url, plain, deadline, send=self._send), rejected


def _message_id(record: Any) -> str:
    sns = record.get("Sns") if isinstance(record, Mapping) else None
    return clean(str(sns.get("MessageId"))) if isinstance(sns, Mapping) and sns.get("MessageId") else "no message id"


@functools.cache
def notifier() -> Notifier:
    return Notifier(Config.from_environment(os.environ))


def handler(event: Any, context: Any) -> dict[str, int]:
    remaining = context.get_remaining_time_in_millis() / 1000 if context is not None else 30.0
    return notifier().notify(event, remaining)
