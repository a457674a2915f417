"""The `monitoring` section: log groups, saved queries, monitored functions and APIs, custom metrics,
canaries, billing. Which alarms each entry gets, and how they are named, is the plan's."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from policies.guardrails.vocabulary.aws_limits import LOG_RETENTION_DAYS, NEVER_EXPIRE

from . import field_checks
from .alarms import AlarmSettings, Comparison
from .schema import NO_VALUE, freeze, setting
from .slo import SloSettings

LABEL = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
LABEL_TEXT = "1-63 lowercase letters, digits and '-' (it becomes part of resource and alarm names)"
LOG_GROUP_NAME = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
FUNCTION_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
HTTP_API_ID = re.compile(r"^[a-z0-9]{10}$")
NAMESPACE = re.compile(r"^(?!AWS/)[A-Za-z0-9._/#-][A-Za-z0-9._/#: -]{0,254}$")
ARN = re.compile(r"^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/.+$")
QUEUE_NAME = re.compile(r"^[A-Za-z0-9_-]{1,75}(\.fifo)?$|^[A-Za-z0-9_-]{1,80}$")
ECS_NAME = re.compile(r"^[A-Za-z0-9_-]{1,255}$")
TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")
LOAD_BALANCER = re.compile(
    r"^(arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer/)?app/[A-Za-z0-9-]{1,32}/[0-9a-f]+$"
)
TARGET_GROUP = re.compile(
    r"^(arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:)?targetgroup/[A-Za-z0-9-]{1,32}/[0-9a-f]+$"
)
STATE_MACHINE_ARN = re.compile(r"^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$")
SCHEDULE = re.compile(r"^(rate\((1 minute|[1-9]\d* minutes|1 hour|[1-9]\d* hours)\)|cron\(.+\))$")

SEED_ERROR_QUERY = (
    "fields @timestamp, @message, correlation_id\n"
    "| filter @message like /(?i)error/\n"
    "| sort @timestamp desc\n"
    "| limit 20"
)
"""The seed walkthrough's Logs Insights query, made case-insensitive so `ERROR` lines match too."""

label = field_checks.matches(LABEL, LABEL_TEXT)
retention_days = field_checks.one_of(
    (NEVER_EXPIRE, *LOG_RETENTION_DAYS), " (CloudWatch Logs retention values; 0 = never expire)"
)


@dataclass(frozen=True)
class MetricFilterSettings:
    name: str = setting("Filter label, used in the metric filter and alarm names.", check=label)
    pattern: str = setting(
        'CloudWatch Logs filter pattern, e.g. `ERROR` or `{ $.level = "error" }`.',
        check=lambda v: None if 0 < len(v) <= 1024 else "must be 1-1024 characters",
    )
    metric_name: str = setting("Metric the matches are counted into (in `monitoring.namespace`).")
    value: str = setting("Value published per match (`1` counts lines; `$.field` publishes a field).", default="1")
    default_value: float | None = setting(
        "Value published when nothing matches (0 keeps graphs continuous).", default=0.0
    )
    alarm: AlarmSettings | None = setting(
        "Alarm on the metric (default: Sum > 0 in 5 min, critical). Set `enabled: false` for a metric only.",
        default=None,
    )


