"""The seed's sample workload as code: a traced Python Lambda behind an HTTP API, and a KMS-encrypted secret.

Meant for dev: a fresh `pulumi up -s dev` reproduces the seed walkthrough, and the monitors have
something real to watch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pulumi
import pulumi_aws as aws

from .access_logs import ACCESS_LOG_FORMAT
from .policy_documents import Account, sample_function_policy
from .roles import service_role

APP_SOURCE = Path(__file__).resolve().parent.parent / "functions" / "sample_api" / "app.py"
RUNTIME = "python3.13"
TIMEOUT_SECONDS = 10
SECRET_RECOVERY_DAYS = 7


@dataclass(frozen=True)
class SampleWorkloadArgs:
    account: pulumi.Output[Account]
    prefix: str
    function_name: str
    api_label: str
    """Label of the HTTP API in its name, access-log group and monitors."""
    kms_key_arn: pulumi.Input[str]
    function_log_group: aws.cloudwatch.LogGroup
    """`/aws/lambda/<function_name>`, managed with retention and the key before the function exists."""
    access_log_group: aws.cloudwatch.LogGroup


class SampleWorkload(pulumi.ComponentResource):
    function_name: pulumi.Output[str]
    api_id: pulumi.Output[str]
    api_endpoint: pulumi.Output[str]
    timeout_seconds: int = TIMEOUT_SECONDS

    def __init__(self, name: str, args: SampleWorkloadArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:sample:SampleWorkload", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)

        self.secret = aws.secretsmanager.Secret(
            f"{name}-secret",
            name=f"{args.prefix}/sample/signing-key",
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

        self.function_log_group = args.function_log_group
        self.role, self.role_policy = service_role(
            name,
            role_name=f"{args.function_name}-role",
            service="lambda",
            account=args.account,
            policy=pulumi.Output.all(self.function_log_group.arn, self.secret.arn, args.kms_key_arn).apply(
                lambda v: sample_function_policy(v[0], v[1], v[2])
            ),
            opts=child,
        )
        self.function = aws.lambda_.Function(
            f"{name}-function",
            name=args.function_name,
            runtime=RUNTIME,
            handler="app.handler",
            code=pulumi.AssetArchive({"app.py": pulumi.FileAsset(str(APP_SOURCE))}),
            role=self.role.arn,
            timeout=TIMEOUT_SECONDS,
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

        self.access_log_group = args.access_log_group
        self.api = aws.apigatewayv2.Api(
            f"{name}-api", name=f"{args.prefix}-{args.api_label}", protocol_type="HTTP", opts=child
        )
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
        self.register_outputs({"function_name": self.function_name, "api_endpoint": self.api_endpoint})
