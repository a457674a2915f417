"""ops-baseline: the observability and governance layer of one AWS environment."""

from dataclasses import replace

import pulumi

from components import (
    Alerting,
    AlertingArgs,
    AuditTrail,
    AuditTrailArgs,
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
    SlackNotifier,
    SlackNotifierArgs,
    SlackRouteArgs,
    Tracing,
    TracingArgs,
    access_log_group_name,
    current_account,
    tag_every_resource,
)
from components.access_logs import ACCESS_LOG_FORMAT
from components.monitoring import (
    BILLING_REGION,
    Monitoring,
    MonitoringArgs,
    billing_monitor,
    canary_monitor,
    custom_metric_monitor,
    http_api_monitor,
    lambda_monitor,
    notifier_monitors,
)
from components.monitoring.log_groups import LogGroups, LogGroupsArgs
from settings import SettingsError, load_settings
from settings.alarms import HTTP_API, alarm_policies
from settings.model import NOTIFIER_LABEL, SAMPLE_API_LABEL, SAMPLE_FUNCTION_LABEL, flow_log_group_name
from settings.monitoring import LambdaMonitor

try:
    settings = load_settings()
except SettingsError as error:
    # RunError is shown by the engine as a plain message, without a Python traceback.
    raise pulumi.RunError(str(error)) from None

tag_every_resource(settings.default_tags)
account = current_account(settings.region)
prefix = settings.resource_prefix
monitoring = settings.monitoring

keys = EncryptionKeys(
    "keys",
    EncryptionKeysArgs(
        account=account,
        alias=f"alias/{prefix}",
        services=("logs", "sns", "cloudwatch", "events", "cloudtrail", "config"),
    ),
)
alerting_args = AlertingArgs(
    account=account,
    kms_key_arn=keys.key_arn,
    topic_name=f"{prefix}-alerts",
    emails=settings.alerting.emails,
    sms_numbers=settings.alerting.sms_numbers,
    https_endpoints=settings.alerting.https_endpoints,
)
alerting = Alerting("alerting", alerting_args)

log_groups = LogGroups(
    "logs",
    LogGroupsArgs(
        prefix=prefix,
        kms_key_arn=keys.key_arn,
        namespace=settings.metrics_namespace,
        retention_days=settings.log_retention_days,
        log_groups=settings.managed_log_groups,
    ),
)

monitors = [
    *log_groups.monitors,
    *(lambda_monitor(fn.function_name, fn.policies(), composite=fn.composite) for fn in monitoring.lambda_functions),
    *(
        http_api_monitor(api.name, api.api_id, api.policies(), stage=api.stage, composite=api.composite)
        for api in monitoring.http_apis
    ),
    *(custom_metric_monitor(custom) for custom in monitoring.custom_metrics),
]

slack = settings.alerting.slack
if slack:
    notifier = SlackNotifier(
        "slack",
        SlackNotifierArgs(
            account=account,
            function_name=settings.notifier_function_name,
            kms_key_arn=keys.key_arn,
            topic_arn=alerting.topic_arn,
            log_group=log_groups.by_name[f"/aws/lambda/{settings.notifier_function_name}"],
            webhook_url=pulumi.Output.secret(slack.webhook_url),
            channel=slack.channel,
            username=slack.username,
            icon_emoji=slack.icon_emoji,
            timeout_seconds=slack.timeout_seconds,
            retry_attempts=slack.retry_attempts,
            max_event_age_seconds=slack.max_event_age_seconds,
            routes=tuple(
                SlackRouteArgs(
                    name=route.name,
                    channel=route.channel,
                    webhook_url=pulumi.Output.secret(route.webhook_url),
                    severities=route.severities,
                    sources=route.sources,
                )
                for route in slack.routes
            ),
        ),
    )
    # The notifier's own alarms must not depend on the notifier: a topic for email and SMS only.
    notifier_alerting = Alerting(
        "notifier-alerting", replace(alerting_args, topic_name=f"{prefix}-notifier-alerts", https_endpoints=())
    )
    monitors += notifier_monitors(
        NOTIFIER_LABEL, notifier.function_name, notifier.queue_name, slack.timeout_seconds, notifier_alerting.topic_arn
    )
    pulumi.export("slackNotifierFunctionName", notifier.function_name)

if settings.sample_workload:
    sample = SampleWorkload(
        "sample",
        SampleWorkloadArgs(
            account=account,
            prefix=prefix,
            function_name=settings.sample_function_name,
            api_label=SAMPLE_API_LABEL,
            kms_key_arn=keys.key_arn,
            function_log_group=log_groups.by_name[settings.sample_log_group_name],
            access_log_group=log_groups.by_name[access_log_group_name(SAMPLE_API_LABEL)],
        ),
    )
    sample_policies = LambdaMonitor(settings.sample_function_name, timeout_seconds=sample.timeout_seconds).policies()
    monitors += [
        lambda_monitor(settings.sample_function_name, sample_policies, label=SAMPLE_FUNCTION_LABEL),
        http_api_monitor(SAMPLE_API_LABEL, sample.api_id, alarm_policies(HTTP_API, {})),
    ]
    pulumi.export("sampleApiEndpoint", sample.api_endpoint)

