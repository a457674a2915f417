"""Monitoring for application programs (ops_baseline) and the monitor kinds both paths share: an
application's resources get exactly the plan nodes, alarms and dashboard rows the baseline's stack
config gives the same services, and bad entries are reported at once, before anything is registered."""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest

from ops_baseline import Watch, service_monitors
from opsctl.cli import main
from opsctl.cost.counting import alarm_metrics
from plan import plan_stack
from plan.naming import Naming
from settings import SettingsError
from tests import aws_model
from tests.conftest import ROOT, SECRET_KEYS, VALID_CONFIG, run_stack_program

PROGRAM = ROOT / "tests" / "programs" / "monitored-service"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
EVERY_KIND = {
    "lambdaFunctions": [{"functionName": "orders", "timeoutSeconds": 30, "alarms": {"errorRate": {}}}],
    "httpApis": [{"name": "orders-api", "apiId": "a1b2c3d4e5", "accessLogGroup": False}],
    "queues": [{"queueName": "orders-queue", "deadLetterQueueName": "orders-dlq"}],
    "ecsServices": [{"name": "frontend", "clusterName": "main", "serviceName": "web-svc", "composite": True}],
    "targetGroups": [
        {
            "name": "web",
            "loadBalancer": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
            "targetGroup": "targetgroup/web/943f017f100becff",
            "alarms": {"targetErrorRate": {}},
        }
    ],
    "dynamodbTables": [{"tableName": "orders"}],
    "stateMachines": [
        {"name": "checkout", "stateMachineArn": "arn:aws:states:eu-west-1:123456789012:stateMachine:checkout"}
    ],
}
"""Every service kind as stack config, and below the same services as an application passes them."""
SAME_AS_ARGUMENTS = {
    "functions": [Watch("orders", timeout_seconds=30, alarms={"errorRate": {}})],
    "http_apis": [Watch("a1b2c3d4e5", name="orders-api")],
    "queues": [Watch("orders-queue", dead_letter_queue="orders-dlq")],
    "ecs_services": [Watch("web-svc", name="frontend", cluster_name="main", composite=True)],
    "target_groups": [
        Watch(
            "targetgroup/web/943f017f100becff",
            load_balancer="arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188",
            alarms={"targetErrorRate": {}},
        )
    ],
    "tables": ["orders"],
    "state_machines": ["arn:aws:states:eu-west-1:123456789012:stateMachine:checkout"],
}


def baseline_config(monitoring, environment="dev", region="eu-west-1"):
    config = copy.deepcopy(VALID_CONFIG)
    del config["ops-baseline:alerting"]["slack"]
    config.update(
        {
            "aws:region": region,
            "ops-baseline:environment": environment,
            "ops-baseline:cloudTrail": {"enabled": False, "eventRules": []},
            "ops-baseline:awsConfig": {"enabled": False},
            "ops-baseline:monitoring": {"queries": [], **monitoring},
        }
    )
    return config


def unsourced(monitors):
    """Monitors without the settings keys their alarms name in errors (`monitoring.queues[0]` vs `queues[0]`)."""
    return [
        replace(
            m,
            alarms=tuple(replace(a, source="") for a in m.alarms),
            composite=m.composite and replace(m.composite, source=""),
        )
        for m in monitors
    ]


def test_the_api_builds_the_plan_nodes_the_stack_config_does():
    configured = plan_stack(baseline_config(EVERY_KIND), SECRET_KEYS).monitors
    from_api = service_monitors(Naming("dev"), **SAME_AS_ARGUMENTS)
    assert unsourced(from_api) == unsourced(configured)
    assert [m.label for m in from_api] == [
        "orders", "orders-api", "orders-queue", "orders-dlq", "frontend", "frontend-tasks", "web", "orders", "checkout",
    ]  # fmt: skip


@pytest.fixture(scope="module")
def every_kind():
    return run_stack_program(baseline_config(EVERY_KIND))


def alarms(plan):
    return {r.inputs["name"]: r.inputs for r in plan.of_type(ALARM)}


