"""Who publishes to which topic and who is subscribed, read from a program run's registrations: topics,
subscriptions with their filter policies, alarms with their actions per state, EventBridge rules with
their patterns and targets, Config delivery channels, and the Slack notifier's routes.

References between resources are read from the engine's property dependencies (a topic's ARN is
unknown in a preview, the dependency is not), and from literal ARNs of the stack's own topics.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from functions.slack_notifier.handler import ConfigurationError, routing_of
from functions.slack_notifier.routing import Route

from ..engine.wire import UNKNOWN
from .matching import EVENT_PATTERN, MESSAGE_ATTRIBUTES, MESSAGE_BODY, problems

TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
ALARMS = {"aws:cloudwatch/metricAlarm:MetricAlarm": "name", "aws:cloudwatch/compositeAlarm:CompositeAlarm": "alarmName"}
"""Alarm types and the input holding the alarm's name."""
ALARM_ACTIONS = {"ALARM": "alarmActions", "OK": "okActions", "INSUFFICIENT_DATA": "insufficientDataActions"}
RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
CHANNEL = "aws:cfg/deliveryChannel:DeliveryChannel"
FUNCTION = "aws:lambda/function:Function"
NOTIFIER_VARIABLE = "SLACK_WEBHOOK_CIPHERTEXT"
"""A function with this variable is the Slack notifier (functions/slack_notifier)."""


class Resource(Protocol):
    urn: str
    type: str
    name: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    property_dependencies: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Topic:
    urn: str
    name: str
    region: str
    arn: str


@dataclass(frozen=True)
class Subscription:
    topic: str
    """The topic's URN."""
    protocol: str
    endpoint: str
    """Address, number or URL as the stack file gives it; for a Lambda, the function's URN."""
    filter_policy: Mapping[str, Any] | None = None
    scope: str = "MessageAttributes"
    filter_known: bool = True
    """False when the policy is computed at deploy: the subscriber is counted as if unfiltered."""
    filter_problems: tuple[str, ...] = ()
    """What SNS would refuse in the policy (SNS rejects the subscription)."""


@dataclass(frozen=True)
class Alarm:
    name: str
    region: str
    actions: Mapping[str, tuple[str, ...]]
    """State (ALARM, OK, INSUFFICIENT_DATA) → the topics (URNs) it notifies."""
    metric: tuple[str, str] = ("", "")
    """(namespace, metric name) of a single-metric alarm."""


@dataclass(frozen=True)
class Rule:
    name: str
    region: str
    pattern: Mapping[str, Any]
    targets: tuple[str, ...]
    """Topics (URNs) the rule sends matched events to."""
    buses: tuple[str, ...] = ()
    """Regions whose default bus the rule forwards matched events to (the event keeps its `region`)."""
    problems: tuple[str, ...] = ()
    """Why the pattern cannot be evaluated here (an operator not modelled); such a rule is left out."""


@dataclass(frozen=True)
class Channel:
    name: str
    region: str
    topic: str | None
    """The topic Config streams to, or None: it notifies nobody."""


@dataclass(frozen=True)
class Notifier:
    """The Slack notifier: its default channel and its routes (each with its channel override)."""

    function: str
    name: str
    channel: str
    routes: tuple[tuple[Route, str | None], ...] | None
    """None when the routes are unknown until deploy."""


@dataclass(frozen=True)
class Wiring:
    region: str
    account: str
    topics: Mapping[str, Topic]
    subscriptions: tuple[Subscription, ...]
    alarms: tuple[Alarm, ...]
    rules: tuple[Rule, ...]
    channels: tuple[Channel, ...]
    notifiers: Mapping[str, Notifier]
    """By function URN."""
    functions: Mapping[str, str]
    """Every function's URN → its name, for Lambda subscribers that are not the notifier."""


def known(value: Any) -> Any:
    return None if value == UNKNOWN else value


def region_of(resource: Resource, default: str) -> str:
    region = known(resource.inputs.get("region"))
    return region if isinstance(region, str) else default


