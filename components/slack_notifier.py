"""SNS → Lambda → Slack: the notifier function with its encrypted webhook, retries and failure queue.

The webhook URL goes to KMS at deploy time as a write-only input (`plaintext_wo`), so neither the
state nor the function's environment holds it in plain text; the function gets the ciphertext and
decrypts it with the encryption context `LambdaFunctionName=<function name>`. Notifications that
still fail after the function's own retries and Lambda's asynchronous retries land in an encrypted
SQS queue, which the baseline alarms on through a topic the notifier does not read. With a bot
token, the token goes to KMS the same way under its own context (`SlackBotToken=<function name>`),
and a DynamoDB table keeps each alarm's thread and the SNS messages already delivered.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

from plan.alerting import Notifier, Route
from plan.monitors import Unbound
from plan.monitors.notifier import FUNCTION_NAME, QUEUE_NAME

from .documents import Account, function_basics, key_use
from .roles import service_role

SOURCE = Path(__file__).resolve().parent.parent / "functions" / "slack_notifier"
PACKAGE = "slack_notifier"
RUNTIME = "python3.13"
MEMORY_MB = 128
QUEUE_RETENTION_SECONDS = 1_209_600
"""14 days, SQS's maximum: time to notice the alarm and read what Slack missed."""
ENCRYPTION_CONTEXT_KEY = "LambdaFunctionName"
BOT_TOKEN_CONTEXT_KEY = "SlackBotToken"
"""The bot token's own encryption context (`SlackBotToken=<function>`): neither ciphertext passes for the other."""
THREAD_KEY = "pk"
THREAD_EXPIRY_ATTRIBUTE = "expiresAt"
"""Epoch seconds after which DynamoDB's TTL deletes an item; the notifier sets it (functions/slack_notifier/threads.py)."""


@dataclass(frozen=True)
class SlackNotifierArgs:
    account: pulumi.Output[Account]
    kms_key_arn: pulumi.Input[str]
    """Encrypts the webhook ciphertext, the environment, the failure queue."""
    kms_key_alias: pulumi.Input[str]
    """The key's alias: the role's policy names the key by it (known at preview, unlike the key's id)."""
    topic_arn: pulumi.Input[str]
    """The alerting topic the function subscribes to."""
    plan: Notifier
    log_groups: Mapping[str, aws.cloudwatch.LogGroup]
    """The stack's log groups by name; `/aws/lambda/<function>` is among them, with retention and the
    key, created before the function."""


def notifier_policy(account: Account, plan: Notifier, key_alias: str) -> dict[str, Any]:
    """Least privilege for the Slack notifier: its logs, traces, the webhook, its environment and its failure
    queue; with threads, the bot token and the items of its own table. Every resource is named as its
    name implies it (the key by its alias), so the document is known before any of them exists.

    kms:Decrypt is allowed only under one encryption context each: the webhook ciphertext's
    (`LambdaFunctionName`), the bot token's (`SlackBotToken`) and the one Lambda uses for the function's
    environment variables; the table's key only through DynamoDB.
    """
    function_name = plan.function_name
    function_arn = account.arn("lambda", f"function:{function_name}")
    threads: list[dict[str, Any]] = []
    if plan.threads:
        threads = [
            key_use(
                "DecryptBotToken",
                "kms:Decrypt",
                account,
                key_alias,
                {"StringEquals": {f"kms:EncryptionContext:{BOT_TOKEN_CONTEXT_KEY}": function_name}},
            ),
            {
                "Sid": "KeepThreads",
                "Effect": "Allow",
                "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
                "Resource": account.arn("dynamodb", f"table/{plan.threads.table}"),
            },
            # A table under a customer key: DynamoDB uses the key on the caller's behalf.
            key_use(
                "EncryptThreads",
                ["kms:Decrypt", "kms:GenerateDataKey"],
                account,
                key_alias,
                {"StringEquals": {"kms:ViaService": f"dynamodb.{account.region}.amazonaws.com"}},
            ),
        ]
    return {
        "Version": "2012-10-17",
        "Statement": [
            *function_basics(account.log_group_arn(plan.log_group)),
            key_use(
                "DecryptWebhook",
                "kms:Decrypt",
                account,
                key_alias,
                {"StringEquals": {f"kms:EncryptionContext:{ENCRYPTION_CONTEXT_KEY}": function_name}},
            ),
            key_use(
                "DecryptEnvironment",
                "kms:Decrypt",
                account,
                key_alias,
                {"StringEquals": {"kms:EncryptionContext:aws:lambda:FunctionArn": function_arn}},
            ),
            {
                "Sid": "KeepUndeliveredNotifications",
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": account.arn("sqs", plan.failure_queue),
            },
            key_use(
                "EncryptForFailureQueue",
                ["kms:GenerateDataKey", "kms:Decrypt"],
                account,
                key_alias,
                {"StringEquals": {"kms:ViaService": f"sqs.{account.region}.amazonaws.com"}},
            ),
            *threads,
        ],
    }