def test_every_new_kind_watches_its_namespace_and_dimensions_and_notifies_alarm_and_ok(every_kind):
    found = alarms(every_kind)
    expected = {
        "ops-dev-orders-queue-oldest-message-age-warning": ("AWS/SQS", {"QueueName": "orders-queue"}),
        "ops-dev-orders-dlq-messages-critical": ("AWS/SQS", {"QueueName": "orders-dlq"}),
        "ops-dev-frontend-cpu-warning": ("AWS/ECS", {"ClusterName": "main", "ServiceName": "web-svc"}),
        "ops-dev-frontend-memory-warning": ("AWS/ECS", {"ClusterName": "main", "ServiceName": "web-svc"}),
        "ops-dev-web-target-5xx-critical": (
            "AWS/ApplicationELB",
            {"LoadBalancer": "app/web/50dc6c495c0c9188", "TargetGroup": "targetgroup/web/943f017f100becff"},
        ),
        "ops-dev-orders-read-throttles-warning": ("AWS/DynamoDB", {"TableName": "orders"}),
        "ops-dev-checkout-executions-failed-critical": (
            "AWS/States",
            {"StateMachineArn": "arn:aws:states:eu-west-1:123456789012:stateMachine:checkout"},
        ),
    }
    for name, (namespace, dimensions) in expected.items():
        assert (found[name]["namespace"], found[name]["dimensions"]) == (namespace, dimensions), name
    topic = "arn:aws:sns:eu-west-1:123456789012:ops-dev-alerts"
    for name, inputs in found.items():
        if name.startswith("ops-dev-frontend-"):
            assert inputs["alarmActions"] == [], name  # the ECS service's composites speak for it
        else:
            assert inputs["alarmActions"] == inputs["okActions"] == [topic], name
    composites = {r.inputs["alarmName"] for r in every_kind.of_type("aws:cloudwatch/compositeAlarm:CompositeAlarm")}
    assert composites == {"ops-dev-frontend-composite-warning", "ops-dev-frontend-tasks-composite-critical"}
    assert found["ops-dev-orders-dlq-messages-critical"]["threshold"] == 0
    assert (
        found["ops-dev-frontend-cpu-warning"]["period"] == 60
        and found["ops-dev-frontend-cpu-warning"]["evaluationPeriods"] == 5
    )
    assert found["ops-dev-web-response-time-p99-warning"]["extendedStatistic"] == "p99"
    assert found["ops-dev-web-no-healthy-hosts-critical"]["comparisonOperator"] == "LessThanThreshold"


def test_running_tasks_compare_container_insights_running_with_desired(every_kind):
    alarm = alarms(every_kind)["ops-dev-frontend-tasks-running-below-desired-critical"]
    queries = {q["id"]: q for q in alarm["metricQueries"]}
    assert queries["shortfall"]["expression"] == "wanted - actual" and queries["shortfall"]["returnData"]
    assert {(q["metric"]["namespace"], q["metric"]["metricName"]) for q in queries.values() if "metric" in q} == {
        ("ECS/ContainerInsights", "RunningTaskCount"),
        ("ECS/ContainerInsights", "DesiredTaskCount"),
    }
    assert alarm["treatMissingData"] == "missing" and alarm["comparisonOperator"] == "GreaterThanThreshold"


def test_dynamodb_system_errors_sum_every_operation_with_a_metrics_insights_query(every_kind):
    (query,) = alarms(every_kind)["ops-dev-orders-system-errors-critical"]["metricQueries"]
    assert query["expression"] == (
        "SELECT SUM(SystemErrors) FROM SCHEMA(\"AWS/DynamoDB\", Operation, TableName) WHERE TableName = 'orders'"
    )
    assert query["period"] == 300 and query["returnData"]


def test_every_new_alarm_and_the_dashboard_are_valid_cloudwatch_requests(every_kind):
    problems = []
    for alarm in every_kind.of_type(ALARM):
        problems += aws_model.problems("cloudwatch", "PutMetricAlarm", aws_model.put_metric_alarm(alarm.inputs))
    for dashboard in every_kind.of_type("aws:cloudwatch/dashboard:Dashboard"):
        params = {
            "DashboardName": dashboard.inputs["dashboardName"],
            "DashboardBody": dashboard.inputs["dashboardBody"],
        }
        problems += aws_model.problems("cloudwatch", "PutDashboard", params)
    assert problems == []


@pytest.mark.parametrize(
    "arguments, expected",
    [
        ({"functions": [Watch("orders", alarms={"erors": {}})]}, "functions[0].alarms.erors: unknown alarm"),
        ({"queues": [Watch("q", alarms={"deadLetterMessages": {}})]}, "set deadLetterQueueName too"),
        ({"target_groups": ["targetgroup/web/943f017f100becff"]}, "target_groups[0].loadBalancer: is required"),
        ({"ecs_services": [Watch("web", cluster_name="main", container_insights=False, alarms={"runningTasks": {}})]},
         "needs Container Insights"),
        ({"tables": ["orders", "orders"]}, "alarm name is already used by tables[0]"),
        ({"lambdas": ["orders"]}, "lambdas: is not a kind of service; allowed: functions, http_apis"),
    ],
    ids=["unknown-kind", "dlq-alarm-without-dlq", "target-group-without-alb", "tasks-without-insights", "twice", "argument"],
)  # fmt: skip
def test_bad_entries_are_named_with_their_argument(arguments, expected):
    with pytest.raises(SettingsError, match=expected.replace("[", r"\[").replace("]", r"\]").replace(".", r"\.")):
        service_monitors(Naming("prod"), **arguments)


