"""ops-baseline: the observability and governance layer of one AWS environment.

Settings are read and planned once (plan/); each component takes its plan node and creates it.
"""

import pulumi

from components import (
    ACCESS_LOG_FORMAT,
    Alerting,
    AlertingArgs,
    Canaries,
    CanariesArgs,
    Compliance,
    ComplianceArgs,
    EncryptionKeys,
    EncryptionKeysArgs,
    EventRules,
    EventRulesArgs,
    FlowLogs,
    FlowLogsArgs,
    Registries,
    RegistriesArgs,
    SampleWorkload,
    SampleWorkloadArgs,
    SecureBucket,
    SecureBucketArgs,
    SlackNotifier,
    SlackNotifierArgs,
    Tracing,
    TracingArgs,
    Trail,
    TrailArgs,
    current_account,
    tag_every_resource,
)
from components.monitoring import LogGroups, LogGroupsArgs, Monitoring, MonitoringArgs
from plan import load_plan
from plan.monitors import ALERTS, BILLING_ALERTS, NOTIFIER_ALERTS, Unbound
from settings import SettingsError
from settings.model import ALARM_SEVERITIES

try:
    plan = load_plan()
except SettingsError as error:
    # RunError is shown by the engine as a plain message, without a Python traceback.
    raise pulumi.RunError(str(error)) from None

tag_every_resource(plan.tags)
account = current_account(plan.region)

keys = EncryptionKeys("keys", EncryptionKeysArgs(account, plan.key))
alerting = Alerting("alerting", AlertingArgs(account, keys.key_arn, plan.topic))
log_groups = LogGroups("logs", LogGroupsArgs(keys.key_arn, plan.log_groups))
topics = {ALERTS: alerting.topic_arn}
bindings: dict[Unbound, pulumi.Input[str]] = {}

if plan.notifier:
    notifier = SlackNotifier(
        "slack",
        SlackNotifierArgs(
            account, keys.key_arn, keys.alias_name, alerting.topic_arn, plan.notifier, log_groups.by_name
        ),
    )
    topics[NOTIFIER_ALERTS] = Alerting(
        "notifier-alerting", AlertingArgs(account, keys.key_arn, plan.notifier.topic)
    ).topic_arn
    bindings |= notifier.bindings
    pulumi.export("slackNotifierFunctionName", notifier.function_name)

if plan.sample:
    sample = SampleWorkload(
        "sample", SampleWorkloadArgs(account, keys.key_arn, keys.alias_name, plan.sample, log_groups.by_name)
    )
    bindings |= sample.bindings
    pulumi.export("sampleApiEndpoint", sample.api_endpoint)

if plan.canaries:
    bindings |= Canaries("canaries", CanariesArgs(account, keys.key_arn, keys.alias_name, plan.canaries)).bindings

if plan.billing:
    # Alarms notify topics of their own region only, and topics use keys of their region.
    billing_region = plan.billing.key.region
    billing_account = account.apply(lambda a: a.in_region(billing_region))
    billing_keys = EncryptionKeys("billing-keys", EncryptionKeysArgs(billing_account, plan.billing.key))
    topics[BILLING_ALERTS] = Alerting(
        "billing-alerting", AlertingArgs(billing_account, billing_keys.key_arn, plan.billing.topic)
    ).topic_arn

# Server access logs of the audit buckets (S3.9) go to a bucket of their own, created first.
access_log_bucket = None
if plan.access_logs:
    access_log_bucket = SecureBucket(
        "access-logs", SecureBucketArgs.access_log_store(plan.access_logs, account)
    ).bucket_name
    pulumi.export("accessLogBucketName", access_log_bucket)

if plan.trail:
    # "audit": the trail's first logical name, part of every URN below it.
    trail = Trail("audit", TrailArgs(account, keys.key_arn, plan.trail, log_groups.by_name, access_log_bucket))
    pulumi.export("trailArn", trail.trail_arn)
    pulumi.export("trailBucketName", trail.bucket_name)
if plan.event_rules:
    event_rules = EventRules(
        "events", EventRulesArgs(account, alerting.topic_arn, plan.event_rules, plan.event_forwarding)
    )
    pulumi.export("eventRuleNames", event_rules.rule_names)

if plan.compliance:
    compliance = Compliance(
        "compliance", ComplianceArgs(account, keys.key_arn, keys.alias_name, plan.compliance, access_log_bucket)
    )
    if plan.compliance.recorder:
        pulumi.export("configRecorderName", compliance.recorder_name)
    pulumi.export("configRuleNames", compliance.rule_names)
    if plan.compliance.conformance_pack:
        pulumi.export("configConformancePackName", compliance.pack_name)

if plan.tracing:
    tracing = Tracing("tracing", TracingArgs(keys.key_arn, plan.tracing))
    pulumi.export("xrayGroupNames", tracing.group_names)

if plan.registry:
    registries = Registries("ecr", RegistriesArgs(keys.key_arn, plan.registry))
    pulumi.export("ecrRepositoryUrls", registries.repository_urls)

if plan.flow_logs:
    FlowLogs("flow-logs", FlowLogsArgs(account, plan.flow_logs, log_groups.by_name))

facade = Monitoring(
    "monitoring",
    MonitoringArgs(
        plan.monitoring, plan.monitors, bindings, topics, query_log_groups=log_groups.names, account=account
    ),
)

pulumi.export("environment", plan.environment)
pulumi.export("kmsKeyArn", keys.key_arn)
pulumi.export("kmsKeyAlias", keys.alias_name)
pulumi.export("alertTopicArn", alerting.topic_arn)
# What application stacks read (ops_baseline.AlertTarget.from_stack_reference): one topic takes every
# severity today; subscribers filter by the severity an alarm's name ends with.
pulumi.export("alertTopicArns", {severity: alerting.topic_arn for severity in ALARM_SEVERITIES})
pulumi.export("namePrefix", plan.naming.prefix)
pulumi.export("logRetentionDays", plan.log_retention_days)
pulumi.export("logGroupNames", log_groups.names)
pulumi.export("alarmNames", facade.alarm_names)
pulumi.export("dashboardNames", facade.dashboard_names)
if facade.dashboard_names:
    pulumi.export("dashboardName", facade.dashboard_names[0])
pulumi.export("apiAccessLogFormat", ACCESS_LOG_FORMAT)
