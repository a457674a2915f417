"""Lambda entry point: settings from the environment, KMS once per secret and container, each record
to Slack through its route's webhook or, with a bot token, the Web API (threads.py).

Every record of an invocation is delivered or reported, and the invocation ends before its deadline
(retries and rate limits: slack_api.py). A notice Slack refuses as formatted (HTTP 400,
`invalid_blocks`) is posted again as plain text, so the alert still arrives, and reported as a
metric; so is a notice the bot token could not post, which goes through the webhook. When a record
still fails, the invocation fails (`DeliveryError`) so Lambda's async retries and the on-failure
destination keep the message; with a bot token, the records already delivered are not posted again.
A webhook URL and the bot token are secrets: no part of them is ever logged or part of an error, and
no library may log them while they are decrypted.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .notice import Notice, SlackTarget, clean, to_plain_text, to_slack
from .routing import Route, route_for
from .slack_api import API_URL, DeliveryError, RejectedError, Response, deliver, post

if TYPE_CHECKING:
    from .threads import Threads

ENCRYPTION_CONTEXT_KEY = "LambdaFunctionName"
"""Encryption context of every webhook ciphertext: the function's own name, as the seed and the console helper use."""
BOT_TOKEN_CONTEXT_KEY = "SlackBotToken"
"""The bot token's own encryption context, `SlackBotToken=<function name>`: no webhook ciphertext passes for it."""
SAFETY_MARGIN_SECONDS = 1.0
"""Time kept back from the Lambda timeout to log and fail cleanly instead of being killed."""
METRICS_NAMESPACE = "OpsBaseline/SlackNotifier"
PLAIN_TEXT_METRIC = "PlainTextFallbacks"
WEBHOOK_FALLBACK_METRIC = "WebhookFallbacks"
LIBRARY_LOGGERS = ("botocore", "boto3", "urllib3", "s3transfer")

LOG = logging.getLogger("slack_notifier")
LOG.setLevel(logging.INFO)


class ConfigurationError(RuntimeError):
    """The function is deployed wrong (missing variable, undecryptable webhook); retrying cannot help."""


@dataclass(frozen=True)
class Destination:
    """A webhook (as its ciphertext) with its post overrides and, for a route, what it takes."""

    route: Route
    ciphertext: str
    target: SlackTarget


@dataclass(frozen=True)
class Bot:
    """Posting with the Web API: the bot token's ciphertext, the threads table, Slack's API address."""

    token_ciphertext: str
    table: str
    api_url: str = API_URL
    """SLACK_API_URL, for tests only (a local fake of the Web API); https:// whatever it is."""


@dataclass(frozen=True)
class Config:
    function_name: str
    region: str
    default: Destination
    routes: tuple[Destination, ...] = ()
    bot: Bot | None = None

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
            bot=bot_of(env),
        )

    def destination_for(self, notice: Notice) -> Destination:
        route = route_for(notice, (d.route for d in self.routes))
        return next((d for d in self.routes if d.route is route), self.default)


def bot_of(env: Mapping[str, str]) -> Bot | None:
    names = ("SLACK_BOT_TOKEN_CIPHERTEXT", "SLACK_THREADS_TABLE")
    given = [name for name in names if env.get(name)]
    if not given:
        return None
    if len(given) < len(names):
        missing = ", ".join(name for name in names if name not in given)
        raise ConfigurationError(f"{given[0]} is set without {missing}: posting with a bot token needs both")
    api_url = env.get("SLACK_API_URL") or API_URL
    if not api_url.startswith("https://") or not api_url.endswith("/"):
        raise ConfigurationError("SLACK_API_URL must be an https:// URL ending with /")
    return Bot(env["SLACK_BOT_TOKEN_CIPHERTEXT"], env["SLACK_THREADS_TABLE"], api_url)


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


def decrypt(ciphertext: str, config: Config, what: str = "webhook", context_key: str = ENCRYPTION_CONTEXT_KEY) -> str:
    """A secret's plaintext from its KMS ciphertext, under the encryption context `context_key=<function>`."""
    with libraries_quiet():
        # boto3 costs a few hundred milliseconds to import; only the first invocation of a container pays it.
        import boto3
        from botocore.exceptions import BotoCoreError, ClientError

        context = {context_key: config.function_name}
        try:
            blob = base64.b64decode(ciphertext, validate=True)
            plaintext = boto3.client("kms", region_name=config.region).decrypt(
                CiphertextBlob=blob, EncryptionContext=context
            )
        except binascii.Error:
            raise ConfigurationError(f"a {what} ciphertext is not base64 (expected a KMS CiphertextBlob)") from None
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "error")
            raise ConfigurationError(
                f"KMS could not decrypt a {what} ciphertext ({code}). It must be encrypted with the key the function "
                f"may use and the encryption context {context_key}={config.function_name}."
            ) from None
        except BotoCoreError as error:
            raise ConfigurationError(f"KMS was not reachable to decrypt the {what} ({type(error).__name__})") from None
    return plaintext["Plaintext"].decode("utf-8", errors="replace").strip()


