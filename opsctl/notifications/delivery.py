"""What each subscriber receives: every happening of a month through the stack's publishers, topics
and subscriptions, as AWS would deliver it.

An alarm notifies the topics of its new state's actions; an EventBridge rule sends each event its
pattern matches, on its region's default bus, to its target topics and buses (a forwarded event
arrives on the other region's bus as it was); a Config delivery channel streams to its topic,
if it has one. A topic hands each message to every subscription whose filter policy accepts it (a
MessageAttributes policy accepts none: these publishers set no attributes). A Lambda subscription
that is the Slack notifier posts to the route its own routing picks, from the notice its own
formatters make of the message.

Pure: a wiring and a month in, counts out.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from functions.slack_notifier.formatters import notice_for
from functions.slack_notifier.routing import route_for

from .matching import EVENT_PATTERN, attributes_match, matches
from .month import Happening, severity
from .wiring import Notifier, Subscription, Topic, Wiring

DEFAULT_ROUTE = "default"
UNKNOWN_ROUTE = "routes known after deploy"


@dataclass(frozen=True, order=True)
class Subscriber:
    protocol: str
    """email, sms, https, lambda, slack, ..."""
    endpoint: str
    """The address, number or URL; the function's name; the Slack channel."""
    route: str = ""
    """Slack: the notifier's route that posts there, `default` for its own webhook."""


@dataclass(frozen=True, order=True)
class Delivery:
    subscriber: Subscriber
    topic: str
    via: str
    """`alarm`, `event rule` or `config stream`."""
    what: str
    """`critical ALARM` (severity and state), the rule's name, or Config's message type."""


def deliveries(wiring: Wiring, month: Iterable[Happening]) -> Counter[Delivery]:
    counts: Counter[Delivery] = Counter()
    for happening in month:
        for via, what, topic_urn in publications(wiring, happening):
            topic = wiring.topics[topic_urn]
            for subscriber in receivers(wiring, topic, happening.body):
                counts[Delivery(subscriber, topic.name, via, what)] += 1
    return counts


def publications(wiring: Wiring, happening: Happening) -> Iterator[tuple[str, str, str]]:
    """(via, what, topic URN) for each message the happening makes a publisher send."""
    body = happening.body
    if happening.source == "cloudwatch":
        name, state = body["AlarmName"], body["NewStateValue"]
        for alarm in wiring.alarms:
            if alarm.name == name and alarm.region == happening.region:
                yield from (("alarm", f"{severity(name)} {state}", t) for t in alarm.actions.get(state, ()))
    elif happening.source == "events":
        # The event arrives on its region's default bus; a rule there may forward it to another
        # region's, whose rules see it too. A bus sees an event once: nothing loops.
        arrivals, seen = [happening.region], set()
        while arrivals:
            region = arrivals.pop(0)
            if region in seen:
                continue
            seen.add(region)
            for rule in wiring.rules:
                if rule.region == region and not rule.problems and matches(rule.pattern, body, EVENT_PATTERN):
                    yield from (("event rule", rule.name, t) for t in rule.targets)
                    arrivals += rule.buses
    elif happening.source == "config":
        for channel in wiring.channels:
            if channel.region == happening.region and channel.topic:
                yield "config stream", body["messageType"], channel.topic


def accepts(subscription: Subscription, body: Mapping[str, Any]) -> bool:
    """Whether SNS hands the message to the subscription. A policy computed at deploy is not judged;
    one SNS refuses means the subscription is not deployed as written."""
    if subscription.filter_problems:
        return False
    if subscription.filter_policy is None or not subscription.filter_known:
        return True
    if subscription.scope == "MessageBody":
        return matches(subscription.filter_policy, body)
    return attributes_match(subscription.filter_policy, {})


def receivers(wiring: Wiring, topic: Topic, body: Mapping[str, Any]) -> Iterator[Subscriber]:
    for subscription in wiring.subscriptions:
        if subscription.topic != topic.urn or not accepts(subscription, body):
            continue
        if subscription.protocol == "lambda" and subscription.endpoint in wiring.notifiers:
            yield slack_channel(wiring.notifiers[subscription.endpoint], topic, body, wiring.region)
        elif subscription.protocol == "lambda":
            yield Subscriber("lambda", wiring.functions.get(subscription.endpoint, subscription.endpoint))
        else:
            yield Subscriber(subscription.protocol, subscription.endpoint)


def slack_channel(notifier: Notifier, topic: Topic, body: Mapping[str, Any], region: str) -> Subscriber:
    """Where the notifier posts the message: its formatter makes the notice, its routing picks the route."""
    if notifier.routes is None:
        return Subscriber("slack", notifier.channel, UNKNOWN_ROUTE)
    record = {"Sns": {"Type": "Notification", "TopicArn": topic.arn, "Message": json.dumps(body)}}
    route = route_for(notice_for(record, region), (r for r, _ in notifier.routes))
    if route is None:
        return Subscriber("slack", notifier.channel, DEFAULT_ROUTE)
    channel = next(c for r, c in notifier.routes if r is route)
    return Subscriber("slack", channel or notifier.channel, route.name)


def subscribers(wiring: Wiring) -> dict[Subscriber, tuple[str, ...]]:
    """Every subscriber of the stack's topics, with the topics it is on, whether or not it receives anything."""
    found: dict[Subscriber, list[str]] = {}
    for subscription in wiring.subscriptions:
        topic = wiring.topics[subscription.topic].name
        notifier = wiring.notifiers.get(subscription.endpoint) if subscription.protocol == "lambda" else None
        if notifier is not None:
            ends = [
                Subscriber("slack", notifier.channel, DEFAULT_ROUTE if notifier.routes is not None else UNKNOWN_ROUTE)
            ]
            ends += [Subscriber("slack", c or notifier.channel, r.name) for r, c in notifier.routes or ()]
        elif subscription.protocol == "lambda":
            ends = [Subscriber("lambda", wiring.functions.get(subscription.endpoint, subscription.endpoint))]
        else:
            ends = [Subscriber(subscription.protocol, subscription.endpoint)]
        for end in ends:
            found.setdefault(end, []).append(topic)
    return {s: tuple(sorted(set(t))) for s, t in found.items()}
