"""Monitoring: alarms per monitored resource, actions, names, dashboards, log groups, billing, canaries,
the sample workload, and every request checked against the AWS API models."""

from __future__ import annotations

import copy
import http.server
import json
import threading

import pytest

from components.monitoring.dashboard import MAX_WIDGETS, paginate
from functions.heartbeat import heartbeat
from opsctl.engine import preflight_stack
from plan import plan_stack
from settings import SettingsError
from tests import aws_model
from tests.conftest import ROOT, SECRET_KEYS, VALID_CONFIG, only, run_stack_program, stack_key_arn

TOPIC = "arn:aws:sns:eu-west-1:123456789012:ops-dev-alerts"
BILLING_TOPIC = "arn:aws:sns:us-east-1:123456789012:ops-dev-billing-alerts"
MONITORING = {
    "logGroups": [
        {
            "name": "/aws/lambda/orders",
            "adopted": True,
            "retentionDays": 30,
            "metricFilters": [{"name": "orders-error-lines", "pattern": "ERROR", "metricName": "OrderErrors"}],
            "subscription": {"destinationArn": "arn:aws:lambda:eu-west-1:123456789012:function:ship-logs"},
        }
    ],
    "lambdaFunctions": [
        {"functionName": "orders", "timeoutSeconds": 30, "alarms": {"iteratorAge": {}, "errorRate": {"threshold": 2}}},
        {"functionName": "billing-sync", "composite": True, "alarms": {"throttles": {"enabled": False}}},
    ],
    "httpApis": [{"name": "shop", "apiId": "a1b2c3d4e5", "alarms": {"serverErrorRate": {}}}],
    "customMetrics": [
        {
            "name": "products-created",
            "namespace": "FastAPI/Products",
            "metricName": "ProductsCreated",
            "dimensions": {"Service": "catalog"},
            "comparison": "lessThan",
            "alarm": {"threshold": 1, "period": 3600, "treatMissingData": "breaching"},
        }
    ],
    "canaries": [{"name": "shop-health", "urls": ["https://shop.example.com/health"]}],
    "billing": {"thresholdUsd": 50},
}


def config_with(monitoring=None, **extra):
    config = copy.deepcopy(VALID_CONFIG)
    # The notifier's and the audit resources are tested on their own.
    del config["ops-baseline:alerting"]["slack"]
    config["ops-baseline:cloudTrail"] = {"enabled": False, "eventRules": []}
    config["ops-baseline:awsConfig"] = {"enabled": False}
    config["ops-baseline:monitoring"] = copy.deepcopy(MONITORING if monitoring is None else monitoring)
    config.update(extra)
    return config


@pytest.fixture(scope="module")
def plan():
    return run_stack_program(config_with())


