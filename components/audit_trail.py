"""CloudTrail: a multi-region trail into a hardened bucket and a CloudWatch log group (where the CIS
filters live), and EventBridge rules that send high-signal API calls to the alerting topic."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from settings.audit import EVENT_RULES, BucketLifecycleSettings, TrailSettings

from .policy_documents import Account, cloudtrail_bucket_grants, log_delivery_policy
from .roles import service_role
from .secure_bucket import SecureBucket, SecureBucketArgs


@dataclass(frozen=True)
class AuditTrailArgs:
    account: pulumi.Output[Account]
    trail_name: str
    kms_key_arn: pulumi.Input[str]
    log_group: aws.cloudwatch.LogGroup
    """The trail's CloudWatch log group (retention, key and CIS filters are the LogGroups component's)."""
    settings: TrailSettings
    namespace: str
    """Namespace the CIS metric filters count into."""
    dashboard_name: str | None = None
    """Dashboard of the CIS metrics, when wanted."""


def cis_dashboard_body(namespace: str, region: str, settings: TrailSettings) -> dict:
    """One graph per enabled CIS control, three to a row, with its alarm threshold drawn."""
    widgets = []
    for index, cis_filter in enumerate(settings.cis_filters()):
        policy = cis_filter.policy()
        widgets.append(
            {
                "type": "metric",
                "x": (index % 3) * 8,
                "y": (index // 3) * 6,
                "width": 8,
                "height": 6,
                "properties": {
                    "title": f"{cis_filter.name} ({cis_filter.metric_name})",
                    "region": region,
                    "stat": "Sum",
                    "period": 300,
                    "metrics": [[namespace, cis_filter.metric_name]],
                    "annotations": {"horizontal": [{"label": "alarm", "value": policy.threshold}]} if policy else {},
                },
            }
        )
    return {"widgets": widgets}


def secure_bucket_args(
    prefix: str, kms_key_arn: pulumi.Input[str], lifecycle: BucketLifecycleSettings, grants
) -> SecureBucketArgs:
    """One translation of the lifecycle settings for every audit bucket."""
    return SecureBucketArgs(
        bucket_prefix=prefix,
        kms_key_arn=kms_key_arn,
        expiration_days=lifecycle.expiration_days,
        transition_days=lifecycle.transition_days,
        noncurrent_expiration_days=lifecycle.noncurrent_expiration_days,
        protect=lifecycle.protect,
        grants=grants,
    )


def data_event_selectors(settings: TrailSettings) -> list[dict]:
    """Management events read and write, plus the data events switched on."""
    selectors: list[dict] = [
        {"name": "Management events", "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}
    ]
    for enabled, resource_type, label in (
        (settings.s3_data_events, "AWS::S3::Object", "S3 object events"),
        (settings.lambda_data_events, "AWS::Lambda::Function", "Lambda invocations"),
    ):
        if enabled:
            selectors.append(
                {
                    "name": label,
                    "field_selectors": [
                        {"field": "eventCategory", "equals": ["Data"]},
                        {"field": "resources.type", "equals": [resource_type]},
                    ],
                }
            )
    return selectors


class AuditTrail(pulumi.ComponentResource):
    trail_arn: pulumi.Output[str]
    bucket_name: pulumi.Output[str]

    def __init__(self, name: str, args: AuditTrailArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:audit:AuditTrail", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        settings = args.settings
        trail_arn = args.account.apply(lambda a: a.arn("cloudtrail", f"trail/{args.trail_name}"))

        self.bucket = SecureBucket(
            f"{name}-store",
            secure_bucket_args(
                f"{args.trail_name}-",
                args.kms_key_arn,
                settings.bucket,
                lambda bucket_arn: pulumi.Output.all(args.account, trail_arn).apply(
                    lambda v: cloudtrail_bucket_grants(bucket_arn, v[1], v[0], settings.organization)
                ),
            ),
            opts=child,
        )
        self.role, self.role_policy = service_role(
            name,
            role_name=f"{args.trail_name}-logs-role",
            service="cloudtrail",
            account=args.account,
            policy=args.log_group.arn.apply(lambda arn: log_delivery_policy([arn])),
            opts=child,
        )
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=args.trail_name,
            s3_bucket_name=self.bucket.bucket_name,
            kms_key_id=args.kms_key_arn,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            is_organization_trail=settings.organization,
            cloud_watch_logs_group_arn=args.log_group.arn.apply(lambda arn: f"{arn}:*"),
            cloud_watch_logs_role_arn=self.role.arn,
            advanced_event_selectors=data_event_selectors(settings),
            insight_selectors=[{"insight_type": kind} for kind in settings.insights],
            # CloudTrail checks the bucket policy and the role when the trail is created.
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[self.bucket.policy, self.role_policy])
            ),
        )

        if args.dashboard_name:
            self.dashboard = aws.cloudwatch.Dashboard(
                f"{name}-cis-dashboard",
                dashboard_name=args.dashboard_name,
                dashboard_body=args.account.apply(
                    lambda a: json.dumps(cis_dashboard_body(args.namespace, a.region, settings))
                ),
                opts=child,
            )

        self.trail_arn = self.trail.arn
        self.bucket_name = self.bucket.bucket_name
        self.register_outputs({"trail_arn": self.trail_arn, "bucket_name": self.bucket_name})


@dataclass(frozen=True)
class EventRulesArgs:
    prefix: str
    topic_arn: pulumi.Input[str]
    rules: tuple[str, ...]


class EventRules(pulumi.ComponentResource):
    """One EventBridge rule per selected entry of `EVENT_RULES`, each targeting the alerting topic."""

    rule_names: pulumi.Output[list[str]]

    def __init__(self, name: str, args: EventRulesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:audit:EventRules", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.rules = []
        for rule in EVENT_RULES:
            if rule.name not in args.rules:
                continue
            event_rule = aws.cloudwatch.EventRule(
                f"{name}-{rule.name}",
                name=f"{args.prefix}-{rule.name}",
                description=rule.description,
                event_pattern=json.dumps(rule.pattern),
                opts=child,
            )
            aws.cloudwatch.EventTarget(
                f"{name}-{rule.name}-alerts", rule=event_rule.name, arn=args.topic_arn, opts=child
            )
            self.rules.append(event_rule)

        self.rule_names = pulumi.Output.all(*[r.name for r in self.rules])
        self.register_outputs({"rule_names": self.rule_names})
