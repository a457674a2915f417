"""Pure builders for IAM-style policy documents (key, topic). No Pulumi here: testable as data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Account:
    """Where the baseline is deployed: enough to write ARNs and scope conditions."""

    account_id: str
    region: str
    partition: str = "aws"

    def arn(self, service: str, resource: str) -> str:
        return f"arn:{self.partition}:{service}:{self.region}:{self.account_id}:{resource}"

    @property
    def root(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:root"


KEY_USERS = ("logs", "sns", "cloudwatch", "events", "cloudtrail", "config")
"""Services a baseline key can be opened to; each gets exactly the statement below."""

_DATA_KEY_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey*"]


def _key_statement(service: str, account: Account) -> dict[str, Any]:
    source_account = {"StringEquals": {"aws:SourceAccount": account.account_id}}
    if service == "logs":
        return {
            "Sid": "AllowCloudWatchLogs",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{account.region}.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*",
            "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": account.arn("logs", "log-group:*")}},
        }
    if service == "sns":
        return {
            "Sid": "AllowSnsForTopicsOfThisAccount",
            "Effect": "Allow",
            "Principal": {"Service": "sns.amazonaws.com"},
            "Action": _DATA_KEY_ACTIONS,
            "Resource": "*",
            "Condition": source_account,
        }
    if service == "cloudwatch":
        return {
            "Sid": "AllowCloudWatchAlarmsToPublishToEncryptedTopics",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": _DATA_KEY_ACTIONS,
            "Resource": "*",
            "Condition": {**source_account, "ArnLike": {"aws:SourceArn": account.arn("cloudwatch", "alarm:*")}},
        }
    if service == "events":
        return {
            "Sid": "AllowEventBridgeToPublishToEncryptedTopics",
            "Effect": "Allow",
            "Principal": {"Service": "events.amazonaws.com"},
            "Action": _DATA_KEY_ACTIONS,
            "Resource": "*",
            "Condition": {**source_account, "ArnLike": {"aws:SourceArn": account.arn("events", "rule/*")}},
        }
    if service == "cloudtrail":
        return {
            "Sid": "AllowCloudTrailToEncryptLogs",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": "*",
            "Condition": {
                **source_account,
                # Trails are multi-region: the context carries the trail's home region, any of them.
                "StringLike": {
                    "kms:EncryptionContext:aws:cloudtrail:arn": f"arn:{account.partition}:cloudtrail:*:{account.account_id}:trail/*"
                },
            },
        }
    if service == "config":
        return {
            "Sid": "AllowConfigToEncryptDeliveries",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": _DATA_KEY_ACTIONS,
            "Resource": "*",
            "Condition": source_account,
        }
    raise ValueError(f"unknown key user {service!r}; allowed: {', '.join(KEY_USERS)}")


def key_policy(account: Account, services: Iterable[str]) -> dict[str, Any]:
    """Key policy: the account administers the key through IAM; named services may use it, scoped to this account."""
    statements = [
        {
            "Sid": "EnableIamPoliciesOfThisAccount",
            "Effect": "Allow",
            "Principal": {"AWS": account.root},
            "Action": "kms:*",
            "Resource": "*",
        }
    ]
    statements += [_key_statement(service, account) for service in dict.fromkeys(services)]
    return {"Version": "2012-10-17", "Statement": statements}


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


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=False)


def tls_only_bucket_policy(bucket_arn: str, statements: Iterable[dict[str, Any]] = ()) -> dict[str, Any]:
    """Bucket policy: the given grants plus a deny of every request not sent over TLS."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            *statements,
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": [bucket_arn, f"{bucket_arn}/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }


def assume_role_policy(service: str, account: Account | None = None) -> dict[str, Any]:
    """Trust policy for a service principal, scoped to this account when one is given (confused deputy)."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": f"{service}.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    if account is not None:
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": account.account_id}}
    return {"Version": "2012-10-17", "Statement": [statement]}


def canary_role_policy(account: Account, bucket_arn: str, key_arn: str) -> dict[str, Any]:
    """What a Synthetics canary needs: write its artifacts and logs, publish its own metrics."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WriteRunArtifacts",
                "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:GetObject"],
                "Resource": f"{bucket_arn}/*",
            },
            {
                "Sid": "LocateArtifactBucket",
                "Effect": "Allow",
                "Action": "s3:GetBucketLocation",
                "Resource": bucket_arn,
            },
            {"Sid": "ListBucketsForConsole", "Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
            {
                "Sid": "WriteCanaryLogs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": account.arn("logs", "log-group:/aws/lambda/cwsyn-*"),
            },
            {
                "Sid": "PublishSyntheticsMetrics",
                "Effect": "Allow",
                "Action": "cloudwatch:PutMetricData",
                "Resource": "*",
                "Condition": {"StringEquals": {"cloudwatch:namespace": "CloudWatchSynthetics"}},
            },
            {
                "Sid": "EncryptArtifacts",
                "Effect": "Allow",
                "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                "Resource": key_arn,
            },
        ],
    }


def _function_basics(log_group_arn: str) -> list[dict[str, Any]]:
    """What every baseline Lambda needs: write to its own log group, send its traces."""
    return [
        {
            "Sid": "WriteOwnLogs",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"{log_group_arn}:*",
        },
        {
            "Sid": "SendTraces",
            "Effect": "Allow",
            "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
            "Resource": "*",
        },
    ]