def decrypt_webhook(ciphertext: str, config: Config) -> str:
    url = decrypt(ciphertext, config)
    if not url.startswith("https://"):
        raise ConfigurationError("a decrypted webhook is not an https:// URL (store the full URL, scheme included)")
    return url


def decrypt_bot_token(ciphertext: str, config: Config) -> str:
    token = decrypt(ciphertext, config, "bot token", BOT_TOKEN_CONTEXT_KEY)
    if not token.startswith("xoxb-"):
        raise ConfigurationError("the decrypted bot token is not a bot token (xoxb-...)")
    return token


def records_of(event: Any) -> list[Any]:
    """SNS invocations carry `Records`; anything else (a test invoke, a direct target) is one message."""
    if isinstance(event, Mapping) and isinstance(event.get("Records"), list):
        return event["Records"]
    return [event]


def report(config: Config, metric: str, reason: str) -> None:
    """One datapoint of `metric` in the embedded metric format: the notifier's alarms watch it."""
    print(
        json.dumps(
            {
                "_aws": {
                    "Timestamp": int(time.time() * 1000),
                    "CloudWatchMetrics": [
                        {
                            "Namespace": METRICS_NAMESPACE,
                            "Dimensions": [["FunctionName"]],
                            "Metrics": [{"Name": metric, "Unit": "Count"}],
                        }
                    ],
                },
                "FunctionName": config.function_name,
                metric: 1,
                "reason": reason,
            }
        )
    )