def routes_variable(routes: tuple[Route, ...]) -> str:
    """SLACK_ROUTES as the function reads it: what each route takes, known before deploy (so a preview
    can tell which channel a notice goes to). The webhooks travel apart, as ciphertexts."""
    return json.dumps(
        [
            {
                "name": route.name,
                "channel": route.channel,
                "severities": list(route.severities),
                "sources": list(route.sources),
            }
            for route in routes
        ],
        separators=(",", ":"),
    )


def ciphertexts_variable(routes: tuple[Route, ...], ciphertexts: list[str]) -> str:
    """SLACK_ROUTE_CIPHERTEXTS: each route's webhook as its KMS ciphertext, by route name; never the URL."""
    return json.dumps(
        {route.name: blob for route, blob in zip(routes, ciphertexts, strict=True)}, separators=(",", ":")
    )


def package_files() -> dict[str, Path]:
    """Archive name → file of every module of the `slack_notifier` package, subpackages (the
    formatter families) included, caches left out."""
    return {f"{PACKAGE}/{path.relative_to(SOURCE).as_posix()}": path for path in sorted(SOURCE.rglob("*.py"))}


def package() -> pulumi.AssetArchive:
    """The `slack_notifier` package as it sits in the repository."""
    return pulumi.AssetArchive({name: pulumi.FileAsset(str(path)) for name, path in package_files().items()})


