"""A Lambda function of an application team, watched through the platform's ops-baseline stack:
its alarm notifies the baseline's alert topic, read from the baseline stack."""

import json

import pulumi
import pulumi_aws as aws

baseline = pulumi.StackReference("acme/ops-baseline/prod")
tags = {"project": "billing", "environment": "prod", "managed-by": "pulumi", "team": "billing"}
role = aws.iam.Role(
    "billing-role",
    tags=tags,
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
function = aws.lambda_.Function(
    "billing",
    runtime="python3.12",
    handler="index.handler",
    role=role.arn,
    code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(event, context):\n    return {}\n")}),
    kms_key_arn=baseline.get_output("kmsKeyArn"),
    tracing_config={"mode": "Active"},
    tags=tags,
)
aws.cloudwatch.LogGroup(
    "billing-logs",
    name=function.name.apply(lambda n: f"/aws/lambda/{n}"),
    retention_in_days=365,
    kms_key_id=baseline.get_output("kmsKeyArn"),
    tags=tags,
)
aws.cloudwatch.MetricAlarm(
    "billing-errors",
    namespace="AWS/Lambda",
    metric_name="Errors",
    dimensions={"FunctionName": function.name},
    statistic="Sum",
    period=300,
    evaluation_periods=1,
    threshold=0,
    comparison_operator="GreaterThanThreshold",
    treat_missing_data="notBreaching",
    alarm_actions=[baseline.get_output("alertTopicArn")],
    ok_actions=[baseline.get_output("alertTopicArn")],
    tags=tags,
)
pulumi.export("function", function.name)