class Notifier:
    """Settings read once per container; each secret decrypted on first use and kept."""

    def __init__(
        self,
        config: Config,
        *,
        decrypt: Callable[[str, Config], str] = decrypt_webhook,
        send: Callable[..., Response] = post,
    ) -> None:
        self.config = config
        self._decrypt = decrypt
        self._send = send
        self._webhooks: dict[str, str] = {}
        self._threads: Threads | None = None

    def webhook(self, destination: Destination) -> str:
        if destination.ciphertext not in self._webhooks:
            self._webhooks[destination.ciphertext] = self._decrypt(destination.ciphertext, self.config)
        return self._webhooks[destination.ciphertext]

    def threads(self) -> Threads | None:
        bot = self.config.bot
        if bot is None or self._threads is not None:
            return self._threads
        from .slack_api import WebApi  # the Web API and DynamoDB load with the first message
        from .threads import Threads, ThreadStore

        token = decrypt_bot_token(bot.token_ciphertext, self.config)
        self._threads = Threads(WebApi(token, bot.api_url, self._send), ThreadStore(bot.table, self.config.region))
        return self._threads

    def notify(self, event: Any, remaining_seconds: float) -> dict[str, int]:
        deadline = time.monotonic() + remaining_seconds - SAFETY_MARGIN_SECONDS
        records = records_of(event)
        failures: list[str] = []
        counts = {"plainText": 0, "webhookFallbacks": 0, "alreadyDelivered": 0}
        for number, record in enumerate(records, 1):
            message_id = _message_id(record)
            try:
                outcome = self.deliver_once(record, message_id, deadline, remaining_seconds)
            except DeliveryError as error:
                failures.append(f"record {number} ({message_id}): {error}")
                LOG.error("record %d (%s) not delivered: %s", number, message_id, error)
                continue
            if outcome is None:
                counts["alreadyDelivered"] += 1
                LOG.info("record %d (%s) was delivered by an earlier invocation; not posted again", number, message_id)
                continue
            if outcome.webhook_reason:
                counts["webhookFallbacks"] += 1
                LOG.error(
                    "record %d (%s) %r: the bot token could not post (%s); posted it through the webhook of %s",
                    number,
                    message_id,
                    outcome.title,
                    outcome.webhook_reason,
                    outcome.route,
                )
                report(self.config, WEBHOOK_FALLBACK_METRIC, outcome.webhook_reason)
            if outcome.rejected:
                counts["plainText"] += 1
                LOG.error(
                    "record %d (%s) %r: Slack rejected the formatted notice (%s); posted it as plain text to %s",
                    number,
                    message_id,
                    outcome.title,
                    outcome.rejected,
                    outcome.route,
                )
                report(self.config, PLAIN_TEXT_METRIC, outcome.rejected)
            elif not outcome.webhook_reason:
                LOG.info("record %d (%s) %r delivered to %s", number, message_id, outcome.title, outcome.where)
        if failures:
            raise DeliveryError(
                f"{len(failures)} of {len(records)} record(s) not delivered to Slack: " + "; ".join(failures)
            )
        return {"delivered": len(records) - counts["alreadyDelivered"], **{k: v for k, v in counts.items() if v}}

    def deliver_once(self, record: Any, message_id: str, deadline: float, remaining_seconds: float) -> Outcome | None:
        """Deliver a record unless an earlier invocation did (with a bot token, SNS message ids are
        claimed in the threads table first); None when it was delivered already."""
        threads = self.threads()
        if threads is None or message_id == NO_MESSAGE_ID:
            return self.deliver_record(record, deadline)
        now = time.time()
        if not threads.store.claim_message(message_id, now, now + remaining_seconds):
            return None
        try:
            outcome = self.deliver_record(record, deadline)
        except DeliveryError:
            threads.store.release_message(message_id)
            raise
        threads.store.message_delivered(message_id)
        return outcome

    def deliver_record(self, record: Any, deadline: float) -> Outcome:
        from .formatters import notice_for  # parsers load with the first message, not the cold start

        notice = notice_for(record, self.config.region)
        destination = self.config.destination_for(notice)
        title = clean(notice.title)
        post_payload = self.poster(record, destination, deadline)
        try:
            payload = to_slack(notice, destination.target)
        except Exception as error:  # a rendering bug must not lose the alert
            rejected = f"the notice could not be rendered ({type(error).__name__})"
        else:
            try:
                how, fallback = post_payload(payload)
                return Outcome(title, destination.route.name, how, webhook_reason=fallback)
            except RejectedError as rejection:
                rejected = str(rejection)
        note = f"(Slack did not take the formatted message: {rejected}. Shown as plain text.)"
        how, fallback = post_payload(to_plain_text(notice, destination.target, note))
        return Outcome(title, destination.route.name, how, rejected, fallback)

    def poster(
        self, record: Any, destination: Destination, deadline: float
    ) -> Callable[[Mapping[str, Any]], tuple[str, str]]:
        """How a rendered notice is posted: (where it went, why the webhook was used or "")."""

        def to_webhook(payload: Mapping[str, Any]) -> int:
            return deliver(self.webhook(destination), payload, deadline, send=self._send)

        threads = self.threads()
        if threads is None:
            return lambda payload: (f"in {to_webhook(payload)} attempt(s)", "")
        from .threads import transition_of

        transition = transition_of(record)
        channel = destination.target.channel or ""

        def to_bot(payload: Mapping[str, Any]) -> tuple[str, str]:
            bare = {key: value for key, value in payload.items() if key not in ("channel", "username", "icon_emoji")}
            posted = threads.post(bare, transition, channel, deadline, to_webhook)
            return f"({posted.how})", posted.webhook_reason

        return to_bot


@dataclass(frozen=True)
class Outcome:
    title: str
    route: str
    how: str
    """`in N attempt(s)` through a webhook; with a bot token, the thread or channel it went to."""
    rejected: str = ""
    """Why Slack refused the formatted notice (it went as plain text), or ""."""
    webhook_reason: str = ""
    """Slack's error when the bot token could not post (it went through the webhook), or ""."""

    @property
    def where(self) -> str:
        return f"{self.route} {self.how}"


NO_MESSAGE_ID = "no message id"


def _message_id(record: Any) -> str:
    sns = record.get("Sns") if isinstance(record, Mapping) else None
    return clean(str(sns.get("MessageId"))) if isinstance(sns, Mapping) and sns.get("MessageId") else NO_MESSAGE_ID


@functools.cache
def notifier() -> Notifier:
    return Notifier(Config.from_environment(os.environ))


def handler(event: Any, context: Any) -> dict[str, int]:
    remaining = context.get_remaining_time_in_millis() / 1000 if context is not None else 30.0
    return notifier().notify(event, remaining)
