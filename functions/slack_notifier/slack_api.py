"""HTTPS to Slack: webhook posts and Web API calls, each retried until Slack takes it or time runs out.

Slack's 429 is honoured through `Retry-After`, and so is the Web API's `ratelimited` error; 5xx
answers, timeouts and connection errors are retried with jittered backoff while the invocation has
time left; a refused payload (HTTP 400 from a webhook, `invalid_blocks` and kin from the Web API) is
a `RejectedError`, so the caller can send the same notice as plain text. Other Web API errors
(`token_revoked`, `thread_not_found`, ...) end the call at once with Slack's error code kept on the
exception. Secrets never reach an error: a webhook URL, its path and any fragment of its path
segments, and the bot token whole or in part, are scrubbed from every message.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

REQUEST_TIMEOUT_SECONDS = 10.0
MIN_ATTEMPT_SECONDS = 1.0
"""An attempt is only started with at least this much time left before the deadline."""
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_CAP_SECONDS = 8.0
SECRET_FRAGMENT = 4
"""Characters of a secret's part that are scrubbed wherever they appear in an error."""
WEBHOOK_ANSWER_LIMIT = 200
API_ANSWER_LIMIT = 1_000_000
"""chat.postMessage echoes the whole message back; a full card stays far below this."""
API_URL = "https://slack.com/api/"
RATE_LIMITED = frozenset({"ratelimited", "rate_limited"})
"""The Web API's rate-limit errors: `ratelimited` today, `rate_limited` in older method docs."""
REFUSED_PAYLOAD = frozenset(
    {"invalid_blocks", "invalid_blocks_format", "invalid_attachments", "too_many_attachments", "msg_too_long"}
)
"""Web API errors about the message itself: the same notice may pass as plain text."""

LOG = logging.getLogger("slack_notifier")


class DeliveryError(RuntimeError):
    """At least one record did not reach Slack; failing the invocation hands it to Lambda's retries."""

    def __init__(self, message: str, code: str = "") -> None:
        super().__init__(message)
        self.code = code
        """Slack's Web API error code (`token_revoked`, `thread_not_found`, ...), empty for others."""


class RejectedError(DeliveryError):
    """Slack refused the payload itself (HTTP 400, invalid_blocks): the same content may pass as plain text."""


@dataclass(frozen=True)
class Response:
    status: int | None
    """HTTP status; None when no answer came back (timeout, refused connection)."""
    detail: str
    retry_after: float | None = None
    error: str = ""
    """The Web API's `error` when it answered `ok: false`."""
    data: Mapping[str, Any] = field(default_factory=dict)
    """The Web API's answer (`channel`, `ts`, ...)."""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.error

    @property
    def refused(self) -> bool:
        return self.status == 400 or self.error in REFUSED_PAYLOAD

    def describe(self) -> str:
        if self.error:
            return f"Slack error {self.error}"
        return f"HTTP {self.status} {self.detail}".strip() if self.status is not None else self.detail


Send = Callable[[str, bytes, float], Response]


