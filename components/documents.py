"""Policy documents more than one component uses, and the Account they are written for: the key
policy, the TLS-only bucket policy, service trust, log delivery, what every baseline function needs.
A component's own documents live beside it. Pure: no Pulumi here, testable as data."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class Account:
    """Where the baseline is deployed: enough to write ARNs and scope conditions."""

    account_id: str
    region: str
    partition: str = "aws"

    def arn(self, service: str, resource: str) -> str:
        return f"arn:{self.partition}:{service}:{self.region}:{self.account_id}:{resource}"

    def log_group_arn(self, name: str) -> str:
        return self.arn("logs", f"log-group:{name}")

    def secret_arn(self, name: str) -> str:
        """Every ARN a secret of this name can have: Secrets Manager appends `-` and six random characters."""
        return self.arn("secretsmanager", f"secret:{name}-??????")

    def bucket_arn(self, name: str) -> str:
        """S3 bucket ARNs carry neither region nor account (bucket names are unique in a partition)."""
        return f"arn:{self.partition}:s3:::{name}"

    @property
    def root(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:root"

    def in_region(self, region: str | None) -> Account:
        """The same account seen from another region (None: this one)."""
        return replace(self, region=region) if region else self


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


def key_use(
    sid: str, actions: str | list[str], account: Account, alias: str, condition: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Use of the stack's key named by its alias, known at preview unlike a new key's id: the keys of
    this account and region (`key/*`) that carry the alias. kms:ResourceAliases is multivalued (a key
    can have many aliases), so it takes ForAnyValue: at least one of the key's aliases is this one."""
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Action": actions,
        "Resource": account.arn("kms", "key/*"),
        "Condition": {**(condition or {}), "ForAnyValue:StringEquals": {"kms:ResourceAliases": alias}},
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


def assume_role_policy(service: str, account: Account | None = None, source_arns: Iterable[str] = ()) -> dict[str, Any]:
    """Trust policy for a service principal, scoped (confused deputy) to this account when one is
    given, and to the resources that act through the role when their ARNs are given."""
    statement: dict[str, Any] = {
        "Effect": "Allow",
        "Principal": {"Service": f"{service}.amazonaws.com"},
        "Action": "sts:AssumeRole",
    }
    condition: dict[str, Any] = {}
    if account is not None:
        condition["StringEquals"] = {"aws:SourceAccount": account.account_id}
    if arns := list(source_arns):
        condition["ArnEquals"] = {"aws:SourceArn": arns}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def function_basics(log_group_arn: str) -> list[dict[str, Any]]:
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
