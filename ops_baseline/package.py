"""The components for every Pulumi language: `ServiceMonitoring` as a component package, served by
the Pulumi SDK's component provider host (provider/__main__.py, `pulumi package add`).

The host infers the schema from these typed args. Other languages' resources reach a component
provider as references the pinned SDK cannot hand to Python code as resources, so each watched
thing is given by its names (Inputs, so another resource's Output works) and a plain `label`
that names its alarms, known before anything is deployed.
"""

# No `from __future__ import annotations`: the host reads these annotations as types, not strings.
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict

import pulumi

from plan.services import DEAD_LETTER_SUFFIX

from .monitoring import AlertTarget, Named, Watch, create_monitoring
from .monitoring import ServiceMonitoring as PythonServiceMonitoring

try:
    from typing import NotRequired
except ImportError:  # Python 3.10
    from typing import NotRequired


class AlarmOverride(TypedDict, total=False):
    """Overrides of one alarm kind, as `alarms.<kind>` in the baseline's stack config."""

    enabled: bool
    """Create this alarm (false drops a default one)."""
    threshold: float
    """Threshold in the kind's unit (count, ms, s, %)."""
    percent_of_timeout: float
    """Duration alarms only: threshold as a percentage of the function's timeout."""
    severity: str
    """`warning` or `critical`; the last part of the alarm name."""
    period: int
    """Seconds per datapoint: 10, 20, 30 or a multiple of 60."""
    evaluation_periods: int
    """Datapoints looked at (N of 'M out of N')."""
    datapoints_to_alarm: int
    """Breaching datapoints that raise the alarm (M)."""
    treat_missing_data: str
    """`breaching`, `notBreaching`, `ignore` or `missing`."""


class Function(TypedDict):
    label: str
    """Names the function's alarms: `ops-<environment>-<label>-errors-critical`."""
    function_name: pulumi.Input[str]
    """The Lambda function's name."""
    timeout_seconds: NotRequired[int]
    """The function's timeout; duration alarms sit at 80% of it (3 s when not given)."""
    composite: NotRequired[bool]
    """Notify through one composite alarm instead of each alarm."""
    alarms: NotRequired[dict[str, AlarmOverride]]
    """Overrides by alarm kind (errors, errorRate, throttles, durationP99, ...)."""


class HttpApi(TypedDict):
    label: str
    """Names the API's alarms."""
    api_id: pulumi.Input[str]
    """The API Gateway HTTP API's id."""
    stage: NotRequired[str]
    """Stage the metrics are reported for (default `$default`)."""
    composite: NotRequired[bool]
    """Notify through one composite alarm instead of each alarm."""
    alarms: NotRequired[dict[str, AlarmOverride]]
    """Overrides by alarm kind (serverErrors, serverErrorRate, latencyP99, ...)."""


class Queue(TypedDict):
    label: str
    """Names the queue's alarms."""
    queue_name: pulumi.Input[str]
    """The SQS queue's name."""
    dead_letter_label: NotRequired[str]
    """Names the dead-letter queue's alarm (default `<label>-dlq`)."""
    dead_letter_queue_name: NotRequired[pulumi.Input[str]]
    """Its dead-letter queue's name: any message there raises deadLetterMessages."""
    composite: NotRequired[bool]
    """Notify through one composite alarm instead of each alarm."""
    alarms: NotRequired[dict[str, AlarmOverride]]
    """Overrides by alarm kind (oldestMessageAge, visibleMessages, deadLetterMessages)."""


class EcsService(TypedDict):
    label: str
    """Names the service's alarms."""
    cluster_name: pulumi.Input[str]
    """The cluster's name or ARN."""
    service_name: pulumi.Input[str]
    """The ECS service's name."""
    container_insights: NotRequired[bool]
    """The cluster has Container Insights on (default true): the running-tasks alarm needs it."""
    composite: NotRequired[bool]
    """Notify through one composite alarm instead of each alarm."""
    alarms: NotRequired[dict[str, AlarmOverride]]
    """Overrides by alarm kind (cpuUtilization, memoryUtilization, runningTasks)."""


class TargetGroup(TypedDict):
    label: str
    """Names the target group's alarms."""
    load_balancer: pulumi.Input[str]
    """The Application Load Balancer's ARN or ARN suffix."""
    target_group: pulumi.Input[str]
    """The target group's ARN or ARN suffix."""
    composite: NotRequired[bool]
    """Notify through one composite alarm instead of each alarm."""
    alarms: NotRequired[dict[str, AlarmOverride]]
    """Overrides by alarm kind (targetErrors, targetErrorRate, unhealthyHosts, healthyHosts, responseTimeP99)."""


