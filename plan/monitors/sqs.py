"""SQS queues: `AWS/SQS` by QueueName, the age of the oldest message, and the dead-letter queue's
visible messages (any message there is one the consumer gave up on)."""

from __future__ import annotations

from typing import Any

from ..alarms import AlarmKind, AlarmKinds, AlarmSpec
from ..naming import Naming
from .model import Monitor, monitor

KINDS = AlarmKinds(
    service="SQS queue",
    namespace="AWS/SQS",
    kinds=(
        AlarmKind(
            key="oldestMessageAge",
            what="oldest-message-age",
            metric="ApproximateAgeOfOldestMessage",
            statistic="Maximum",
            description="Messages wait unprocessed: the consumer is down or falls behind.",
            threshold=900.0,
            unit="s",
            severity="warning",
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="visibleMessages",
            what="visible-messages",
            metric="ApproximateNumberOfMessagesVisible",
            statistic="Maximum",
            description="The backlog of messages waiting to be received is large.",
            threshold=None,
            severity="warning",
            enabled=False,
            evaluation_periods=3,
            datapoints_to_alarm=3,
        ),
        AlarmKind(
            key="deadLetterMessages",
            what="messages",
            metric="ApproximateNumberOfMessagesVisible",
            statistic="Maximum",
            description="Messages the consumer gave up on wait in the dead-letter queue; read them there.",
            threshold=0.0,
        ),
    ),
)
DEAD_LETTER_KEYS = frozenset({"deadLetterMessages"})
"""Kinds that watch the dead-letter queue, not the queue itself."""
WIDGETS = (
    ("Age of oldest message (s)", (("ApproximateAgeOfOldestMessage", "Maximum"),)),
    (
        "Messages",
        (("ApproximateNumberOfMessagesVisible", "Maximum"), ("ApproximateNumberOfMessagesNotVisible", "Maximum")),
    ),
    ("Sent and deleted", (("NumberOfMessagesSent", "Sum"), ("NumberOfMessagesDeleted", "Sum"))),
)
DEAD_LETTER_WIDGETS = (("Messages to read", (("ApproximateNumberOfMessagesVisible", "Maximum"),)),)


def queue_monitors(
    naming: Naming,
    label: str,
    queue_name: Any,
    resolved: tuple[tuple[str, AlarmSpec], ...],
    *,
    source: str,
    dead_letter: tuple[str, Any] | None = None,
    composite: bool = False,
) -> tuple[Monitor, ...]:
    """The queue, and its dead-letter queue as `(label, name)` when it has one; `resolved` is (key, spec)."""
    queue = monitor(
        naming,
        service="sqs",
        label=label,
        namespace=KINDS.namespace,
        dimensions={"QueueName": queue_name},
        specs=tuple(spec for key, spec in resolved if key not in DEAD_LETTER_KEYS),
        source=source,
        composite=composite,
        widgets=WIDGETS,
    )
    if dead_letter is None:
        return (queue,)
    dead_letter_label, dead_letter_name = dead_letter
    return queue, monitor(
        naming,
        service="sqs",
        label=dead_letter_label,
        namespace=KINDS.namespace,
        dimensions={"QueueName": dead_letter_name},
        specs=tuple(spec for key, spec in resolved if key in DEAD_LETTER_KEYS),
        source=source,
        widgets=DEAD_LETTER_WIDGETS,
    )