if monitoring.canaries:
    canaries = Canaries(
        "canaries", CanariesArgs(account=account, prefix=prefix, kms_key_arn=keys.key_arn, canaries=monitoring.canaries)
    )
    monitors += [canary_monitor(c, canaries.canary_names[c.name]) for c in monitoring.canaries]

if monitoring.billing:
    billing_topic_arn = alerting.topic_arn
    if settings.region != BILLING_REGION:
        # Alarms notify topics of their own region only, and topics use keys of their region.
        billing_account = account.apply(lambda a: replace(a, region=BILLING_REGION))
        billing_keys = EncryptionKeys(
            "billing-keys",
            EncryptionKeysArgs(
                account=billing_account,
                alias=f"alias/{prefix}-billing",
                services=("sns", "cloudwatch"),
                region=BILLING_REGION,
            ),
        )
        billing_topic_arn = Alerting(
            "billing-alerting",
            # The same subscribers as the stack's topic.
            replace(
                alerting_args,
                account=billing_account,
                kms_key_arn=billing_keys.key_arn,
                topic_name=f"{prefix}-billing-alerts",
                region=BILLING_REGION,
            ),
        ).topic_arn
    monitors.append(billing_monitor(monitoring.billing, billing_topic_arn))

trail_settings = settings.cloud_trail
if trail_settings.enabled:
    trail = AuditTrail(
        "audit",
        AuditTrailArgs(
            account=account,
            trail_name=settings.trail_name,
            kms_key_arn=keys.key_arn,
            log_group=log_groups.by_name[settings.trail_log_group_name],
            settings=trail_settings,
            namespace=settings.metrics_namespace,
            dashboard_name=f"{prefix}-cis" if trail_settings.cis_dashboard else None,
        ),
    )
    pulumi.export("trailArn", trail.trail_arn)
    pulumi.export("trailBucketName", trail.bucket_name)
if trail_settings.event_rules:
    event_rules = EventRules(
        "events", EventRulesArgs(prefix=prefix, topic_arn=alerting.topic_arn, rules=trail_settings.event_rules)
    )
    pulumi.export("eventRuleNames", event_rules.rule_names)

if settings.aws_config.enabled:
    compliance = Compliance(
        "compliance",
        ComplianceArgs(
            account=account,
            prefix=prefix,
            kms_key_arn=keys.key_arn,
            topic_arn=alerting.topic_arn,
            settings=settings.aws_config,
            parameter_overrides=settings.guardrail_parameters,
        ),
    )
    pulumi.export("configRecorderName", compliance.recorder_name)
    pulumi.export("configRuleNames", compliance.rule_names)
    if settings.aws_config.conformance_pack:
        pulumi.export("configConformancePackName", compliance.pack_name)

if settings.xray.enabled:
    traced = [fn.function_name for fn in monitoring.lambda_functions]
    if settings.sample_workload:
        traced.append(settings.sample_function_name)
    tracing = Tracing(
        "tracing", TracingArgs(kms_key_arn=keys.key_arn, settings=settings.xray, function_names=tuple(traced))
    )
    pulumi.export("xrayGroupNames", tracing.group_names)

if settings.ecr.repositories or settings.ecr.registry_scanning != "off":
    registries = Registries("ecr", RegistriesArgs(kms_key_arn=keys.key_arn, settings=settings.ecr))
    pulumi.export("ecrRepositoryUrls", registries.repository_urls)

if settings.flow_logs.vpc_ids:
    FlowLogs(
        "flow-logs",
        FlowLogsArgs(
            account=account,
            prefix=prefix,
            log_groups={vpc: log_groups.by_name[flow_log_group_name(vpc)] for vpc in settings.flow_logs.vpc_ids},
        ),
    )

facade = Monitoring(
    "monitoring",
    MonitoringArgs(
        prefix=prefix,
        environment=settings.environment,
        region=settings.region,
        topic_arn=alerting.topic_arn,
        queries=monitoring.queries,
        query_log_groups=log_groups.names,
        monitors=tuple(monitors),
        dashboard=monitoring.dashboard,
    ),
)

pulumi.export("environment", settings.environment)
pulumi.export("kmsKeyArn", keys.key_arn)
pulumi.export("kmsKeyAlias", keys.alias_name)
pulumi.export("alertTopicArn", alerting.topic_arn)
pulumi.export("logGroupNames", log_groups.names)
pulumi.export("alarmNames", facade.alarm_names)
pulumi.export("dashboardNames", facade.dashboard_names)
pulumi.export("apiAccessLogFormat", ACCESS_LOG_FORMAT)