class Table(TypedDict):
    label: str
    """Names the table's alarms."""
    table_name: pulumi.Input[str]
    """The DynamoDB table's name."""
    composite: NotRequired[bool]
    """Notify through one composite alarm instead of each alarm."""
    alarms: NotRequired[dict[str, AlarmOverride]]
    """Overrides by alarm kind (readThrottles, writeThrottles, systemErrors)."""


class StateMachine(TypedDict):
    label: str
    """Names the state machine's alarms."""
    state_machine_arn: pulumi.Input[str]
    """The Step Functions state machine's ARN."""
    composite: NotRequired[bool]
    """Notify through one composite alarm instead of each alarm."""
    alarms: NotRequired[dict[str, AlarmOverride]]
    """Overrides by alarm kind (executionsFailed, executionsTimedOut, executionsThrottled)."""


class ServiceMonitoringArgs(TypedDict):
    environment: str
    """The baseline's environment (its stack's `environment` output): it names every alarm."""
    region: str
    """The region of the watched resources and the alerting topic."""
    alert_topic_arn: pulumi.Input[str]
    """The baseline's alerting topic (its stack's `alertTopicArn` output)."""
    dashboard: NotRequired[bool]
    """Create the dashboard `ops-<environment>-<name>` (default true)."""
    tags: NotRequired[dict[str, str]]
    """Tags on every alarm and dashboard."""
    functions: NotRequired[list[Function]]
    """Lambda functions."""
    http_apis: NotRequired[list[HttpApi]]
    """API Gateway HTTP APIs."""
    queues: NotRequired[list[Queue]]
    """SQS queues, each with its dead-letter queue."""
    ecs_services: NotRequired[list[EcsService]]
    """ECS services (Fargate or EC2)."""
    target_groups: NotRequired[list[TargetGroup]]
    """Application Load Balancer target groups."""
    tables: NotRequired[list[Table]]
    """DynamoDB tables."""
    state_machines: NotRequired[list[StateMachine]]
    """Step Functions state machines."""


WatchedList = Literal["functions", "http_apis", "queues", "ecs_services", "target_groups", "tables", "state_machines"]
NAMES: dict[WatchedList, str] = {
    "functions": "function_name",
    "http_apis": "api_id",
    "queues": "queue_name",
    "ecs_services": "service_name",
    "target_groups": "target_group",
    "tables": "table_name",
    "state_machines": "state_machine_arn",
}
"""Per list, the name a watched thing is given by."""
LINKED = {"dead_letter_queue_name": "dead_letter_queue", "load_balancer": "load_balancer", "cluster_name": "cluster"}
"""Other names, and the Python API's option that takes each."""


class ServiceMonitoring(pulumi.ComponentResource):
    """The ops-baseline's alarms (same kinds, defaults and names as the baseline's stack config) and a
    dashboard `ops-<environment>-<name>` for an application's functions, APIs, queues, ECS services,
    target groups, tables and state machines; every alarm notifies the baseline's alerting topic."""

    alarm_names: pulumi.Output[list[str]]
    """Every alarm and composite alarm name."""
    dashboard_names: pulumi.Output[list[str]]
    """The dashboard's pages."""

    def __init__(self, name: str, args: ServiceMonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        alerts = AlertTarget(args["environment"], args["region"], args["alert_topic_arn"])
        items: dict[str, list[Watch]] = {
            argument: [watch(argument, entry) for entry in args.get(argument) or ()] for argument in NAMES
        }
        monitors = PythonServiceMonitoring.plan(name, alerts, items)
        super().__init__(
            PythonServiceMonitoring.TYPE, name, None, PythonServiceMonitoring.tagged(opts, args.get("tags"))
        )
        facade = create_monitoring(self, name, alerts, monitors, args.get("dashboard", True))
        self.alarm_names = pulumi.Output.from_input(facade.alarm_names)
        self.dashboard_names = pulumi.Output.from_input(facade.dashboard_names)
        self.register_outputs({"alarmNames": self.alarm_names, "dashboardNames": self.dashboard_names})


def watch(argument: WatchedList, entry: Mapping[str, Any]) -> Watch:
    """One entry of the schema's shape as the Python API's `Watch`."""
    options = {key: value for key, value in entry.items() if key not in ("label", NAMES[argument], "dead_letter_label")}
    for key, option in LINKED.items():
        if key in options:
            label = "stand-in"  # a label the entry's checks accept; these names label nothing
            if key == "dead_letter_queue_name":
                label = entry.get("dead_letter_label") or entry["label"] + DEAD_LETTER_SUFFIX
            options[option] = Named(label, options.pop(key))
    return Watch(Named(entry["label"], entry[NAMES[argument]]), **options)


PACKAGE = "ops-baseline"
"""The package's name: its components' tokens are `ops-baseline:index:<Component>`."""


def version() -> str:
    """The project's one version (policies/PulumiPolicy.yaml), as the installed wheel carries it."""
    from importlib.metadata import version as installed

    return installed("ops-baseline")