def wiring_of(resources: Sequence[Resource], *, region: str, account: str) -> Wiring:
    topics = {r.urn: topic_of(r, region, account) for r in resources if r.type == TOPIC}
    by_arn = {topic.arn: urn for urn, topic in topics.items()}

    def topics_in(resource: Resource, key: str) -> tuple[str, ...]:
        """The stack's topics an input names, by dependency or by literal ARN."""
        value = resource.inputs.get(key)
        # A value may also be a resource passed as such (a reference: an object), known by its dependency.
        named = [
            by_arn[v] for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v in by_arn
        ]
        return tuple(dict.fromkeys([u for u in resource.property_dependencies.get(key, ()) if u in topics] + named))

    targets: dict[str, list[str]] = {r.urn: [] for r in resources if r.type == RULE}
    buses: dict[str, list[str]] = {urn: [] for urn in targets}
    for target in (r for r in resources if r.type == TARGET):
        for rule in target.property_dependencies.get("rule", ()):
            if rule in targets:
                targets[rule] += topics_in(target, "arn")
                buses[rule] += filter(None, [default_bus_region(known(target.inputs.get("arn")))])
    return Wiring(
        region=region,
        account=account,
        topics=topics,
        subscriptions=tuple(
            subscription_of(r, topics_in(r, "topic")[0])
            for r in resources
            if r.type == SUBSCRIPTION and topics_in(r, "topic")
        ),
        alarms=tuple(
            Alarm(
                name=name_of(r, ALARMS[r.type]),
                region=region_of(r, region),
                actions={state: topics_in(r, key) for state, key in ALARM_ACTIONS.items()}
                if r.inputs.get("actionsEnabled", True) is not False
                else {},
                metric=(known(r.inputs.get("namespace")) or "", known(r.inputs.get("metricName")) or ""),
            )
            for r in resources
            if r.type in ALARMS
        ),
        rules=tuple(
            rule_of(r, region, tuple(targets[r.urn]), tuple(buses[r.urn]))
            for r in resources
            if r.type == RULE and listens(r)
        ),
        channels=tuple(
            Channel(name_of(r), region_of(r, region), next(iter(topics_in(r, "snsTopicArn")), None))
            for r in resources
            if r.type == CHANNEL
        ),
        notifiers={r.urn: n for r in resources if r.type == FUNCTION and (n := notifier_of(r))},
        functions={r.urn: name_of(r) for r in resources if r.type == FUNCTION},
    )


def name_of(resource: Resource, key: str = "name") -> str:
    """The physical name the program gives, else the resource's logical name."""
    return known(resource.inputs.get(key)) or resource.name


def topic_of(resource: Resource, region: str, account: str) -> Topic:
    name, where = name_of(resource), region_of(resource, region)
    arn = known(resource.outputs.get("arn")) or f"arn:aws:sns:{where}:{account}:{name}"
    return Topic(resource.urn, name, where, arn)


def listens(rule: Resource) -> bool:
    """An enabled rule on the default bus, where AWS services deliver their events."""
    bus = known(rule.inputs.get("eventBusName"))
    return rule.inputs.get("state", "ENABLED") != "DISABLED" and bus in (None, "default")


def default_bus_region(arn: Any) -> str | None:
    """The region of `arn:aws:events:<region>:<account>:event-bus/default`, where AWS events arrive."""
    parts = arn.split(":") if isinstance(arn, str) else []
    return parts[3] if len(parts) == 6 and parts[2] == "events" and parts[5] == "event-bus/default" else None


def rule_of(resource: Resource, region: str, targets: tuple[str, ...], buses: tuple[str, ...]) -> Rule:
    raw = known(resource.inputs.get("eventPattern"))
    pattern = json.loads(raw) if isinstance(raw, str) else None
    found = problems(pattern, EVENT_PATTERN) if pattern is not None else ["its pattern is known only after deploy"]
    return Rule(name_of(resource), region_of(resource, region), pattern or {}, targets, buses, tuple(found))


def subscription_of(resource: Resource, topic: str) -> Subscription:
    inputs = resource.inputs
    protocol = inputs.get("protocol", "")
    endpoint = known(inputs.get("endpoint"))
    if protocol == "lambda":
        endpoint = next(iter(resource.property_dependencies.get("endpoint", ())), endpoint)
    basics = Subscription(topic, protocol, str(endpoint or resource.name))
    raw, scope = inputs.get("filterPolicy"), inputs.get("filterPolicyScope") or "MessageAttributes"
    if raw is None:
        return basics
    if raw == UNKNOWN:
        return replace(basics, scope=scope, filter_known=False)
    policy = json.loads(raw)
    found = problems(policy, MESSAGE_BODY if scope == "MessageBody" else MESSAGE_ATTRIBUTES)
    return replace(basics, filter_policy=policy, scope=scope, filter_problems=tuple(found))


def notifier_of(function: Resource) -> Notifier | None:
    """The Slack notifier, read with its own parser of SLACK_ROUTES; None for any other function."""
    environment = function.inputs.get("environment")
    variables = (environment.get("variables") if isinstance(environment, Mapping) else None) or {}
    if NOTIFIER_VARIABLE not in variables:
        return None
    document = known(variables.get("SLACK_ROUTES", "[]"))
    try:
        routes = tuple(routing_of(document)) if isinstance(document, str) else None
    except ConfigurationError:
        routes = None
    channel = known(variables.get("SLACK_CHANNEL")) or "(the webhook's channel)"
    return Notifier(function.urn, name_of(function), channel, routes)
