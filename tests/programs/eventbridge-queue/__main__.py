"""An EventBridge rule that delivers order events to an SQS queue, with a dead-letter queue."""

import json

import pulumi
import pulumi_aws as aws

dead_letters = aws.sqs.Queue("orders-dead-letters", message_retention_seconds=1209600)
queue = aws.sqs.Queue(
    "orders",
    visibility_timeout_seconds="60",
    redrive_policy=dead_letters.arn.apply(lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})),
)
rule = aws.cloudwatch.EventRule(
    "order-placed", event_pattern=json.dumps({"source": ["shop.orders"], "detail-type": ["OrderPlaced"]})
)
aws.cloudwatch.EventTarget("order-placed", rule=rule.name, arn=queue.arn)
aws.sqs.QueuePolicy(
    "events-send",
    queue_url=queue.id,
    policy=pulumi.Output.all(queue.arn, rule.arn).apply(
        lambda args: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "events.amazonaws.com"},
                        "Action": "sqs:SendMessage",
                        "Resource": args[0],
                        "Condition": {"ArnEquals": {"aws:SourceArn": args[1]}},
                    }
                ],
            }
        )
    ),
)
pulumi.export("queueUrl", queue.url)
