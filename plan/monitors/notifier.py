"""The Slack notifier watched like any function, plus its lost and parked notifications and the
notices Slack only took as plain text. They notify a topic the notifier does not read."""

from __future__ import annotations

from ..alarms import AlarmKind, fixed_spec
from ..naming import NOTIFIER_LABEL, Naming
from . import lambda_
from .model import NOTIFIER_ALERTS, Monitor, Unbound, monitor

FUNCTION_NAME = Unbound("SlackNotifier", "function name")
QUEUE_NAME = Unbound("SlackNotifier", "failure queue name")
"""Names taken from the resources, so the alarms depend on them."""
DESTINATION_FAILURES = AlarmKind(
    key="destinationFailures",
    what="destination-failures",
    metric="DestinationDeliveryFailures",
    statistic="Sum",
    description="Failed notifications could not be handed to the failure queue and are lost.",
    threshold=0.0,
)
UNDELIVERED = AlarmKind(
    key="undelivered",
    what="undelivered",
    metric="ApproximateNumberOfMessagesVisible",
    statistic="Maximum",
    description="Notifications Slack never received wait in the failure queue; read them there.",
    threshold=0.0,
)
PLAIN_TEXT = AlarmKind(
    key="plainTextFallbacks",
    what="plain-text-fallbacks",
    metric="PlainTextFallbacks",
    statistic="Sum",
    description="Slack rejected formatted notices; they were posted as plain text. The notifier's log names the reason.",
    threshold=0.0,
    severity="warning",
)
WEBHOOK_FALLBACKS = AlarmKind(
    key="webhookFallbacks",
    what="webhook-fallbacks",
    metric="WebhookFallbacks",
    statistic="Sum",
    description="The bot token could not post (revoked, a missing scope, not in the channel); notices went through "
    "the webhook, outside their threads. The notifier's log names Slack's error.",
    threshold=0.0,
    severity="warning",
)
METRICS_NAMESPACE = "OpsBaseline/SlackNotifier"
"""Where the notifier publishes PlainTextFallbacks and WebhookFallbacks (embedded metric format), by FunctionName."""


def notifier_monitors(
    naming: Naming, timeout_seconds: int, *, source: str, threads: bool = False
) -> tuple[Monitor, Monitor, Monitor]:
    """The function, its failure queue and its formatting (and, posting with a bot token, the posts that
    fell back to the webhook); the SlackNotifier component binds the names."""
    specs = (*lambda_.KINDS.specs({}, timeout_seconds=timeout_seconds), fixed_spec(DESTINATION_FAILURES))
    function = lambda_.function_monitor(
        naming, NOTIFIER_LABEL, FUNCTION_NAME, specs, source=source, topic=NOTIFIER_ALERTS
    )
    queue = monitor(
        naming,
        service="sqs",
        label=f"{NOTIFIER_LABEL}-queue",
        namespace="AWS/SQS",
        dimensions={"QueueName": QUEUE_NAME},
        specs=(fixed_spec(UNDELIVERED),),
        source=source,
        topic=NOTIFIER_ALERTS,
    )
    formatting = monitor(
        naming,
        service="custom",
        label=f"{NOTIFIER_LABEL}-formatting",
        namespace=METRICS_NAMESPACE,
        dimensions={"FunctionName": FUNCTION_NAME},
        specs=(fixed_spec(PLAIN_TEXT), *((fixed_spec(WEBHOOK_FALLBACKS),) if threads else ())),
        source=source,
        topic=NOTIFIER_ALERTS,
    )
    return function, queue, formatting
