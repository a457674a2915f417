"""Expected notifications a month per subscriber: the stack's wiring read from its registrations
(`wiring`), an assumed month in the account (`month`), delivered as AWS would deliver it
(`delivery`, with SNS filter policies evaluated by `matching`).

    forecast(registrations, region="eu-west-1", account="123456789012")
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .delivery import Delivery, Subscriber, deliveries, subscribers
from .month import DAYS, Happening, assumptions, month_of
from .wiring import Resource, Wiring, wiring_of

__all__ = ["Delivery", "Forecast", "Happening", "Receiver", "Subscriber", "Wiring", "deliveries", "forecast"]


@dataclass(frozen=True)
class Receiver:
    """One subscriber's month."""

    subscriber: Subscriber
    topics: tuple[str, ...]
    monthly: int
    kinds: tuple[tuple[str, str, int], ...]
    """(via, what, count), most first: e.g. ("alarm", "critical ALARM", 16)."""
    filter_policies: tuple[Mapping[str, Any], ...] = ()
    notes: tuple[str, ...] = ()

    def as_document(self) -> dict[str, Any]:
        return {
            "protocol": self.subscriber.protocol,
            "endpoint": self.subscriber.endpoint,
            "route": self.subscriber.route,
            "topics": list(self.topics),
            "monthly": self.monthly,
            "byKind": [{"via": via, "what": what, "count": count} for via, what, count in self.kinds],
            "filterPolicies": list(self.filter_policies),
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class Forecast:
    days: int
    receivers: tuple[Receiver, ...]
    assumptions: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def as_document(self) -> dict[str, Any]:
        return {
            "days": self.days,
            "subscribers": [r.as_document() for r in self.receivers],
            "assumptions": list(self.assumptions),
            "notes": list(self.notes),
        }


def forecast(resources: Sequence[Resource], *, region: str, account: str) -> Forecast:
    wiring = wiring_of(resources, region=region, account=account)
    month = month_of(wiring, resources)
    counts = deliveries(wiring, month)
    per_subscriber: dict[Subscriber, Counter[tuple[str, str]]] = {}
    for delivery, count in counts.items():
        per_subscriber.setdefault(delivery.subscriber, Counter())[(delivery.via, delivery.what)] += count
    receivers = []
    for subscriber, topics in sorted(subscribers(wiring).items()):
        kinds = per_subscriber.get(subscriber, Counter())
        policies, notes = filters_of(wiring, subscriber)
        receivers.append(
            Receiver(
                subscriber,
                topics,
                sum(kinds.values()),
                tuple((via, what, n) for (via, what), n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
                policies,
                notes,
            )
        )
    return Forecast(DAYS, tuple(receivers), assumptions(), stack_notes(wiring, month))


def filters_of(wiring: Wiring, subscriber: Subscriber) -> tuple[tuple[Mapping[str, Any], ...], tuple[str, ...]]:
    """The filter policies on a subscriber's subscriptions, and what keeps them from applying."""
    policies: list[Mapping[str, Any]] = []
    notes: list[str] = []
    for s in wiring.subscriptions:
        if (s.protocol, s.endpoint) != (subscriber.protocol, subscriber.endpoint):
            continue
        topic = wiring.topics[s.topic].name
        if s.filter_policy is not None and s.filter_policy not in policies:
            policies.append(s.filter_policy)
        if not s.filter_known:
            notes.append(f"{topic}: the filter policy is known after deploy; counted as if it let everything through")
        notes += [
            f"{topic}: SNS refuses the filter policy ({p}); counted as receiving nothing" for p in s.filter_problems
        ]
        if s.filter_policy is not None and s.scope != "MessageBody":
            notes.append(f"{topic}: the filter applies to message attributes, which alarms and events do not set")
    return tuple(policies), tuple(notes)


def stack_notes(wiring: Wiring, month: Sequence[Happening]) -> tuple[str, ...]:
    notes = []
    for channel in wiring.channels:
        if channel.topic is None:
            streamed = sum(1 for h in month if h.source == "config" and h.region == channel.region)
            notes.append(
                f"AWS Config channel {channel.name} notifies no topic: the {streamed:,} messages a month it would "
                "stream (configuration items, rule evaluations, snapshot and history deliveries, compliance "
                "changes) reach no one; compliance changes reach people through an EventBridge rule instead"
            )
    notes += [
        f"event rule {rule.name} is left out: {'; '.join(rule.problems)}" for rule in wiring.rules if rule.problems
    ]
    return tuple(notes)
