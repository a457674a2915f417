"""One reader per AWS service, registered in SOURCES: what the audit reads, in the order it reads it."""

from ..inventory import Source
from . import (
    apigateway,
    aws_config,
    cloudtrail,
    cloudwatch,
    ec2,
    ecr,
    ecs,
    eks,
    iam,
    kinesis,
    kms,
    lambda_,
    logs,
    rds,
    s3,
    secretsmanager,
    sns,
    sqs,
    xray,
)

SOURCES: tuple[Source, ...] = (
    logs.SOURCE,
    cloudwatch.SOURCE,
    ecr.SOURCE,
    sns.SOURCE,
    sqs.SOURCE,
    kms.SOURCE,
    secretsmanager.SOURCE,
    cloudtrail.SOURCE,
    aws_config.SOURCE,
    s3.AUDIT_BUCKETS,
    lambda_.SOURCE,
    apigateway.SOURCE,
    apigateway.SOURCE_V2,
    xray.SOURCE,
    s3.SOURCE,
    s3.ACCOUNT_SOURCE,
    rds.SOURCE,
    eks.SOURCE,
    ec2.SOURCE,
    kinesis.SOURCE,
    ecs.SOURCE,
    iam.SOURCE,
)

__all__ = ["SOURCES"]
