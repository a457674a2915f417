"""EventBridge as a planned stack sets it up: which rules of which region match an event, where
their targets send it, and whether IAM, the topic policy and the key policy let each hop through.

Enough of EventBridge for the baseline's rules: content matching as opsctl/notifications evaluates it
(an event's list field matches when one of its items does), the default bus of each region, targets that are SNS topics or event
buses. A forwarded event is the event itself: it keeps its source, detail-type, detail and `region`
(the region it originated in, per EventBridge's event structure). IAM conditions are evaluated with
the reference evaluator of the policy-document tests."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from opsctl.engine import ProgramRun, Registration
from opsctl.notifications.matching import EVENT_PATTERN
from opsctl.notifications.matching import matches as content_matches
from tests.policies.test_documents import condition_holds

RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"


def matches(pattern: Mapping[str, Any], event: Any) -> bool:
    """EventBridge's content matching, as the notification forecast evaluates it."""
    return content_matches(pattern, event, EVENT_PATTERN)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def allows(
    document: Mapping[str, Any], action: str, resource: str, context: Mapping[str, str], service: str = ""
) -> bool:
    """IAM's verdict on one request: an Allow that applies and no Deny that does. `service` names
    the calling service principal for a resource or trust policy, empty for an identity policy."""

    def applies(statement: Mapping[str, Any]) -> bool:
        if service and statement.get("Principal") != {"Service": service}:
            return False
        if not any(fnmatch.fnmatchcase(action, a) for a in _listed(statement["Action"])):
            return False
        if "Resource" in statement and not any(
            fnmatch.fnmatchcase(resource, r) for r in _listed(statement["Resource"])
        ):
            return False
        return all(
            condition_holds(operator, key, _listed(values), dict(context))
            for operator, entries in statement.get("Condition", {}).items()
            for key, values in entries.items()
        )

    statements = [s for s in document["Statement"] if applies(s)]
    return any(s["Effect"] == "Allow" for s in statements) and not any(s["Effect"] == "Deny" for s in statements)


@dataclass(frozen=True)
class Hop:
    rule: str
    """ARN of the rule that matched."""
    target: str
    """ARN it sent the event to."""


class Delivery:
    """The planned stack's rules, targets, roles, topics and keys, for routing events through them."""

    def __init__(self, plan: ProgramRun, *, region: str, account: str) -> None:
        self.plan, self.region, self.account = plan, region, account

    def rules(self, region: str) -> list[Registration]:
        return [r for r in self.plan.of_type(RULE) if (r.inputs.get("region") or self.region) == region]

    def targets(self, rule: Registration, region: str) -> list[Registration]:
        return [
            t
            for t in self.plan.of_type(TARGET)
            if t.inputs["rule"] == rule.inputs["name"] and (t.inputs.get("region") or self.region) == region
        ]

    def deliver(self, event: Mapping[str, Any]) -> list[Hop]:
        """Every hop of `event`, put on the default bus of its own region, until it reaches topics.
        A hop IAM, the topic policy or the key policy would refuse fails the test, as does a loop."""
        hops: list[Hop] = []
        buses, seen = [event["region"]], set()
        while buses:
            region = buses.pop(0)
            assert region not in seen, f"the event comes back to the default bus of {region}"
            seen.add(region)
            for rule in self.rules(region):
                if not matches(json.loads(rule.inputs["eventPattern"]), event):
                    continue
                for target in self.targets(rule, region):
                    arn = target.inputs["arn"]
                    self._check(rule.outputs["arn"], target, arn)
                    hops.append(Hop(rule.outputs["arn"], arn))
                    if ":event-bus/" in arn:
                        buses.append(arn.split(":")[3])
        return hops

    def _check(self, rule_arn: str, target: Registration, arn: str) -> None:
        source = {"aws:SourceAccount": self.account, "aws:SourceArn": rule_arn}
        service = "events.amazonaws.com"
        if ":event-bus/" in arn:
            role = next(
                r for r in self.plan.of_type("aws:iam/role:Role") if r.outputs["arn"] == target.inputs["roleArn"]
            )
            trust = json.loads(role.inputs["assumeRolePolicy"])
            assert allows(trust, "sts:AssumeRole", "", source, service), f"{rule_arn} cannot assume {role.name}"
            policies = [
                json.loads(p.inputs["policy"])
                for p in self.plan.of_type("aws:iam/rolePolicy:RolePolicy")
                if p.inputs["role"] == role.inputs["name"]
            ]
            assert any(allows(p, "events:PutEvents", arn, {}) for p in policies), f"{role.name} cannot put on {arn}"
            return
        topic = next(t for t in self.plan.of_type("aws:sns/topic:Topic") if t.outputs["arn"] == arn)
        policy = next(p for p in self.plan.of_type("aws:sns/topicPolicy:TopicPolicy") if p.inputs["arn"] == arn)
        assert allows(json.loads(policy.inputs["policy"]), "sns:Publish", arn, source, service), (
            f"{arn}'s policy refuses {rule_arn}"
        )
        key = next(
            k for k in self.plan.of_type("aws:kms/key:Key") if k.outputs["arn"] == topic.inputs["kmsMasterKeyId"]
        )
        for action in ("kms:GenerateDataKey", "kms:Decrypt"):  # what a publisher to an encrypted topic needs
            assert allows(json.loads(key.inputs["policy"]), action, "*", source, service), (
                f"{key.name}'s policy refuses {action} to {rule_arn}"
            )
