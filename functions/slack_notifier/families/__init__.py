"""One pure formatter per message family, and the registry that picks one.

Each family module reads its own shape and builds a `Notice`; nothing here does I/O. `FORMATTERS`
lists them explicitly, in the order they are tried: the first whose matcher takes the message wins,
so specific families come before the generic EventBridge one. EventBridge events are matched on
source and detail-type together (only AWS may send a source starting `aws.`).
"""

from __future__ import annotations

from . import (
    alarms,
    autoscaling,
    aws_config,
    backup,
    cloudtrail,
    deployments,
    ecr,
    generic,
    guardduty,
    health,
    inspector,
    s3,
    securityhub,
    ssm,
)
from .base import Formatter, Matcher, event_of, from_aws, is_event

FORMATTERS: tuple[tuple[Matcher, Formatter], ...] = (
    (alarms.is_alarm, alarms.cloudwatch_alarm),
    (alarms.is_lambda_alarm_action, alarms.lambda_alarm_action),
    (event_of("aws.cloudwatch", "CloudWatch Alarm State Change"), alarms.event_alarm),
    (event_of("aws.cloudwatch", "CloudWatch Alarm Configuration Change"), alarms.alarm_configuration_change),
    (event_of("aws.guardduty", "GuardDuty Finding"), guardduty.guardduty_finding),
    (event_of("aws.guardduty", "GuardDuty Malware Protection Object Scan Result"), guardduty.malware_object_scan),
    (
        event_of("aws.securityhub", "Security Hub Findings - Imported", securityhub.CUSTOM_ACTION),
        securityhub.security_hub_findings,
    ),
    (event_of("aws.inspector2", "Inspector2 Finding"), inspector.inspector_finding),
    (event_of("aws.inspector2", "Inspector2 Scan"), inspector.inspector_scan),
    (event_of("aws.ecr", "ECR Image Scan"), ecr.ecr_image_scan),
    (event_of("aws.signin", cloudtrail.SIGN_IN), cloudtrail.sign_in),
    (event_of(from_aws, "AWS API Call via CloudTrail"), cloudtrail.cloudtrail_event),
    (event_of(from_aws, cloudtrail.SERVICE_EVENT), cloudtrail.service_event),
    (event_of("aws.config", "Config Rules Compliance Change"), aws_config.config_compliance),
    (aws_config.is_config_notification, aws_config.config_notification),
    (event_of("aws.health", "AWS Health Event"), health.health_event),
    (event_of("aws.backup", *backup.JOBS), backup.backup_job),
    (backup.is_vault_notification, backup.vault_notification),
    (
        event_of(
            "aws.codepipeline",
            "CodePipeline Pipeline Execution State Change",
            "CodePipeline Stage Execution State Change",
            "CodePipeline Action Execution State Change",
        ),
        deployments.codepipeline_change,
    ),
    (event_of("aws.codebuild", "CodeBuild Build State Change"), deployments.codebuild_change),
    (
        event_of(
            "aws.codedeploy",
            "CodeDeploy Deployment State-change Notification",
            "CodeDeploy Instance State-change Notification",
        ),
        deployments.codedeploy_change,
    ),
    (
        event_of("aws.autoscaling", autoscaling.LAUNCH, "EC2 Instance Terminate Unsuccessful"),
        autoscaling.scaling_unsuccessful,
    ),
    (
        event_of(
            "aws.ssm", "EC2 Command Status-change Notification", "EC2 Command Invocation Status-change Notification"
        ),
        ssm.run_command_event,
    ),
    (ssm.is_run_command_notification, ssm.run_command_notification),
    (s3.is_s3_notification, s3.s3_notification),
    (is_event, generic.any_event),
)
"""First match wins: specific families before the generic EventBridge one."""
