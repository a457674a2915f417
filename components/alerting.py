"""The alerting topic: encrypted SNS, a scoped topic policy and one subscription per endpoint; SMS
subscriptions carry the plan's filter policy, so phones get only what needs a person."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from plan.alerting import Topic

from .documents import Account, to_json


@dataclass(frozen=True)
class AlertingArgs:
    account: pulumi.Output[Account]
    kms_key_arn: pulumi.Input[str]
    """Customer-managed key the topic is encrypted with."""
    topic: Topic
    """Its name, subscribers and region when not the stack's."""


def topic_policy(account: Account, topic_arn: str) -> dict[str, Any]:
    """Topic policy: the owner account manages it; CloudWatch alarms and EventBridge rules of this account publish."""
    source_account = {"StringEquals": {"aws:SourceAccount": account.account_id}}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OwnerAccountManagesTopic",
                "Effect": "Allow",
                "Principal": {"AWS": account.root},
                "Action": [
                    "sns:GetTopicAttributes",
                    "sns:SetTopicAttributes",
                    "sns:AddPermission",
                    "sns:RemovePermission",
                    "sns:DeleteTopic",
                    "sns:Subscribe",
                    "sns:ListSubscriptionsByTopic",
                    "sns:Publish",
                ],
                "Resource": topic_arn,
            },
            {
                "Sid": "CloudWatchAlarmsOfThisAccountPublish",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {**source_account, "ArnLike": {"aws:SourceArn": account.arn("cloudwatch", "alarm:*")}},
            },
            {
                "Sid": "EventBridgeRulesOfThisAccountPublish",
                "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {**source_account, "ArnLike": {"aws:SourceArn": account.arn("events", "rule/*")}},
            },
        ],
    }


def sms_filter(policy: str | None) -> tuple[str | None, str | None]:
    """(filter policy, its scope): a phone gets what the policy matches in the message body (alarm
    JSON, EventBridge events). None leaves the input out, as the provider's args do."""
    return (policy, "MessageBody") if policy else (None, None)


def endpoint_suffix(endpoint: str) -> str:
    """Stable, PII-free name part: reordering the list or adding one does not replace the others."""
    return hashlib.sha256(endpoint.encode()).hexdigest()[:8]


class Alerting(pulumi.ComponentResource):
    topic_arn: pulumi.Output[str]
    """ARN of the alerting topic; alarms and rules publish here."""
    topic_name: pulumi.Output[str]

    def __init__(self, name: str, args: AlertingArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:alerting:Alerting", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        topic = args.topic
        self.topic = aws.sns.Topic(
            f"{name}-topic",
            name=topic.name,
            display_name=topic.name,
            kms_master_key_id=args.kms_key_arn,
            region=topic.region,
            opts=child,
        )
        # The policy names the topic by the ARN its name implies, not by the new topic's output:
        # that keeps the document known at preview, so the policy pack can judge it there.
        account = args.account.apply(lambda a: a.in_region(topic.region))
        self.topic_policy = aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=self.topic.arn,
            policy=account.apply(lambda a: to_json(topic_policy(a, a.arn("sns", topic.name)))),
            region=topic.region,
            opts=child,
        )
        endpoints = (
            [("email", e) for e in topic.emails]
            + [("sms", n) for n in topic.sms_numbers]
            + [("https", u) for u in topic.https_endpoints]
        )
        self.subscriptions = []
        for protocol, endpoint in endpoints:
            filter_policy, scope = sms_filter(topic.sms_filter_policy if protocol == "sms" else None)
            self.subscriptions.append(
                aws.sns.TopicSubscription(
                    f"{name}-{protocol}-{endpoint_suffix(endpoint)}",
                    topic=self.topic.arn,
                    protocol=protocol,
                    endpoint=endpoint,
                    region=topic.region,
                    filter_policy=filter_policy,
                    filter_policy_scope=scope,
                    opts=child,
                )
            )

        self.topic_arn = self.topic.arn
        self.topic_name = self.topic.name
        self.register_outputs({"topic_arn": self.topic_arn})