def sample_function_policy(log_group_arn: str, secret_arn: str, key_arn: str) -> dict[str, Any]:
    """Least privilege for the sample Lambda: its own log group, traces, its secret and the key."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            *_function_basics(log_group_arn),
            {
                "Sid": "ReadOwnSecret",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": secret_arn,
            },
            {"Sid": "DecryptSecretAndEnvironment", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": key_arn},
        ],
    }


def notifier_policy(
    account: Account, function_name: str, log_group_arn: str, key_arn: str, queue_arn: str
) -> dict[str, Any]:
    """Least privilege for the Slack notifier: its logs, traces, the webhook, its environment and its failure queue.

    kms:Decrypt is allowed twice, each time only under one encryption context: the webhook ciphertext's
    (`LambdaFunctionName`) and the one Lambda uses for the function's environment variables.
    """
    function_arn = account.arn("lambda", f"function:{function_name}")
    return {
        "Version": "2012-10-17",
        "Statement": [
            *_function_basics(log_group_arn),
            {
                "Sid": "DecryptWebhook",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": key_arn,
                "Condition": {"StringEquals": {"kms:EncryptionContext:LambdaFunctionName": function_name}},
            },
            {
                "Sid": "DecryptEnvironment",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": key_arn,
                "Condition": {"StringEquals": {"kms:EncryptionContext:aws:lambda:FunctionArn": function_arn}},
            },
            {
                "Sid": "KeepUndeliveredNotifications",
                "Effect": "Allow",
                "Action": "sqs:SendMessage",
                "Resource": queue_arn,
            },
            {
                "Sid": "EncryptForFailureQueue",
                "Effect": "Allow",
                "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                "Resource": key_arn,
                "Condition": {"StringEquals": {"kms:ViaService": f"sqs.{account.region}.amazonaws.com"}},
            },
        ],
    }


def cloudtrail_bucket_grants(
    bucket_arn: str, trail_arn: str, account: Account, organization: bool
) -> list[dict[str, Any]]:
    """CloudTrail of this one trail may check the ACL and write log files, owned by the bucket owner."""
    source = {"StringEquals": {"aws:SourceArn": trail_arn}}
    # Organization trails also write under AWSLogs/<organization id>/...
    prefix = f"{bucket_arn}/AWSLogs/*" if organization else f"{bucket_arn}/AWSLogs/{account.account_id}/*"
    return [
        {
            "Sid": "CloudTrailChecksBucketAcl",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": source,
        },
        {
            "Sid": "CloudTrailWritesLogFiles",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": prefix,
            "Condition": {"StringEquals": {**source["StringEquals"], "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
    ]


def config_bucket_grants(bucket_arn: str, account: Account) -> list[dict[str, Any]]:
    """AWS Config of this account may check the bucket and deliver snapshots and history files."""
    source = {"StringEquals": {"aws:SourceAccount": account.account_id}}
    return [
        {
            "Sid": "ConfigChecksBucket",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": bucket_arn,
            "Condition": source,
        },
        {
            "Sid": "ConfigDeliversFiles",
            "Effect": "Allow",
            "Principal": {"Service": "config.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/AWSLogs/{account.account_id}/Config/*",
            "Condition": {"StringEquals": {**source["StringEquals"], "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
    ]


def log_delivery_policy(log_group_arns: Iterable[str], *, describe: bool = False) -> dict[str, Any]:
    """A service role that writes to the given log groups only (CloudTrail, VPC flow logs)."""
    groups = list(log_group_arns)
    actions = ["logs:CreateLogStream", "logs:PutLogEvents"]
    if describe:  # VPC flow logs look their group and streams up before writing
        actions += ["logs:DescribeLogGroups", "logs:DescribeLogStreams"]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WriteToOwnLogGroups",
                "Effect": "Allow",
                "Action": actions,
                "Resource": [f"{arn}:*" for arn in groups] + [f"{arn}:log-stream:*" for arn in groups],
            }
        ],
    }


def config_delivery_policy(bucket_arn: str, key_arn: str, topic_arn: str, account: Account) -> dict[str, Any]:
    """On top of the AWS managed AWS_ConfigRole: deliver to the bucket, encrypt with the key, notify the topic."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DeliverToBucket",
                "Effect": "Allow",
                "Action": "s3:PutObject",
                "Resource": f"{bucket_arn}/AWSLogs/{account.account_id}/Config/*",
                "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
            },
            {"Sid": "CheckBucket", "Effect": "Allow", "Action": "s3:GetBucketAcl", "Resource": bucket_arn},
            {
                "Sid": "EncryptDeliveries",
                "Effect": "Allow",
                "Action": ["kms:GenerateDataKey", "kms:Decrypt"],
                "Resource": key_arn,
            },
            {"Sid": "NotifyTopic", "Effect": "Allow", "Action": "sns:Publish", "Resource": topic_arn},
        ],
    }


def ecr_lifecycle_policy(keep_last: int, untagged_expire_days: int) -> dict[str, Any]:
    """Expire untagged images after N days; keep the last M images of any tag."""
    return {
        "rules": [
            {
                "rulePriority": 1,
                "description": f"Expire untagged images after {untagged_expire_days} days",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": untagged_expire_days,
                },
                "action": {"type": "expire"},
            },
            {
                "rulePriority": 2,
                "description": f"Keep the last {keep_last} images",
                "selection": {"tagStatus": "any", "countType": "imageCountMoreThan", "countNumber": keep_last},
                "action": {"type": "expire"},
            },
        ]
    }