def post(
    url: str,
    body: bytes,
    timeout: float,
    *,
    headers: Mapping[str, str] | None = None,
    limit: int = WEBHOOK_ANSWER_LIMIT,
) -> Response:
    import urllib.error  # only a message that gets this far pays for the HTTP stack
    import urllib.request

    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            text = answer.read(limit).decode("utf-8", errors="replace")
            return Response(answer.status, text, retry_after_seconds(answer.headers.get("Retry-After")))
    except urllib.error.HTTPError as error:
        detail = error.read(WEBHOOK_ANSWER_LIMIT).decode("utf-8", errors="replace") if error.fp else ""
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

    429 (and the Web API's `ratelimited`) waits what Slack asks; 5xx and no answer back off
    exponentially (`jitter` in [0, 1) spreads concurrent retries); other 4xx and Web API errors mean a
    bad payload, a revoked credential or a missing thread, so they fail at once.
    """
    limited = response.status == 429 or response.error in RATE_LIMITED
    if limited and response.retry_after is not None:
        return response.retry_after
    if limited or response.status is None or response.status >= 500:
        return min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (attempt - 1)) * (0.5 + jitter / 2)
    return None


def exchange(
    url: str,
    payload: Mapping[str, Any],
    deadline: float,
    *,
    send: Send = post,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    secret: Secret | None = None,
) -> tuple[int, Response]:
    """Send one payload until Slack takes it: (attempts used, Slack's answer). No attempt starts with less
    than MIN_ATTEMPT_SECONDS before the deadline, and none runs past it. Raises DeliveryError
    (RejectedError for a refused payload) with `secret` (by default the webhook URL) scrubbed."""
    secret = secret or webhook_secret(url)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8", errors="replace")
    attempt = 0
    while True:
        left = deadline - clock()
        if left < MIN_ATTEMPT_SECONDS:
            raise DeliveryError(f"not attempted after {attempt} attempt(s): the invocation's time ran out")
        attempt += 1
        response = send(url, body, min(REQUEST_TIMEOUT_SECONDS, left))
        if response.ok:
            return attempt, response
        described = scrub(response.describe(), secret)
        if response.refused:
            raise RejectedError(f"{described} after {attempt} attempt(s)", response.error)
        delay = retry_delay(response, attempt, random.random())  # jitter, not security
        if delay is None or clock() + delay + MIN_ATTEMPT_SECONDS > deadline:
            reason = "not retryable" if delay is None else "no time left for another attempt"
            raise DeliveryError(f"{described} after {attempt} attempt(s), {reason}", response.error)
        LOG.warning("Slack answered %s; retrying in %.1f s (attempt %d)", described, delay, attempt)
        sleep(delay)


def deliver(url: str, payload: Mapping[str, Any], deadline: float, **options: Any) -> int:
    """Post one payload to a webhook until Slack accepts it; returns the attempts used."""
    return exchange(url, payload, deadline, **options)[0]


@dataclass(frozen=True)
class WebApi:
    """Web API methods called with a bot token: JSON bodies, `Authorization: Bearer`, Slack's `ok`/`error` read."""

    token: str
    base_url: str = API_URL
    send: Callable[..., Response] = post

    def call(self, method: str, arguments: Mapping[str, Any], deadline: float) -> tuple[int, Response]:
        return exchange(
            f"{self.base_url}{method}", arguments, deadline, send=self._send, secret=token_secret(self.token)
        )

    def _send(self, url: str, body: bytes, timeout: float) -> Response:
        answer = self.send(
            url, body, timeout, headers={"Authorization": f"Bearer {self.token}"}, limit=API_ANSWER_LIMIT
        )
        return api_answer(answer)


def api_answer(response: Response) -> Response:
    """A Web API answer read: HTTP 200 carries `{"ok": false, "error": ...}` for most failures."""
    if not response.ok:
        return response
    try:
        data = json.loads(response.detail)
    except ValueError:
        return Response(response.status, "an answer that is not JSON", error="invalid_response")
    if not isinstance(data, dict):
        return Response(response.status, "an answer that is not a JSON object", error="invalid_response")
    if data.get("ok") is True:
        return Response(response.status, "ok", response.retry_after, data=data)
    error = data.get("error")
    if not isinstance(error, str):
        error = "unknown_error"
    return Response(response.status, "", response.retry_after, error=error[:100], data=data)


@dataclass(frozen=True)
class Secret:
    """What must never appear in an error: the whole values, and any run of SECRET_FRAGMENT or more
    characters of the parts, as an echoing proxy or a body cut mid-token would show them."""

    label: str
    wholes: tuple[str, ...]
    parts: tuple[str, ...]


def webhook_secret(url: str) -> Secret:
    """The webhook URL, its path and its path segments long enough to be told apart."""
    path = url.split("://", 1)[-1].partition("/")[2]
    segments = tuple(s for s in path.split("/") if len(s) >= SECRET_FRAGMENT and s != "services")
    return Secret("[webhook]", tuple(s for s in (url, path) if s), segments)


def token_secret(token: str) -> Secret:
    """The bot token and each of its parts but the public `xoxb` prefix."""
    return Secret("[token]", (token,), tuple(p for p in token.split("-") if len(p) >= SECRET_FRAGMENT and p != "xoxb"))


def scrub(message: str, secret: Secret) -> str:
    """The message without the secret, whole or in fragments."""
    for whole in secret.wholes:
        message = message.replace(whole, secret.label)
    kept, index = [], 0
    while index < len(message):
        longest = max((_common_run(message, index, part) for part in secret.parts), default=0)
        if longest >= SECRET_FRAGMENT:
            kept.append(secret.label)
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
