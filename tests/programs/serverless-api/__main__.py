"""An HTTP API in front of a Lambda function and a DynamoDB table."""

import json

import pulumi
import pulumi_aws as aws

table = aws.dynamodb.Table(
    "orders",
    attributes=[{"name": "id", "type": "S"}],
    hash_key="id",
    billing_mode="PAY_PER_REQUEST",
)
assume = aws.iam.get_policy_document(
    statements=[
        {"actions": ["sts:AssumeRole"], "principals": [{"type": "Service", "identifiers": ["lambda.amazonaws.com"]}]}
    ]
)
role = aws.iam.Role("handler-role", assume_role_policy=assume.json)
aws.iam.RolePolicyAttachment(
    "handler-logs", role=role.name, policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
)
aws.iam.RolePolicy(
    "handler-table",
    role=role.id,
    policy=table.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": arn}],
            }
        )
    ),
)
handler = aws.lambda_.Function(
    "handler",
    runtime="python3.12",
    handler="main.handler",
    role=role.arn,
    code=pulumi.FileArchive("./app"),
    environment={"variables": {"TABLE": table.name, "DB_PASSWORD": "hunter2-but-longer"}},
)
api = aws.apigatewayv2.Api("api", protocol_type="HTTP")
integration = aws.apigatewayv2.Integration(
    "handler-integration",
    api_id=api.id,
    integration_type="AWS_PROXY",
    integration_uri=handler.invoke_arn,
    payload_format_version="2.0",
)
aws.apigatewayv2.Route(
    "orders-route", api_id=api.id, route_key="GET /orders", target=integration.id.apply(lambda i: f"integrations/{i}")
)
aws.apigatewayv2.Stage("default", api_id=api.id, name="$default", auto_deploy=True)
aws.lambda_.Permission(
    "api-invokes",
    action="lambda:InvokeFunction",
    function=handler.name,
    principal="apigateway.amazonaws.com",
    source_arn=api.execution_arn.apply(lambda arn: f"{arn}/*/*"),
)
pulumi.export("url", api.api_endpoint)
