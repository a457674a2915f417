"""The seed's sample workload as code: a traced Python Lambda behind an HTTP API, and a KMS-encrypted secret.

Meant for dev: a fresh `pulumi up -s dev` reproduces the seed walkthrough, and the monitors have
something real to watch.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pulumi
import pulumi_aws as aws

from plan.monitors import Unbound
from plan.stack import SAMPLE_API_ID, Sample

from .access_logs import ACCESS_LOG_FORMAT
from .documents import Account, function_basics, key_use
from .roles import service_role

APP_SOURCE = Path(__file__).resolve().parent.parent / "functions" / "sample_api" / "app.py"
RUNTIME = "python3.13"
SECRET_RECOVERY_DAYS = 7


@dataclass(frozen=True)
class SampleWorkloadArgs:
    account: pulumi.Output[Account]
    kms_key_arn: pulumi.Input[str]
    kms_key_alias: pulumi.Input[str]
    """The key's alias: the role's policy names the key by it (known at preview, unlike the key's id)."""
    plan: Sample
    log_groups: Mapping[str, aws.cloudwatch.LogGroup]
    """The stack's log groups by name; the function's and the API's access logs are among them, managed
    with retention and the key before the function exists."""


def sample_function_policy(account: Account, plan: Sample, key_alias: str) -> dict[str, Any]:
    """Least privilege for the sample Lambda: its own log group, traces, its secret and the key, each
    named as its name implies it, so the document is known before any of them exists."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            *function_basics(account.log_group_arn(plan.function_log_group)),
            {
                "Sid": "ReadOwnSecret",
                "Effect": "Allow",
                "Action": "secretsmanager:GetSecretValue",
                "Resource": account.secret_arn(plan.secret_name),
            },
            key_use("DecryptSecretAndEnvironment", "kms:Decrypt", account, key_alias),
        ],
    }


class SampleWorkload(pulumi.ComponentResource):
    function_name: pulumi.Output[str]
    api_id: pulumi.Output[str]
    api_endpoint: pulumi.Output[str]
    bindings: dict[Unbound, pulumi.Output[str]]
    """The API id for the sample API's monitor."""

    def __init__(self, name: str, args: SampleWorkloadArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:sample:SampleWorkload", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        plan = args.plan

        self.secret = aws.secretsmanager.Secret(
            f"{name}-secret",
            name=plan.secret_name,
            description="Signing key of the sample API (seed: fastapi-jwt-secret).",
            kms_key_id=args.kms_key_arn,
            recovery_window_in_days=SECRET_RECOVERY_DAYS,
            opts=child,
        )
        password = aws.secretsmanager.get_random_password_output(password_length=48, exclude_punctuation=True)
        self.secret_version = aws.secretsmanager.SecretVersion(
            f"{name}-secret-value",
            secret_id=self.secret.id,
            secret_string=pulumi.Output.secret(password.random_password),
            # A new random value is drawn on every run; keep the first one instead of rotating on each `up`.
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(ignore_changes=["secret_string"])),
        )

        self.function_log_group = args.log_groups[plan.function_log_group]
        self.role, self.role_policy = service_role(
            name,
            role_name=plan.role_name,
            service="lambda",
            account=args.account,
            policy=pulumi.Output.all(args.account, args.kms_key_alias).apply(
                lambda v: sample_function_policy(v[0], plan, v[1])
            ),
            opts=child,
        )
        self.function = aws.lambda_.Function(
            f"{name}-function",
            name=plan.function_name,
            runtime=RUNTIME,
            handler="app.handler",
            code=pulumi.AssetArchive({"app.py": pulumi.FileAsset(str(APP_SOURCE))}),
            role=self.role.arn,
            timeout=plan.timeout_seconds,
            memory_size=128,
            tracing_config={"mode": "Active"},
            environment={"variables": {"SECRET_ARN": self.secret.arn}},
            kms_key_arn=args.kms_key_arn,
            logging_config={"log_format": "Text", "log_group": self.function_log_group.name},
            # Lambda would otherwise create the log group itself, without retention or key.
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[self.function_log_group, self.role_policy])
            ),
        )

        self.access_log_group = args.log_groups[plan.access_log_group]
        self.api = aws.apigatewayv2.Api(f"{name}-api", name=plan.api_name, protocol_type="HTTP", opts=child)
        self.integration = aws.apigatewayv2.Integration(
            f"{name}-integration",
            api_id=self.api.id,
            integration_type="AWS_PROXY",
            integration_uri=self.function.arn,
            payload_format_version="2.0",
            opts=child,
        )
        self.route = aws.apigatewayv2.Route(
            f"{name}-route",
            api_id=self.api.id,
            route_key="$default",
            target=self.integration.id.apply(lambda integration_id: f"integrations/{integration_id}"),
            opts=child,
        )
        self.stage = aws.apigatewayv2.Stage(
            f"{name}-stage",
            api_id=self.api.id,
            name="$default",
            auto_deploy=True,
            access_log_settings={"destination_arn": self.access_log_group.arn, "format": ACCESS_LOG_FORMAT},
            default_route_settings={"throttling_burst_limit": 50, "throttling_rate_limit": 20},
            opts=child,
        )
        self.permission = aws.lambda_.Permission(
            f"{name}-invoke-permission",
            action="lambda:InvokeFunction",
            function=self.function.name,
            principal="apigateway.amazonaws.com",
            source_arn=self.api.execution_arn.apply(lambda arn: f"{arn}/*/*"),
            opts=child,
        )

        self.function_name = self.function.name
        self.api_id = self.api.id
        self.api_endpoint = self.api.api_endpoint
        self.bindings = {SAMPLE_API_ID: self.api_id}
        self.register_outputs({"function_name": self.function_name, "api_endpoint": self.api_endpoint})
