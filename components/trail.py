"""CloudTrail: a multi-region trail into a hardened bucket and a CloudWatch log group (where the CIS
filters live), and EventBridge rules that send high-signal API calls to the alerting topic, with
the events of global services brought over from us-east-1."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from plan.trail import CisDashboard, EventForwarding, EventRule
from plan.trail import Trail as TrailPlan

from .documents import Account, log_delivery_policy
from .roles import service_role
from .secure_bucket import SecureBucket, SecureBucketArgs


@dataclass(frozen=True)
class TrailArgs:
    account: pulumi.Output[Account]
    kms_key_arn: pulumi.Input[str]
    plan: TrailPlan
    log_groups: Mapping[str, aws.cloudwatch.LogGroup]
    """The stack's log groups by name; the trail's is among them (its retention, key and CIS filters
    are the LogGroups component's)."""
    access_log_bucket: pulumi.Input[str] | None = None
    """Where the trail bucket's server access logs go."""


def cloudtrail_bucket_grants(
    bucket_arn: str, trail_arn: str, account: Account, organization: bool
) -> list[dict[str, Any]]:
    """CloudTrail of this one trail may check the ACL and write log files, owned by the bucket owner."""
    source = {"StringEquals": {"aws:SourceArn": trail_arn}}
    # Organization trails also write under AWSLogs/<organization id>/...
    prefix = f"{bucket_arn}/AWSLogs/*" if organization else f"{bucket_arn}/AWSLogs/{account.account_id}/*"
    return [
        {
            "Sid": "CloudTrailChecksBucketAcl",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": source,
        },
        {
            "Sid": "CloudTrailWritesLogFiles",
            "Effect": "Allow",
            "Principal": {"Service": "cloudtrail.amazonaws.com"},
            "Action": "s3:PutObject",
            "Resource": prefix,
            "Condition": {"StringEquals": {**source["StringEquals"], "s3:x-amz-acl": "bucket-owner-full-control"}},
        },
    ]


def cis_dashboard_body(dashboard: CisDashboard, region: str) -> dict:
    """One graph per enabled CIS control, three to a row, with its alarm threshold drawn."""
    widgets = []
    for index, graph in enumerate(dashboard.graphs):
        widgets.append(
            {
                "type": "metric",
                "x": (index % 3) * 8,
                "y": (index // 3) * 6,
                "width": 8,
                "height": 6,
                "properties": {
                    "title": graph.title,
                    "region": region,
                    "stat": "Sum",
                    "period": 300,
                    "metrics": [[dashboard.namespace, graph.metric_name]],
                    "annotations": {"horizontal": [{"label": "alarm", "value": graph.threshold}]}
                    if graph.threshold is not None
                    else {},
                },
            }
        )
    return {"widgets": widgets}


def data_event_selectors(trail: TrailPlan) -> list[aws.cloudtrail.TrailAdvancedEventSelectorArgsDict]:
    """Management events read and write, plus the data events switched on."""
    selectors: list[aws.cloudtrail.TrailAdvancedEventSelectorArgsDict] = [
        {"name": "Management events", "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}
    ]
    for enabled, resource_type, label in (
        (trail.s3_data_events, "AWS::S3::Object", "S3 object events"),
        (trail.lambda_data_events, "AWS::Lambda::Function", "Lambda invocations"),
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


class Trail(pulumi.ComponentResource):
    trail_arn: pulumi.Output[str]
    bucket_name: pulumi.Output[str]

    def __init__(self, name: str, args: TrailArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        # The token keeps its first name: it is part of every URN below the trail.
        super().__init__("ops-baseline:audit:AuditTrail", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        plan = args.plan
        log_group = args.log_groups[plan.log_group]
        trail_arn = args.account.apply(lambda a: a.arn("cloudtrail", f"trail/{plan.name}"))

        self.bucket = SecureBucket(
            f"{name}-store",
            SecureBucketArgs.audit_store(
                plan.bucket,
                args.account,
                args.kms_key_arn,
                lambda bucket_arn: pulumi.Output.all(args.account, trail_arn).apply(
                    lambda v: cloudtrail_bucket_grants(bucket_arn, v[1], v[0], plan.organization)
                ),
                args.access_log_bucket,
            ),
            opts=child,
        )
        self.role, self.role_policy = service_role(
            name,
            role_name=plan.role_name,
            service="cloudtrail",
            account=args.account,
            # The log group's ARN as its name implies it: known at preview, so the pack judges the document there.
            policy=args.account.apply(lambda a: log_delivery_policy([a.log_group_arn(plan.log_group)])),
            opts=child,
        )
        self.trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=plan.name,
            s3_bucket_name=self.bucket.bucket_name,
            kms_key_id=args.kms_key_arn,
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            is_organization_trail=plan.organization,
            cloud_watch_logs_group_arn=log_group.arn.apply(lambda arn: f"{arn}:*"),
            cloud_watch_logs_role_arn=self.role.arn,
            advanced_event_selectors=data_event_selectors(plan),
            insight_selectors=[{"insight_type": kind} for kind in plan.insights],
            # CloudTrail checks the bucket policy and the role when the trail is created.
            opts=pulumi.ResourceOptions.merge(
                child, pulumi.ResourceOptions(depends_on=[self.bucket.policy, self.role_policy])
            ),
        )

        if plan.dashboard:
            dashboard = plan.dashboard
            self.dashboard = aws.cloudwatch.Dashboard(
                f"{name}-cis-dashboard",
                dashboard_name=dashboard.name,
                dashboard_body=args.account.apply(lambda a: json.dumps(cis_dashboard_body(dashboard, a.region))),
                opts=child,
            )

        self.trail_arn = self.trail.arn
        self.bucket_name = self.bucket.bucket_name
        self.register_outputs({"trail_arn": self.trail_arn, "bucket_name": self.bucket_name})


@dataclass(frozen=True)
class EventRulesArgs:
    account: pulumi.Output[Account]
    topic_arn: pulumi.Input[str]
    rules: tuple[EventRule, ...]
    forwarding: EventForwarding | None = None
    """Rules in us-east-1 that send the events of global services to this region's default bus,
    where `rules` match them."""


def put_events_policy(bus_arn: str) -> dict[str, Any]:
    """A role that may put events on one event bus, and do nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "PutEventsOnOneBus", "Effect": "Allow", "Action": "events:PutEvents", "Resource": bus_arn}
        ],
    }


class EventRules(pulumi.ComponentResource):
    """One EventBridge rule per planned rule, each targeting the alerting topic; and, for a stack
    outside us-east-1, the rules there that forward global-service events to this region's bus.

    A forwarded event is matched again by this region's rule of the same pattern, which publishes
    to the topic: the topic and key policies, which admit rules of this region only, stay as they are."""

    rule_names: pulumi.Output[list[str]]

    def __init__(self, name: str, args: EventRulesArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        # As the trail's, the token keeps its first name.
        super().__init__("ops-baseline:audit:EventRules", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.rules = [
            self._rule(f"{name}-{rule.label}", rule, "alerts", args.topic_arn, opts=child) for rule in args.rules
        ]

        self.forwarding_rules = []
        forwarding = args.forwarding
        if forwarding:
            bus_arn = args.account.apply(
                lambda a: a.in_region(forwarding.bus_region).arn("events", "event-bus/default")
            )
            self.forwarding_role, role_policy = service_role(
                f"{name}-forwarding",
                role_name=forwarding.role_name,
                service="events",
                account=args.account,
                policy=bus_arn.apply(put_events_policy),
                source_arns=args.account.apply(
                    lambda a: [a.in_region(forwarding.region).arn("events", f"rule/{r.name}") for r in forwarding.rules]
                ),
                opts=child,
            )
            # EventBridge sends with the role as soon as the target exists: give the role its policy first.
            self.forwarding_rules = [
                self._rule(
                    f"{name}-{rule.label}-forwarding",
                    rule,
                    "bus",
                    bus_arn,
                    region=forwarding.region,
                    role_arn=self.forwarding_role.arn,
                    opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[role_policy])),
                )
                for rule in forwarding.rules
            ]

        self.rule_names = pulumi.Output.all(*[r.name for r in self.rules])
        self.register_outputs({"rule_names": self.rule_names})

    @staticmethod
    def _rule(
        logical: str,
        rule: EventRule,
        target: str,
        target_arn: pulumi.Input[str],
        *,
        opts: pulumi.ResourceOptions,
        region: str | None = None,
        role_arn: pulumi.Input[str] | None = None,
    ) -> aws.cloudwatch.EventRule:
        """The rule on `region`'s default bus (None: the stack's) and its one target `{logical}-{target}`,
        which lives beside its rule whatever region `target_arn` is in."""
        event_rule = aws.cloudwatch.EventRule(
            logical,
            name=rule.name,
            description=rule.description,
            event_pattern=json.dumps(rule.pattern),
            region=region,
            opts=opts,
        )
        aws.cloudwatch.EventTarget(
            f"{logical}-{target}", rule=event_rule.name, arn=target_arn, role_arn=role_arn, region=region, opts=opts
        )
        return event_rule