def test_every_problem_is_reported_at_once():
    with pytest.raises(SettingsError) as raised:
        service_monitors(
            Naming("prod"), functions=[Watch("orders", timeout_seconds=0)], tables=[Watch("orders", alarms={"x": {}})]
        )
    assert [i.key for i in raised.value.issues] == ["functions[0].timeoutSeconds", "tables[0].alarms.x"]


def scan(capsys, *args):
    code = main(["scan", "--project-dir", str(PROGRAM), "--format", "json", "--fail-on", "never", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def test_an_application_program_gets_the_alarms_and_dashboard_rows_the_baseline_gives_the_same_services(capsys):
    """The fixture program owns a function, an HTTP API and a queue with its dead-letter queue; the
    baseline's config names the same services. Alarms match input for input, down to the topic, and
    the application's dashboard has the baseline's rows for them."""
    report = scan(capsys, "--mode", "up")
    app = {r["inputs"]["name"]: r["inputs"] for r in report["resources"] if r["type"] == ALARM}
    api_id = app["ops-prod-orders-api-5xx-critical"]["dimensions"]["ApiId"]
    monitoring = copy.deepcopy({k: EVERY_KIND[k] for k in ("lambdaFunctions", "httpApis", "queues")})
    monitoring["httpApis"][0]["apiId"] = api_id
    baseline = run_stack_program(baseline_config(monitoring, environment="prod", region="us-east-1"))
    configured = {name: inputs for name, inputs in alarms(baseline).items() if name in app}
    untagged = {name: {k: v for k, v in inputs.items() if k not in ("tags", "tagsAll")} for name, inputs in app.items()}
    assert untagged == {
        name: {k: v for k, v in i.items() if k not in ("tags", "tagsAll")} for name, i in configured.items()
    }
    assert sorted(app) == sorted(
        f"ops-prod-{name}"
        for name in (
            "orders-errors-critical", "orders-error-rate-critical", "orders-throttles-warning",
            "orders-duration-p99-warning", "orders-api-5xx-critical", "orders-api-latency-p99-warning",
            "orders-queue-oldest-message-age-warning", "orders-dlq-messages-critical",
        )
    )  # fmt: skip
    assert app["ops-prod-orders-duration-p99-warning"]["threshold"] == 24_000  # 80% of the function's 30 s

    def rows(body, labels):
        return [
            {k: v for k, v in w["properties"].items() if k != "title"} | {"title": w["properties"]["title"]}
            for w in json.loads(body)["widgets"]
            if w["type"] == "metric" and w["properties"]["title"].split(":")[0] in labels
        ]

    (dashboard,) = [r["inputs"] for r in report["resources"] if r["type"] == "aws:cloudwatch/dashboard:Dashboard"]
    assert dashboard["dashboardName"] == "ops-prod-orders"
    labels = {"orders", "orders-api", "orders-queue", "orders-dlq"}
    (own,) = [r.inputs for r in baseline.of_type("aws:cloudwatch/dashboard:Dashboard")]
    assert rows(dashboard["dashboardBody"], labels) == rows(own["dashboardBody"], labels) != []
    assert report["outputs"]["dashboardNames"] == ["ops-prod-orders"]


def test_the_cost_estimate_counts_each_metric_the_new_alarms_evaluate(every_kind):
    """CloudWatch bills an alarm per metric it evaluates: the running-tasks alarm evaluates two, the
    Metrics Insights alarm is counted as one (AWS bills each metric the query analyzes, one per operation used)."""
    by_logical = {r.name: r.inputs["name"] for r in every_kind.of_type(ALARM)}
    counted = {by_logical[u.resource]: u for u in alarm_metrics(every_kind.registrations, "eu-west-1")}
    assert counted["ops-dev-frontend-tasks-running-below-desired-critical"].quantity == 2
    system_errors = counted["ops-dev-orders-system-errors-critical"]
    assert system_errors.quantity == 1 and "Metrics Insights" in system_errors.basis
    assert counted["ops-dev-web-target-5xx-rate-critical"].quantity == 2
    assert {counted[name].item for name in counted} == {"alarm-metric-standard"}