class SlackNotifier(pulumi.ComponentResource):
    function_name: pulumi.Output[str]
    queue_name: pulumi.Output[str]
    """Failure queue: notifications Slack never received, kept 14 days."""
    bindings: dict[Unbound, pulumi.Output[str]]
    """The function's and the queue's names for the notifier's monitors."""

    def __init__(self, name: str, args: SlackNotifierArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:alerting:SlackNotifier", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        plan = args.plan
        log_group = args.log_groups[plan.log_group]

        def ciphertext(
            resource_name: str, value: pulumi.Input[str], context_key: str = ENCRYPTION_CONTEXT_KEY
        ) -> aws.kms.Ciphertext:
            secret = pulumi.Output.secret(value)
            return aws.kms.Ciphertext(
                resource_name,
                key_id=args.kms_key_arn,
                plaintext_wo=secret,
                # Write-only inputs are not diffed: a new value is noticed through its digest.
                plaintext_wo_version=secret.apply(lambda value: hashlib.sha256(value.encode()).hexdigest()[:16]),
                context={context_key: plan.function_name},
                opts=child,
            )

        self.webhook = ciphertext(f"{name}-webhook", plan.webhook_url)
        self.route_webhooks = [ciphertext(f"{name}-route-{route.name}", route.webhook_url) for route in plan.routes]
        self.queue = aws.sqs.Queue(
            f"{name}-failures",
            name=plan.failure_queue,
            kms_master_key_id=args.kms_key_arn,
            kms_data_key_reuse_period_seconds=300,
            message_retention_seconds=QUEUE_RETENTION_SECONDS,
            opts=child,
        )
        threads = plan.threads
        self.bot_token = ciphertext(f"{name}-bot-token", threads.bot_token, BOT_TOKEN_CONTEXT_KEY) if threads else None
        self.threads = (
            aws.dynamodb.Table(
                f"{name}-threads",
                name=threads.table,
                billing_mode="PAY_PER_REQUEST",
                hash_key=THREAD_KEY,
                attributes=[{"name": THREAD_KEY, "type": "S"}],
                ttl={"attribute_name": THREAD_EXPIRY_ATTRIBUTE, "enabled": True},
                server_side_encryption={"enabled": True, "kms_key_arn": args.kms_key_arn},
                point_in_time_recovery={"enabled": True},
                opts=child,
            )
            if threads
            else None
        )
        self.role, self.role_policy = service_role(
            name,
            role_name=plan.role_name,
            service="lambda",
            account=args.account,
            policy=pulumi.Output.all(args.account, args.kms_key_alias).apply(
                lambda v: notifier_policy(v[0], plan, v[1])
            ),
            opts=child,
        )
        variables: dict[str, pulumi.Input[str]] = {
            "SLACK_WEBHOOK_CIPHERTEXT": self.webhook.ciphertext_blob,
            "SLACK_CHANNEL": plan.channel,
            "SLACK_USERNAME": plan.username,
        }
        if plan.icon_emoji:
            variables["SLACK_ICON_EMOJI"] = plan.icon_emoji
        if self.bot_token and self.threads:
            variables["SLACK_BOT_TOKEN_CIPHERTEXT"] = self.bot_token.ciphertext_blob
            variables["SLACK_THREADS_TABLE"] = self.threads.name
        if plan.routes:
            variables["SLACK_ROUTES"] = routes_variable(plan.routes)
            variables["SLACK_ROUTE_CIPHERTEXTS"] = pulumi.Output.all(
                *(c.ciphertext_blob for c in self.route_webhooks)
            ).apply(lambda blobs: ciphertexts_variable(plan.routes, blobs))
        self.function = aws.lambda_.Function(
            f"{name}-function",
            name=plan.function_name,
            description="Posts alarms and events from the alerting topic to Slack (ops-baseline).",
            runtime=RUNTIME,
            architectures=["arm64"],
            handler=f"{PACKAGE}.handler.handler",
            code=package(),
            role=self.role.arn,
            timeout=plan.timeout_seconds,
            memory_size=MEMORY_MB,
            tracing_config={"mode": "Active"},
            environment={"variables": variables},
            kms_key_arn=args.kms_key_arn,
            logging_config={"log_format": "Text", "log_group": log_group.name},
            # Lambda would otherwise create the log group itself, without retention or key.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[log_group, self.role_policy])),
        )
        self.invoke_config = aws.lambda_.FunctionEventInvokeConfig(
            f"{name}-async",
            function_name=self.function.name,
            maximum_retry_attempts=plan.retry_attempts,
            maximum_event_age_in_seconds=plan.max_event_age_seconds,
            destination_config={"on_failure": {"destination": self.queue.arn}},
            # Lambda checks that the role may send to the destination when the config is written.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.role_policy])),
        )
        self.permission = aws.lambda_.Permission(
            f"{name}-invoke-permission",
            action="lambda:InvokeFunction",
            function=self.function.name,
            principal="sns.amazonaws.com",
            source_arn=args.topic_arn,
            opts=child,
        )
        self.subscription = aws.sns.TopicSubscription(
            f"{name}-subscription",
            topic=args.topic_arn,
            protocol="lambda",
            endpoint=self.function.arn,
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[self.permission])),
        )

        self.function_name = self.function.name
        self.queue_name = self.queue.name
        self.bindings = {FUNCTION_NAME: self.function_name, QUEUE_NAME: self.queue_name}
        self.register_outputs({"function_name": self.function_name, "queue_name": self.queue_name})