def alarms(plan):
    return {r.inputs["name"]: r.inputs for r in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")}


def test_each_function_gets_its_default_alarms_plus_the_ones_switched_on(plan):
    names = sorted(
        name
        for name in alarms(plan)
        if name.startswith(("ops-dev-orders-", "ops-dev-billing-sync-")) and "error-lines" not in name
    )
    assert names == [
        "ops-dev-billing-sync-duration-p99-warning",
        "ops-dev-billing-sync-errors-critical",
        "ops-dev-orders-duration-p99-warning",
        "ops-dev-orders-error-rate-critical",
        "ops-dev-orders-errors-critical",
        "ops-dev-orders-iterator-age-warning",
        "ops-dev-orders-throttles-warning",
    ]


def test_function_alarms_watch_the_function_with_the_kind_defaults(plan):
    errors = alarms(plan)["ops-dev-orders-errors-critical"]
    assert errors["namespace"] == "AWS/Lambda" and errors["metricName"] == "Errors"
    assert errors["dimensions"] == {"FunctionName": "orders"}
    assert (errors["statistic"], errors["comparisonOperator"], errors["threshold"]) == (
        "Sum",
        "GreaterThanThreshold",
        0,
    )
    assert errors["treatMissingData"] == "notBreaching"
    duration = alarms(plan)["ops-dev-orders-duration-p99-warning"]
    assert duration["extendedStatistic"] == "p99" and "statistic" not in duration
    assert duration["threshold"] == 24_000  # 80% of the 30 s timeout, in ms
    assert (duration["evaluationPeriods"], duration["datapointsToAlarm"], duration["period"]) == (3, 3, 300)
    # Unknown timeout: Lambda's default of 3 s.
    assert alarms(plan)["ops-dev-billing-sync-duration-p99-warning"]["threshold"] == 2_400


def test_rate_alarms_divide_by_traffic_with_metric_math(plan):
    rate = alarms(plan)["ops-dev-shop-5xx-rate-critical"]
    queries = {q["id"]: q for q in rate["metricQueries"]}
    assert queries["part"]["metric"]["metricName"] == "5xx" and queries["total"]["metric"]["metricName"] == "Count"
    assert queries["part"]["metric"]["dimensions"] == {"ApiId": "a1b2c3d4e5", "Stage": "$default"}
    assert queries["rate"]["returnData"] is True and "100 * part / total" in queries["rate"]["expression"]
    assert "metricName" not in rate and rate["threshold"] == 1


def test_every_alarm_sends_alarm_and_ok_to_the_topic_unless_its_composite_does(plan):
    composite = only(plan, "aws:cloudwatch/compositeAlarm:CompositeAlarm").inputs
    assert composite["alarmName"] == "ops-dev-billing-sync-composite-critical"
    assert composite["alarmActions"] == composite["okActions"] == [TOPIC]
    children = {name for name in alarms(plan) if name.startswith("ops-dev-billing-sync-")}
    assert composite["alarmRule"] == " OR ".join(
        f'ALARM("{n}")' for n in sorted(children, key=lambda n: "duration" in n)
    )
    for name, alarm in alarms(plan).items():
        expected = [] if name in children else [BILLING_TOPIC] if "billing-estimated" in name else [TOPIC]
        assert alarm["alarmActions"] == alarm["okActions"] == expected, name
        assert alarm["actionsEnabled"] is True


def test_every_alarm_is_a_valid_cloudwatch_request(plan):
    problems = []
    for alarm in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm"):
        params = aws_model.put_metric_alarm(alarm.inputs)
        problems += aws_model.problems("cloudwatch", "PutMetricAlarm", params)
        assert params["TreatMissingData"] in ("breaching", "notBreaching", "ignore", "missing")
        assert params.get("Period", 60) in (10, 20, 30) or params.get("Period", 60) % 60 == 0
    for composite in plan.of_type("aws:cloudwatch/compositeAlarm:CompositeAlarm"):
        params = {
            "AlarmName": composite.inputs["alarmName"],
            "AlarmRule": composite.inputs["alarmRule"],
            "AlarmActions": composite.inputs["alarmActions"],
            "OKActions": composite.inputs["okActions"],
            "AlarmDescription": composite.inputs["alarmDescription"],
        }
        problems += aws_model.problems("cloudwatch", "PutCompositeAlarm", params)
    for dashboard in plan.of_type("aws:cloudwatch/dashboard:Dashboard"):
        params = {
            "DashboardName": dashboard.inputs["dashboardName"],
            "DashboardBody": dashboard.inputs["dashboardBody"],
        }
        problems += aws_model.problems("cloudwatch", "PutDashboard", params)
    for group in plan.of_type("aws:cloudwatch/logGroup:LogGroup"):
        params = {
            "logGroupName": group.inputs["name"],
            "retentionInDays": aws_model.whole(group.inputs["retentionInDays"]),
        }
        problems += aws_model.problems("logs", "PutRetentionPolicy", params)
    assert problems == []


def test_the_model_check_catches_what_cloudwatch_would_reject():
    bad = {
        "AlarmName": "x",
        "EvaluationPeriods": 0,
        "ComparisonOperator": "GreaterThan",
        "Statistic": "p99",
        "AlarmActions": ["a"] * 6,
    }
    found = aws_model.problems("cloudwatch", "PutMetricAlarm", bad)
    assert any("ComparisonOperator" in p for p in found) and any("Statistic" in p for p in found)
    assert any("EvaluationPeriods: 0" in p for p in found) and any("AlarmActions: 6" in p for p in found)


def test_dashboard_references_every_monitored_resource_and_alarm(plan):
    body = json.loads(only(plan, "aws:cloudwatch/dashboard:Dashboard").inputs["dashboardBody"])
    assert 0 < len(body["widgets"]) <= MAX_WIDGETS
    metrics = [m for w in body["widgets"] if w["type"] == "metric" for m in w["properties"]["metrics"]]
    watched = {(m[0], *m[2:-1]) for m in metrics}
    for expected in [
        ("AWS/Lambda", "FunctionName", "orders"),
        ("AWS/Lambda", "FunctionName", "billing-sync"),
        ("AWS/ApiGateway", "ApiId", "a1b2c3d4e5", "Stage", "$default"),
        ("FastAPI/Products", "Service", "catalog"),
        ("CloudWatchSynthetics", "CanaryName", "ops-dev-shop-health"),
        ("OpsBaseline/dev",),
        ("AWS/Billing", "Currency", "USD"),
    ]:
        assert expected in watched, expected
    lambda_metrics = {m[1] for m in metrics if m[0] == "AWS/Lambda"}
    assert {"Invocations", "Errors", "Duration", "Throttles"} <= lambda_metrics
    billing = [
        w for w in body["widgets"] if w["type"] == "metric" and w["properties"]["metrics"][0][0] == "AWS/Billing"
    ]
    assert billing[0]["properties"]["region"] == "us-east-1"
    listed = {arn for w in body["widgets"] if w["type"] == "alarm" for arn in w["properties"]["alarms"]}
    assert listed == {
        f"arn:aws:cloudwatch:{a.get('region', 'eu-west-1')}:123456789012:alarm:{n}" for n, a in alarms(plan).items()
    }


def test_dashboards_split_into_pages_of_at_most_500_widgets():
    pages = paginate([4] * 300)
    assert [len(p) for p in pages] == [124, 124, 52]
    assert all(1 + 4 * len(p) <= MAX_WIDGETS for p in pages)
    assert [i for p in pages for i in p] == list(range(300))


def test_log_groups_carry_retention_and_the_customer_key(plan):
    groups = {g.inputs["name"]: g.inputs for g in plan.of_type("aws:cloudwatch/logGroup:LogGroup")}
    assert set(groups) == {"/aws/lambda/orders", "/aws/apigateway/shop"}
    assert groups["/aws/lambda/orders"]["retentionInDays"] == 30
    assert groups["/aws/apigateway/shop"]["retentionInDays"] == 14  # logRetentionDays
    key = stack_key_arn(plan)
    assert all(group["kmsKeyId"] == key for group in groups.values())


def test_metric_filter_counts_into_the_stack_namespace_and_alarms(plan):
    metric_filter = only(plan, "aws:cloudwatch/logMetricFilter:LogMetricFilter").inputs
    assert metric_filter["logGroupName"] == "/aws/lambda/orders" and metric_filter["pattern"] == "ERROR"
    assert metric_filter["metricTransformation"] == {
        "name": "OrderErrors",
        "namespace": "OpsBaseline/dev",
        "value": "1",
        "defaultValue": "0",
    }
    alarm = alarms(plan)["ops-dev-orders-error-lines-matches-critical"]
    assert (alarm["namespace"], alarm["metricName"], alarm["statistic"]) == ("OpsBaseline/dev", "OrderErrors", "Sum")
    subscription = only(plan, "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter").inputs
    assert subscription["destinationArn"].endswith(":function:ship-logs") and subscription["filterPattern"] == ""


def test_saved_query_is_the_seed_error_query_over_the_baseline_log_groups(plan):
    query = only(plan, "aws:cloudwatch/queryDefinition:QueryDefinition").inputs
    assert query["name"] == "ops-dev/errors-with-correlation-id"
    assert "correlation_id" in query["queryString"] and "filter @message like /(?i)error/" in query["queryString"]
    assert sorted(query["logGroupNames"]) == ["/aws/apigateway/shop", "/aws/lambda/orders"]


def test_custom_metric_alarm_uses_its_namespace_dimensions_and_comparison(plan):
    alarm = alarms(plan)["ops-dev-products-created-low-warning"]
    assert (alarm["namespace"], alarm["metricName"], alarm["dimensions"]) == (
        "FastAPI/Products",
        "ProductsCreated",
        {"Service": "catalog"},
    )
    assert (alarm["comparisonOperator"], alarm["threshold"], alarm["period"]) == ("LessThanThreshold", 1, 3600)
    assert alarm["treatMissingData"] == "breaching"


def test_billing_alarm_and_its_topic_live_in_us_east_1(plan):
    alarm = alarms(plan)["ops-dev-billing-estimated-charges-warning"]
    assert alarm["region"] == "us-east-1" and alarm["dimensions"] == {"Currency": "USD"}
    assert (alarm["namespace"], alarm["metricName"], alarm["threshold"]) == ("AWS/Billing", "EstimatedCharges", 50)
    topics = {t.inputs["name"]: t.inputs for t in plan.of_type("aws:sns/topic:Topic")}
    assert topics["ops-dev-billing-alerts"]["region"] == "us-east-1"
    keys = [k.inputs for k in plan.of_type("aws:kms/key:Key")]
    assert sorted(k["region"] for k in keys) == ["eu-west-1", "us-east-1"]


def test_billing_reuses_the_alerting_topic_in_us_east_1():
    plan = run_stack_program(config_with({"billing": {"thresholdUsd": 10}}, **{"aws:region": "us-east-1"}))
    assert len(plan.of_type("aws:sns/topic:Topic")) == 1
    alarm = alarms(plan)["ops-dev-billing-estimated-charges-warning"]
    assert alarm["alarmActions"] == ["arn:aws:sns:us-east-1:123456789012:ops-dev-alerts"]


def test_canary_runs_the_packaged_heartbeat_with_encrypted_artifacts(plan):
    canary = only(plan, "aws:synthetics/canary:Canary").inputs
    assert canary["name"] == "ops-dev-shop-health" and canary["handler"] == "heartbeat.handler"
    assert canary["runtimeVersion"].startswith("syn-python-selenium-")
    assert canary["schedule"] == {"expression": "rate(5 minutes)"}
    assert json.loads(canary["runConfig"]["environmentVariables"]["HEARTBEAT_URLS"]) == [
        "https://shop.example.com/health"
    ]
    assert canary["artifactConfig"]["s3Encryption"]["encryptionMode"] == "SSE_KMS"
    script = only(plan, "aws:s3/bucketObjectv2:BucketObjectv2").inputs
    assert canary["s3Key"] == script["key"] and canary["s3Version"]
    # Runs expire after a month; the script each canary pins a version of sits outside that prefix.
    lifecycle = next(
        r.inputs
        for r in plan.of_type("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
        if r.name == "canaries-artifacts-lifecycle"
    )
    (rule,) = lifecycle["rules"]
    assert rule["filter"] == {"prefix": "runs/"} and rule["expiration"] == {"days": 30}
    assert canary["artifactS3Location"].endswith("/runs/shop-health/")
    assert not script["key"].startswith(rule["filter"]["prefix"])
    alarm = alarms(plan)["ops-dev-shop-health-success-percent-critical"]
    assert (alarm["comparisonOperator"], alarm["threshold"], alarm["treatMissingData"]) == (
        "LessThanThreshold",
        90,
        "breaching",
    )


@pytest.fixture
def site():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/ok" else 503)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_heartbeat_fails_the_run_on_any_bad_url_and_names_each(site, monkeypatch):
    monkeypatch.setenv("HEARTBEAT_URLS", json.dumps([f"{site}/ok"]))
    assert heartbeat.handler({}, None) == "1 URL(s) answered"
    monkeypatch.setenv("HEARTBEAT_URLS", json.dumps([f"{site}/ok", f"{site}/down", "http://127.0.0.1:9/refused"]))
    with pytest.raises(RuntimeError) as failure:
        heartbeat.handler({}, None)
    assert "2 of 3 URL(s) failed" in str(failure.value)
    assert f"{site}/down: HTTP 503" in str(failure.value) and "127.0.0.1:9/refused" in str(failure.value)


@pytest.mark.parametrize("stack, expected", [("dev", True), ("prod", False)])
def test_sample_workload_is_deployed_in_dev_only(stack, expected):
    plan = preflight_stack(ROOT, stack, mode="up")
    assert bool(plan.of_type("ops-baseline:sample:SampleWorkload")) is expected
    functions = plan.of_type("aws:lambda/function:Function")
    if expected:
        function = only(plan, "aws:lambda/function:Function").inputs
        assert function["tracingConfig"] == {"mode": "Active"}
        assert function["loggingConfig"]["logGroup"] == "/aws/lambda/ops-dev-sample-fn"
        stage = only(plan, "aws:apigatewayv2/stage:Stage").inputs
        assert set(json.loads(stage["accessLogSettings"]["format"])) == {
            "requestId",
            "ip",
            "requestTime",
            "httpMethod",
            "routeKey",
            "status",
            "protocol",
            "responseLength",
        }
        secret = only(plan, "aws:secretsmanager/secret:Secret").inputs
        assert secret["kmsKeyId"] == stack_key_arn(plan)
        assert "ops-dev-sample-fn-errors-critical" in {
            a.inputs["name"] for a in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        }
    else:
        assert functions == []


def reject(monitoring, **extra):
    with pytest.raises(SettingsError) as error:
        plan_stack(config_with(monitoring, **extra), SECRET_KEYS)
    return str(error.value)


@pytest.mark.parametrize(
    "monitoring, expected",
    [
        pytest.param(
            {"lambdaFunctions": [{"functionName": "f", "alarms": {"latency": {}}}]},
            "lambdaFunctions[0].alarms.latency: unknown alarm for a Lambda function; allowed: errors, errorRate",
            id="unknown-lambda-metric",
        ),
        pytest.param(
            {"httpApis": [{"name": "a", "apiId": "a1b2c3d4e5", "alarms": {"errors": {}}}]},
            "httpApis[0].alarms.errors: unknown alarm for a HTTP API; allowed: serverErrors",
            id="lambda-kind-on-an-api",
        ),
        pytest.param(
            {"lambdaFunctions": [{"functionName": "f", "alarms": {"errors": {"threshold": -1}}}]},
            "alarms.errors.threshold: -1.0 — must be >= 0",
            id="negative-count-threshold",
        ),
        pytest.param(
            {"httpApis": [{"name": "a", "apiId": "a1b2c3d4e5", "alarms": {"serverErrorRate": {"threshold": 150}}}]},
            "alarms.serverErrorRate.threshold: 150.0 — must be <= 100 (a percentage)",
            id="percentage-over-100",
        ),
        pytest.param(
            {"lambdaFunctions": [{"functionName": "f", "alarms": {"errors": {"period": 45}}}]},
            "alarms.errors.period: 45 — must be 10, 20 or 30 seconds",
            id="period-cloudwatch-rejects",
        ),
        pytest.param(
            {
                "lambdaFunctions": [
                    {"functionName": "f", "alarms": {"errors": {"evaluationPeriods": 2, "datapointsToAlarm": 3}}}
                ]
            },
            "alarms.errors.evaluationPeriods: 2 — must be at least datapointsToAlarm (3)",
            id="evaluation-periods-below-datapoints",
        ),
        pytest.param(
            {
                "lambdaFunctions": [
                    {"functionName": "f", "alarms": {"errors": {"period": 600, "evaluationPeriods": 145}}}
                ]
            },
            "exceeds CloudWatch's limit of 86400 s",
            id="window-longer-than-a-day",
        ),
        pytest.param(
            {"lambdaFunctions": [{"functionName": "f", "alarms": {"errors": {"percentOfTimeout": 50}}}]},
            "alarms.errors.percentOfTimeout: 50.0 — only applies to duration alarms",
            id="percent-of-timeout-on-errors",
        ),
        pytest.param(
            {"lambdaFunctions": [{"functionName": "f"}, {"functionName": "f"}]},
            'lambdaFunctions[1]: "ops-dev-f-errors-critical" — alarm name is already used by monitoring.lambdaFunctions[0]',
            id="duplicate-alarm-names",
        ),
        pytest.param(
            {"customMetrics": [{"name": "c", "namespace": "App", "metricName": "M"}]},
            "customMetrics[0].alarm.threshold: is required",
            id="custom-metric-without-threshold",
        ),
        pytest.param(
            {
                "customMetrics": [
                    {
                        "name": "c",
                        "namespace": "App",
                        "metricName": "M",
                        "statistic": "median",
                        "alarm": {"threshold": 1},
                    }
                ]
            },
            'customMetrics[0].statistic: "median" — must be one of SampleCount',
            id="unknown-statistic",
        ),
        pytest.param(
            {"customMetrics": [{"name": "c", "namespace": "AWS/Lambda", "metricName": "M", "alarm": {"threshold": 1}}]},
            "customMetrics[0].namespace",
            id="aws-namespace-for-custom-metric",
        ),
        pytest.param(
            {
                "logGroups": [
                    {
                        "name": "/x",
                        "subscription": {"destinationArn": "arn:aws:kinesis:eu-west-1:123456789012:stream/s"},
                    }
                ]
            },
            "logGroups[0].subscription.roleArn: is required for a kinesis destination",
            id="kinesis-subscription-without-role",
        ),
        pytest.param(
            {"logGroups": [{"name": "/x", "retentionDays": 10}]},
            "logGroups[0].retentionDays: 10 — must be one of 0, 1, 3, 5, 7, 14",
            id="retention-cloudwatch-rejects",
        ),
        pytest.param(
            {"logGroups": [{"name": "/aws/apigateway/shop"}], "httpApis": [{"name": "shop", "apiId": "a1b2c3d4e5"}]},
            'monitoring.logGroups: "/aws/apigateway/shop" — is created by the baseline already',
            id="access-log-group-listed-twice",
        ),
        pytest.param(
            {"canaries": [{"name": "Shop_Health", "urls": ["https://x.example.com"]}]},
            "canaries[0].name",
            id="canary-name-not-lowercase",
        ),
        pytest.param({"billing": {"thresholdUsd": 0}}, "billing.thresholdUsd: 0 — must be above 0", id="zero-budget"),
        pytest.param(
            {"lambdaFunctions": [{"functionName": "orders:prod"}]},
            'lambdaFunctions[0].functionName: "orders:prod" — must be a function name',
            id="function-name-with-qualifier",
        ),
        pytest.param(
            {"lambdaFunctions": [{"functionName": "f", "timeoutSeconds": 901}]},
            "lambdaFunctions[0].timeoutSeconds: 901 — must be 1-900 seconds",
            id="timeout-beyond-lambda-range",
        ),
        pytest.param(
            {"lambdaFunctions": [{"functionName": "f", "alarms": {"errors": {"severity": "page"}}}]},
            'alarms.errors.severity: "page" — expected one of "warning", "critical"',
            id="unknown-severity",
        ),
        pytest.param(
            {"lambdaFunctions": [{"functionName": "f", "alarms": {"errors": {"treatMissingData": "zero"}}}]},
            'alarms.errors.treatMissingData: "zero" — expected one of "breaching"',
            id="unknown-missing-data-treatment",
        ),
        pytest.param(
            {"httpApis": [{"name": "shop", "apiId": "https://a1b2c3d4e5.execute-api"}]},
            "httpApis[0].apiId",
            id="api-url-instead-of-id",
        ),
        pytest.param(
            {"logGroups": [{"name": "/aws/lambda/orders*"}]},
            'logGroups[0].name: "/aws/lambda/orders*" — must be 1-512 letters',
            id="log-group-name-with-wildcard",
        ),
        pytest.param(
            {"logGroups": [{"name": "/x", "subscription": {"destinationArn": "ship-logs"}}]},
            'logGroups[0].subscription.destinationArn: "ship-logs" — must be an ARN',
            id="subscription-destination-not-an-arn",
        ),
        pytest.param(
            {"canaries": [{"name": "shop", "urls": []}]},
            "canaries[0].urls: [] — must list 1-20 URLs",
            id="canary-without-urls",
        ),
        pytest.param(
            {"canaries": [{"name": "shop", "urls": ["https://x.example.com"], "schedule": "every 5 minutes"}]},
            'canaries[0].schedule: "every 5 minutes" — must be rate(N minutes)',
            id="canary-schedule-not-rate-or-cron",
        ),
        pytest.param(
            {
                "canaries": [
                    {"name": "shop", "urls": ["https://x.example.com"], "runtimeVersion": "syn-nodejs-puppeteer-9.0"}
                ]
            },
            "canaries[0].runtimeVersion",
            id="canary-runtime-not-python",
        ),
        pytest.param(
            {
                "customMetrics": [
                    {
                        "name": "c",
                        "namespace": "App",
                        "metricName": "M",
                        "dimensions": {f"d{i}": "v" for i in range(31)},
                        "alarm": {"threshold": 1},
                    }
                ]
            },
            "customMetrics[0].dimensions",
            id="more-than-30-dimensions",
        ),
    ],
)
def test_bad_monitoring_settings_are_rejected_with_key_value_and_rule(monitoring, expected):
    assert expected in reject(monitoring)


def test_every_monitoring_problem_is_reported_at_once():
    message = reject(
        {
            "lambdaFunctions": [
                {"functionName": "f", "alarms": {"errors": {"period": 45, "threshold": -2}, "nope": {}}}
            ],
            "customMetrics": [{"name": "c", "namespace": "App", "metricName": "M"}],
        }
    )
    assert "3 problem" not in message and message.count("\n  - ") == 4


def test_500_monitored_functions_plan_with_paged_dashboards(tmp_path):
    """The scale case of benchmarks/scale.py, asserted on counts (the benchmark reports the time)."""
    for name in ("Pulumi.yaml", "__main__.py", "components", "plan", "settings", "functions", "policies"):
        (tmp_path / name).symlink_to(ROOT / name)
    functions = [{"functionName": f"service-{i:04d}", "composite": i % 10 == 0} for i in range(500)]
    stack = {
        "config": {
            "aws:region": "eu-west-1",
            "ops-baseline:environment": "scale",
            "ops-baseline:monitoring": {"lambdaFunctions": functions},
        }
    }
    (tmp_path / "Pulumi.scale.yaml").write_text(json.dumps(stack))
    plan = preflight_stack(tmp_path, "scale", mode="up")
    function_alarms = [
        a
        for a in plan.of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
        if a.inputs["name"].startswith("ops-scale-service-")
    ]
    assert len(function_alarms) == 1500
    assert len(plan.of_type("aws:cloudwatch/compositeAlarm:CompositeAlarm")) == 50
    dashboards = plan.of_type("aws:cloudwatch/dashboard:Dashboard")
    names = {d.inputs["dashboardName"] for d in dashboards}
    assert len(dashboards) > 1 and names == {"ops-scale", *(f"ops-scale-{n}" for n in range(2, len(dashboards) + 1))}
    bodies = [json.loads(d.inputs["dashboardBody"]) for d in dashboards]
    assert all(len(body["widgets"]) <= 500 for body in bodies)
    charted = {
        m[3]
        for body in bodies
        for w in body["widgets"]
        if w["type"] == "metric"
        for m in w["properties"]["metrics"]
        if m[2:3] == ["FunctionName"]
    }
    assert charted == {f["functionName"] for f in functions}
    assert len({a.inputs["name"] for a in function_alarms}) == 1500