@dataclass(frozen=True)
class SubscriptionSettings:
    destination_arn: str = setting(
        "Lambda function, Kinesis stream, Firehose stream or Logs destination receiving the events.",
        check=field_checks.matches(ARN, "an ARN like arn:aws:lambda:eu-west-1:123456789012:function:ship-logs"),
    )
    filter_pattern: str = setting("Events to forward (empty forwards everything).", default="")
    role_arn: str | None = setting(
        "Role CloudWatch Logs assumes to put records (required for Kinesis and Firehose).",
        default=None,
        check=field_checks.matches(ROLE_ARN, "an IAM role ARN"),
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        service = self.destination_arn.split(":")[2]
        if service in ("kinesis", "firehose") and not self.role_arn:
            yield "roleArn", NO_VALUE, f"is required for a {service} destination (CloudWatch Logs assumes it to write)"


@dataclass(frozen=True)
class LogGroupSettings:
    name: str = setting(
        "Log group name, e.g. `/aws/lambda/orders`.",
        check=field_checks.matches(LOG_GROUP_NAME, "1-512 letters, digits and . - _ / #"),
    )
    retention_days: int | None = setting(
        "Retention in days; defaults to `logRetentionDays`.",
        default=None,
        check=lambda v: None if v is None else retention_days(v),
    )
    adopted: bool = setting(
        "The group already exists (e.g. Lambda created it): keep it on `pulumi destroy`. Import it first, see README.",
        default=False,
    )
    metric_filters: tuple[MetricFilterSettings, ...] = setting(
        "Metric filters, each with an optional alarm.", default=()
    )
    subscription: SubscriptionSettings | None = setting("Subscription filter forwarding events.", default=None)

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        yield from duplicates([f.name for f in self.metric_filters], "metricFilters", "name")


def duplicates(values: list[str], key: str, field: str = "name") -> Iterator[tuple[str, Any, str]]:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            yield f"{key}[{i}].{field}", value, "is used twice; each entry needs its own"
        seen.add(value)


@dataclass(frozen=True)
class QuerySettings:
    name: str = setting(
        "Saved query name; `/` makes folders in the console.",
        check=lambda v: None if 0 < len(v) <= 255 else "must be 1-255 characters",
    )
    query: str = setting(
        "Logs Insights query text.", check=lambda v: None if 0 < len(v) <= 10_000 else "must be 1-10000 characters"
    )
    log_groups: tuple[str, ...] = setting(
        "Log groups the query opens with; empty means every log group of the baseline.",
        default=(),
        item_check=field_checks.matches(LOG_GROUP_NAME, "a log group name"),
    )


@dataclass(frozen=True)
class LambdaFunctionSettings:
    function_name: str = setting(
        "Name of an existing Lambda function.",
        check=field_checks.matches(FUNCTION_NAME, "a function name: 1-64 letters, digits, '-' and '_'"),
    )
    timeout_seconds: int | None = setting(
        "The function's timeout; duration alarms default to 80% of it (3 s, Lambda's default, when unknown).",
        default=None,
        check=lambda v: None if v is None or 1 <= v <= 900 else "must be 1-900 seconds (Lambda's range)",
    )
    composite: bool = setting(
        "Notify through one composite alarm (OR of this function's alarms) instead of each alarm.", default=False
    )
    alarms: Mapping[str, AlarmSettings] = setting(
        "Per-alarm overrides keyed by alarm kind (see the alarm table).", default=freeze({})
    )
    slo: SloSettings | None = setting(
        "Objective on the error ratio (Errors/Invocations) with burn-rate alerts, e.g. `{objective: 99.9, window: 30d}`.",
        default=None,
    )


@dataclass(frozen=True)
class HttpApiSettings:
    name: str = setting("Label of the API in alarm and dashboard names.", check=label)
    api_id: str = setting("API Gateway HTTP API id.", check=field_checks.matches(HTTP_API_ID, "a 10-character API id"))
    stage: str = setting("Stage the metrics are reported for.", default="$default")
    access_log_group: bool = setting(
        "Create `/aws/apigateway/<name>` for the stage's access logs (the README shows how to attach it).",
        default=True,
    )
    composite: bool = setting(
        "Notify through one composite alarm (OR of this API's alarms) instead of each alarm.", default=False
    )
    alarms: Mapping[str, AlarmSettings] = setting(
        "Per-alarm overrides keyed by alarm kind (see the alarm table).", default=freeze({})
    )
    slo: SloSettings | None = setting(
        "Objective on the error ratio (5xx/Count) with burn-rate alerts, e.g. `{objective: 99.9, window: 30d}`.",
        default=None,
    )


ALARM_OVERRIDES = "Per-alarm overrides keyed by alarm kind (see the alarm table)."
COMPOSITE = "Notify through one composite alarm (OR of this {what}'s alarms) instead of each alarm."


@dataclass(frozen=True)
class QueueSettings:
    queue_name: str = setting(
        "Name of an existing SQS queue; it names the queue's alarms.",
        check=field_checks.matches(QUEUE_NAME, "a queue name: 1-80 letters, digits, '-' and '_' (FIFO: ending .fifo)"),
    )
    dead_letter_queue_name: str | None = setting(
        "Its dead-letter queue: any message there raises `deadLetterMessages`.",
        default=None,
        check=lambda v: None if v is None or QUEUE_NAME.match(v) else "must be a queue name",
    )
    composite: bool = setting(COMPOSITE.format(what="queue"), default=False)
    alarms: Mapping[str, AlarmSettings] = setting(ALARM_OVERRIDES, default=freeze({}))


@dataclass(frozen=True)
class EcsServiceSettings:
    name: str = setting("Label of the service in alarm and dashboard names.", check=label)
    cluster_name: str = setting(
        "Cluster the service runs in.", check=field_checks.matches(ECS_NAME, "1-255 letters, digits, '-' and '_'")
    )
    service_name: str = setting(
        "ECS service name (Fargate or EC2).",
        check=field_checks.matches(ECS_NAME, "1-255 letters, digits, '-' and '_'"),
    )
    container_insights: bool = setting(
        "The cluster has Container Insights on: `runningTasks` compares its RunningTaskCount with "
        "DesiredTaskCount, which only Container Insights publishes. Set false to go without that alarm.",
        default=True,
    )
    composite: bool = setting(COMPOSITE.format(what="service"), default=False)
    alarms: Mapping[str, AlarmSettings] = setting(ALARM_OVERRIDES, default=freeze({}))


@dataclass(frozen=True)
class TargetGroupSettings:
    name: str = setting("Label of the target group in alarm and dashboard names.", check=label)
    load_balancer: str = setting(
        "The Application Load Balancer: its ARN or ARN suffix `app/<name>/<id>`.",
        check=field_checks.matches(LOAD_BALANCER, "an ALB ARN or its suffix app/<name>/<id>"),
    )
    target_group: str = setting(
        "The target group: its ARN or ARN suffix `targetgroup/<name>/<id>`.",
        check=field_checks.matches(TARGET_GROUP, "a target group ARN or its suffix targetgroup/<name>/<id>"),
    )
    composite: bool = setting(COMPOSITE.format(what="target group"), default=False)
    alarms: Mapping[str, AlarmSettings] = setting(ALARM_OVERRIDES, default=freeze({}))


@dataclass(frozen=True)
class TableSettings:
    table_name: str = setting(
        "Name of an existing DynamoDB table; it names the table's alarms.",
        check=field_checks.matches(TABLE_NAME, "a table name: 3-255 letters, digits, '_', '-' and '.'"),
    )
    composite: bool = setting(COMPOSITE.format(what="table"), default=False)
    alarms: Mapping[str, AlarmSettings] = setting(ALARM_OVERRIDES, default=freeze({}))


@dataclass(frozen=True)
class StateMachineSettings:
    name: str = setting("Label of the state machine in alarm and dashboard names.", check=label)
    state_machine_arn: str = setting(
        "ARN of the state machine.",
        check=field_checks.matches(
            STATE_MACHINE_ARN, "an ARN like arn:aws:states:eu-west-1:123456789012:stateMachine:orders"
        ),
    )
    composite: bool = setting(COMPOSITE.format(what="state machine"), default=False)
    alarms: Mapping[str, AlarmSettings] = setting(ALARM_OVERRIDES, default=freeze({}))


@dataclass(frozen=True)
class CustomMetricSettings:
    name: str = setting("Label of the monitor in alarm names.", check=label)
    namespace: str = setting(
        "Namespace the application publishes to, e.g. `FastAPI/Products`.",
        check=field_checks.matches(NAMESPACE, "a custom namespace (1-255 characters, not starting with AWS/ or ':')"),
    )
    metric_name: str = setting(
        "Metric name, e.g. `ProductsCreated`.",
        check=lambda v: None if 0 < len(v) <= 255 else "must be 1-255 characters",
    )
    dimensions: Mapping[str, str] = setting(
        "Dimensions exactly as published.",
        default=freeze({}),
        check=lambda v: None if len(v) <= 30 else "must have at most 30 dimensions",
    )
    statistic: str = setting("Sum, Average, Minimum, Maximum, SampleCount or a percentile like p99.", default="Sum")
    comparison: Comparison = setting(
        "`greaterThan`, `greaterThanOrEqual`, `lessThan` or `lessThanOrEqual` the threshold.", default="greaterThan"
    )
    alarm: AlarmSettings = setting("Threshold (required) and window of the alarm.", default=AlarmSettings())


@dataclass(frozen=True)
class CanarySettings:
    name: str = setting("Canary label; the canary is named `<prefix>-<name>`.", check=label)
    urls: tuple[str, ...] = setting(
        "URLs fetched on each run; any status >= 400, timeout or connection error fails the run.",
        item_check=lambda v: None if v.startswith(("https://", "http://")) and len(v) > 8 else "must be an http(s) URL",
        check=lambda v: None if 0 < len(v) <= 20 else "must list 1-20 URLs",
    )
    schedule: str = setting(
        "How often it runs: `rate(5 minutes)`, `rate(1 hour)` or a `cron(...)` expression.",
        default="rate(5 minutes)",
        check=field_checks.matches(SCHEDULE, "rate(N minutes), rate(N hours) or cron(...)"),
    )
    runtime_version: str = setting(
        "Synthetics runtime (Python).",
        default="syn-python-selenium-8.0",
        check=lambda v: None if v.startswith("syn-python-") else "must be a Python runtime (syn-python-...)",
    )
    alarm: AlarmSettings | None = setting("Overrides of the SuccessPercent alarm.", default=None)


@dataclass(frozen=True)
class BillingSettings:
    threshold_usd: float = setting(
        "Alarm when month-to-date estimated charges exceed this many US dollars.",
        check=lambda v: None if v > 0 else "must be above 0",
    )


@dataclass(frozen=True)
class MonitoringSettings:
    namespace: str | None = setting(
        "Namespace of the baseline's own metrics (metric filters); default `OpsBaseline/<environment>`.",
        default=None,
        check=lambda v: None if v is None or NAMESPACE.match(v) else "must be a custom namespace, not AWS/...",
    )
    dashboard: bool = setting("Create the environment's CloudWatch dashboard.", default=True)
    log_groups: tuple[LogGroupSettings, ...] = setting(
        "Log groups managed with retention and the customer key.", default=()
    )
    queries: tuple[QuerySettings, ...] = setting(
        "Logs Insights saved queries (default: the seed's error query with `correlation_id`).",
        default=(QuerySettings(name="errors-with-correlation-id", query=SEED_ERROR_QUERY),),
    )
    lambda_functions: tuple[LambdaFunctionSettings, ...] = setting("Lambda functions to monitor.", default=())
    http_apis: tuple[HttpApiSettings, ...] = setting("API Gateway HTTP APIs to monitor.", default=())
    queues: tuple[QueueSettings, ...] = setting("SQS queues to monitor, each with its dead-letter queue.", default=())
    ecs_services: tuple[EcsServiceSettings, ...] = setting("ECS services (Fargate or EC2) to monitor.", default=())
    target_groups: tuple[TargetGroupSettings, ...] = setting(
        "Application Load Balancer target groups to monitor.", default=()
    )
    dynamodb_tables: tuple[TableSettings, ...] = setting("DynamoDB tables to monitor.", default=())
    state_machines: tuple[StateMachineSettings, ...] = setting("Step Functions state machines to monitor.", default=())
    custom_metrics: tuple[CustomMetricSettings, ...] = setting("Alarms on application metrics.", default=())
    canaries: tuple[CanarySettings, ...] = setting("Synthetics heartbeat canaries.", default=())
    billing: BillingSettings | None = setting(
        "Billing alarm (created in us-east-1, where AWS publishes billing metrics).", default=None
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        yield from duplicates([g.name for g in self.log_groups], "logGroups", "name")
        yield from duplicates([q.name for q in self.queries], "queries", "name")
        yield from duplicates([c.name for c in self.canaries], "canaries", "name")
