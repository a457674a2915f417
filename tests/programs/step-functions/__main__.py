"""A Step Functions state machine orchestrating two Lambda functions, logging to CloudWatch."""

import json

import pulumi
import pulumi_aws as aws

lambda_role = aws.iam.Role(
    "worker-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
    managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
)
code = pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(event, context):\n    return event\n")})
validate = aws.lambda_.Function(
    "validate", runtime="python3.12", handler="index.handler", role=lambda_role.arn, code=code
)
charge = aws.lambda_.Function("charge", runtime="python3.8", handler="index.handler", role=lambda_role.arn, code=code)
logs = aws.cloudwatch.LogGroup("orders-workflow")
machine_role = aws.iam.Role(
    "machine-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicy(
    "machine-invokes",
    role=machine_role.id,
    policy=pulumi.Output.all(validate.arn, charge.arn).apply(
        lambda arns: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": list(arns)},
                    {
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogDelivery", "logs:PutResourcePolicy", "logs:DescribeLogGroups"],
                        "Resource": "*",
                    },
                ],
            }
        )
    ),
)
machine = aws.sfn.StateMachine(
    "orders",
    role_arn=machine_role.arn,
    definition=pulumi.Output.all(validate.arn, charge.arn).apply(
        lambda arns: json.dumps(
            {
                "StartAt": "Validate",
                "States": {
                    "Validate": {"Type": "Task", "Resource": arns[0], "Next": "Charge"},
                    "Charge": {"Type": "Task", "Resource": arns[1], "End": True},
                },
            }
        )
    ),
    logging_configuration={
        "level": "ERROR",
        "include_execution_data": False,
        "log_destination": logs.arn.apply(lambda a: f"{a}:*"),
    },
)
pulumi.export("stateMachineArn", machine.arn)
