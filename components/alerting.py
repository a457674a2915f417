"""The alerting topic: encrypted SNS, a scoped topic policy and one subscription per endpoint."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import pulumi
import pulumi_aws as aws

from .policy_documents import Account, to_json, topic_policy


@dataclass(frozen=True)
class AlertingArgs:
    account: pulumi.Output[Account]
    kms_key_arn: pulumi.Input[str]
    """Customer-managed key the topic is encrypted with."""
    topic_name: str
    emails: tuple[str, ...] = ()
    sms_numbers: tuple[str, ...] = ()
    https_endpoints: tuple[str, ...] = ()
    region: str | None = None
    """Region of the topic when not the stack's; alarms can only notify a topic in their own region."""


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

        self.topic = aws.sns.Topic(
            f"{name}-topic",
            name=args.topic_name,
            display_name=args.topic_name,
            kms_master_key_id=args.kms_key_arn,
            region=args.region,
            opts=child,
        )
        # The policy names the topic by the ARN its name implies, not by the new topic's output:
        # that keeps the document known at preview, so the policy pack can judge it there.
        account = args.account.apply(lambda a: replace(a, region=args.region) if args.region else a)
        self.topic_policy = aws.sns.TopicPolicy(
            f"{name}-topic-policy",
            arn=self.topic.arn,
            policy=account.apply(lambda a: to_json(topic_policy(a, a.arn("sns", args.topic_name)))),
            region=args.region,
            opts=child,
        )
        endpoints = (
            [("email", e) for e in args.emails]
            + [("sms", n) for n in args.sms_numbers]
            + [("https", u) for u in args.https_endpoints]
        )
        self.subscriptions = [
            aws.sns.TopicSubscription(
                f"{name}-{protocol}-{endpoint_suffix(endpoint)}",
                topic=self.topic.arn,
                protocol=protocol,
                endpoint=endpoint,
                region=args.region,
                opts=child,
            )
            for protocol, endpoint in endpoints
        ]

        self.topic_arn = self.topic.arn
        self.topic_name = self.topic.name
        self.register_outputs({"topic_arn": self.topic_arn})
