"""An application team's service in its own program: an HTTP API in front of a Lambda function that
hands work to a queue with a dead-letter queue. `ops_baseline.ServiceMonitoring` gives them the
baseline's alarms (to the baseline's alert topic, read from its stack) and a dashboard of their own."""

import json

import pulumi
import pulumi_aws as aws

from ops_baseline import AlertTarget, ServiceMonitoring, Watch

alerts = AlertTarget.from_stack_reference("acme/ops-baseline/prod")
tags = {"project": "orders", "environment": "prod", "managed-by": "pulumi", "team": "orders"}

dead_letters = aws.sqs.Queue("orders-dlq", name="orders-dlq", kms_master_key_id=alerts.kms_key_arn, tags=tags)
queue = aws.sqs.Queue(
    "orders-queue",
    name="orders-queue",
    kms_master_key_id=alerts.kms_key_arn,
    redrive_policy=dead_letters.arn.apply(lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})),
    tags=tags,
)
role = aws.iam.Role(
    "orders-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
    tags=tags,
)
handler = aws.lambda_.Function(
    "orders",
    name="orders",
    runtime="python3.12",
    handler="index.handler",
    role=role.arn,
    timeout=30,
    code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(event, context):\n    return {}\n")}),
    environment={"variables": {"QUEUE_URL": queue.url}},
    kms_key_arn=alerts.kms_key_arn,
    tracing_config={"mode": "Active"},
    tags=tags,
)
aws.cloudwatch.LogGroup(
    "orders-logs", name="/aws/lambda/orders", retention_in_days=365, kms_key_id=alerts.kms_key_arn, tags=tags
)
api = aws.apigatewayv2.Api("orders-api", name="orders-api", protocol_type="HTTP", target=handler.arn, tags=tags)

monitoring = ServiceMonitoring(
    "orders",
    alerts=alerts,
    functions=[Watch(handler, timeout_seconds=30, alarms={"errorRate": {}})],
    http_apis=[api],
    queues=[Watch(queue, dead_letter_queue=dead_letters)],
    tags=tags,
)
pulumi.export("alarmNames", monitoring.alarm_names)
pulumi.export("dashboardNames", monitoring.dashboard_names)
