"""SLO burn-rate alerting: the workbook's window pairs as silent metric-math alarms under AND composites
that notify, CloudWatch's evaluation limits, the error budget on the dashboard and what they cost."""

from __future__ import annotations

import copy
import itertools
import json

import pytest

from opsctl.cost import estimate, load_prices
from plan import plan_stack
from plan.slo import burn_rate
from policies.guardrails.alarm_rule import holds, parse
from settings import SettingsError
from settings.slo import WORKBOOK_ALERTS, seconds
from tests import aws_model
from tests.conftest import SECRET_KEYS, run_stack_program
from tests.test_monitoring import MONITORING, TOPIC, config_with

COMPOSITE = "aws:cloudwatch/compositeAlarm:CompositeAlarm"
METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


def with_slo(function_slo=None, api_slo=None):
    monitoring = copy.deepcopy(MONITORING)
    if function_slo is not None:
        monitoring["lambdaFunctions"][0]["slo"] = function_slo
    if api_slo is not None:
        monitoring["httpApis"][0]["slo"] = api_slo
    return config_with(monitoring)


@pytest.fixture(scope="module")
def plan():
    return run_stack_program(with_slo({"objective": 99.9}, {"objective": 99.5, "window": "28d"}))


def by_name(plan, type_):
    key = "name" if type_ == METRIC_ALARM else "alarmName"
    return {r.inputs[key]: r.inputs for r in plan.of_type(type_)}


def test_the_workbook_pairs_burn_2_5_and_10_percent_of_a_30_day_budget():
    month = seconds("30d")
    found = [
        (a.severity, a.long_window, a.short_window, burn_rate(a, month), a.budget_percent) for a in WORKBOOK_ALERTS
    ]
    assert found == [
        ("critical", "1h", "5m", 14.4, 2.0),
        ("critical", "6h", "30m", 6.0, 5.0),
        ("warning", "3d", "6h", 1.0, 10.0),
    ]
    for alert in WORKBOOK_ALERTS:
        # Burning at that rate for the long window spends exactly budgetPercent of the budget.
        spent = burn_rate(alert, month) * seconds(alert.long_window) / month
        assert spent == pytest.approx(alert.budget_percent / 100)
        assert seconds(alert.short_window) * 12 == seconds(alert.long_window)


def test_each_window_is_a_silent_error_ratio_alarm_over_the_window(plan):
    alarms = by_name(plan, METRIC_ALARM)
    windows = {
        "ops-dev-orders-slo-1h-5m-long-critical": (3600, 1.44),
        "ops-dev-orders-slo-1h-5m-short-critical": (300, 1.44),
        "ops-dev-orders-slo-6h-30m-long-critical": (21_600, 0.6),
        "ops-dev-orders-slo-6h-30m-short-critical": (1800, 0.6),
        "ops-dev-orders-slo-3d-6h-long-warning": (259_200, 0.1),
        "ops-dev-orders-slo-3d-6h-short-warning": (21_600, 0.1),
    }
    assert {n for n in alarms if n.startswith("ops-dev-orders-slo-")} == set(windows)
    for name, (period, threshold) in windows.items():
        alarm = alarms[name]
        queries = {q["id"]: q for q in alarm["metricQueries"]}
        assert queries["part"]["metric"]["metricName"] == "Errors"
        assert queries["total"]["metric"]["metricName"] == "Invocations"
        assert queries["part"]["metric"]["dimensions"] == {"FunctionName": "orders"}
        assert {queries["part"]["metric"]["period"], queries["total"]["metric"]["period"]} == {period}
        assert alarm["threshold"] == pytest.approx(threshold)  # percent: burn x (100 - 99.9)
        assert (alarm["evaluationPeriods"], alarm["datapointsToAlarm"]) == (1, 1)
        assert alarm["comparisonOperator"] == "GreaterThanThreshold"
        assert alarm["treatMissingData"] == "notBreaching"
        assert alarm["alarmActions"] == alarm["okActions"] == [], name


def test_an_http_api_objective_watches_5xx_over_count_with_burn_rates_of_its_window(plan):
    alarms = by_name(plan, METRIC_ALARM)
    fast = alarms["ops-dev-shop-slo-1h-5m-long-critical"]
    queries = {q["id"]: q["metric"]["metricName"] for q in fast["metricQueries"] if "metric" in q}
    assert queries == {"part": "5xx", "total": "Count"}
    # 2% of a 28-day budget in an hour: 13.44x, over a 0.5% budget.
    assert fast["threshold"] == pytest.approx(13.44 * 0.5)


def test_each_pair_is_an_and_composite_that_notifies_by_severity(plan):
    composites = by_name(plan, COMPOSITE)
    expected = {
        "ops-dev-orders-slo-1h-5m-critical": ("1h-5m", "critical"),
        "ops-dev-orders-slo-6h-30m-critical": ("6h-30m", "critical"),
        "ops-dev-orders-slo-3d-6h-warning": ("3d-6h", "warning"),
    }
    assert {n for n in composites if n.startswith("ops-dev-orders-slo-")} == set(expected)
    for name, (pair, severity) in expected.items():
        composite = composites[name]
        long, short = (f"ops-dev-orders-slo-{pair}-{role}-{severity}" for role in ("long", "short"))
        assert composite["alarmRule"] == f'ALARM("{long}") AND ALARM("{short}")'
        assert composite["alarmActions"] == composite["okActions"] == [TOPIC]
        assert composite["actionsEnabled"] is True


@pytest.mark.parametrize("long, short", list(itertools.product(["ALARM", "OK", "INSUFFICIENT_DATA"], repeat=2)))
def test_only_both_windows_in_alarm_raise_the_composite(plan, long, short):
    rule = parse(by_name(plan, COMPOSITE)["ops-dev-orders-slo-1h-5m-critical"]["alarmRule"])
    states = {"ops-dev-orders-slo-1h-5m-long-critical": long, "ops-dev-orders-slo-1h-5m-short-critical": short}
    # A spike (short only) or a recovered hour (long only) does not page.
    assert holds(rule, states) is (long == short == "ALARM")


def test_every_slo_alarm_is_a_valid_cloudwatch_request(plan):
    problems = []
    for alarm in plan.of_type(METRIC_ALARM):
        params = aws_model.put_metric_alarm(alarm.inputs)
        problems += aws_model.problems("cloudwatch", "PutMetricAlarm", params)
        periods = [m["Period"] for q in params.get("Metrics", []) if (m := q.get("MetricStat"))]
        for period in periods or [params["Period"]]:
            # CloudWatch: period x evaluation periods <= 7 days, <= 1 day for periods under an hour.
            limit = 604_800 if period >= 3600 else 86_400
            assert period % 60 == 0 and period * params["EvaluationPeriods"] <= limit, alarm.name
    assert problems == []


def test_the_dashboard_shows_the_error_budget_left_over_the_objectives_window(plan):
    body = json.loads(plan.of_type("aws:cloudwatch/dashboard:Dashboard")[0].inputs["dashboardBody"])
    budgets = {w["properties"]["title"]: w["properties"] for w in body["widgets"] if w["type"] == "metric"}
    orders = budgets["orders: error budget left (99.9% over 30d)"]
    assert orders["view"] == "singleValue" and orders["setPeriodToTimeRange"] is True
    assert orders["start"] == "-P30D" and orders["period"] == 2_592_000
    expression, errors, total = orders["metrics"]
    assert expression[0]["expression"] == "IF(total > 0, 100 * (1 - (errors / total) / 0.001), 100)"
    assert errors[:4] == ["AWS/Lambda", "Errors", "FunctionName", "orders"] and errors[4]["id"] == "errors"
    assert total[:2] == ["AWS/Lambda", "Invocations"] and total[4] == {"stat": "Sum", "visible": False, "id": "total"}
    shop = budgets["shop: error budget left (99.5% over 28d)"]
    assert shop["start"] == "-P28D" and "/ 0.005)" in shop["metrics"][0][0]["expression"]
    assert shop["metrics"][1][:6] == ["AWS/ApiGateway", "5xx", "ApiId", "a1b2c3d4e5", "Stage", "$default"]
    status = next(w for w in body["widgets"] if w["type"] == "alarm")["properties"]["alarms"]
    assert "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ops-dev-orders-slo-1h-5m-critical" in status


def test_objectives_are_opt_in():
    plain = run_stack_program(config_with())
    names = set(by_name(plain, METRIC_ALARM)) | set(by_name(plain, COMPOSITE))
    assert not any("-slo-" in name for name in names)
    body = json.loads(plain.of_type("aws:cloudwatch/dashboard:Dashboard")[0].inputs["dashboardBody"])
    assert not any(w["properties"].get("view") == "singleValue" for w in body["widgets"])


def test_the_cost_counts_two_metrics_per_window_alarm_and_each_composite(plan):
    prices = load_prices()

    def priced(planned):
        custom = [r for r in planned.registrations if r.custom]
        return estimate(custom, region=planned.region, prices=prices, free_tier=False)

    plain, with_objectives = priced(run_stack_program(config_with())), priced(plan)

    def quantity(report, item):
        return sum(line.quantity for line in report.lines if line.item == item)

    # Two objectives, three alerts each: six window alarms of two metrics (errors, total), three composites.
    assert quantity(with_objectives, "alarm-metric-standard") - quantity(plain, "alarm-metric-standard") == 24
    assert quantity(with_objectives, "composite-alarm") - quantity(plain, "composite-alarm") == 6


def rejected(function_slo):
    with pytest.raises(SettingsError) as error:
        plan_stack(with_slo(function_slo), SECRET_KEYS)
    return str(error.value)


KEY = "ops-baseline:monitoring.lambdaFunctions[0].slo"
ONE_ALERT = {"severity": "critical", "longWindow": "1h", "shortWindow": "5m", "budgetPercent": 2}


@pytest.mark.parametrize(
    "slo, expected",
    [
        pytest.param({"objective": 100}, f"{KEY}.objective: 100 — must be above 0 and below 100", id="no-budget"),
        pytest.param({"objective": 0}, f"{KEY}.objective: 0 — must be above 0", id="zero"),
        pytest.param({"objective": "high"}, f'{KEY}.objective: "high" — expected a number', id="not-a-number"),
        pytest.param({}, f"{KEY}.objective: is required", id="objective-missing"),
        pytest.param(
            {"objective": 99.9, "window": "31d"},
            f'{KEY}.window: "31d" — must be one of "7d", "14d", "28d", "30d", "90d"',
            id="window-not-offered",
        ),
        pytest.param(
            {"objective": 99.9, "window": 30}, f"{KEY}.window: 30 — expected a string", id="window-without-unit"
        ),
        pytest.param(
            {"objective": 99.9, "windw": "30d"}, f"{KEY}.windw: unknown key 'windw'; did you mean", id="misspelt"
        ),
        pytest.param(
            {"objective": 99.9, "alerts": [{**ONE_ALERT, "longWindow": "1 hour"}]},
            f'{KEY}.alerts[0].longWindow: "1 hour" — must be a whole number of minutes, hours or days',
            id="window-format",
        ),
        pytest.param(
            {"objective": 99.9, "alerts": [{**ONE_ALERT, "severity": "page"}]},
            f'{KEY}.alerts[0].severity: "page" — expected one of "warning", "critical"',
            id="severity",
        ),
        pytest.param(
            {"objective": 99.9, "alerts": [{**ONE_ALERT, "budgetPercent": 0}]},
            f"{KEY}.alerts[0].budgetPercent: 0 — must be above 0 and at most 100",
            id="no-budget-share",
        ),
        pytest.param({"objective": 99.9, "alerts": []}, f"{KEY}.alerts: [] — must list 1-5 alerts", id="no-alerts"),
        pytest.param(
            {"objective": 99.9, "window": "90d", "alerts": [{**ONE_ALERT, "longWindow": "8d", "shortWindow": "16h"}]},
            f'{KEY}.alerts[0].longWindow: "8d" — is one alarm period of 691200 s: period x evaluationPeriods = '
            "691200 s exceeds CloudWatch's limit of 604800 s (7 days for periods of an hour or more)",
            id="beyond-cloudwatch-7-days",
        ),
        pytest.param(
            {"objective": 99.9, "alerts": [{**ONE_ALERT, "shortWindow": "1h"}]},
            f'{KEY}.alerts[0].shortWindow: "1h" — must be shorter than longWindow (1h)',
            id="short-not-shorter",
        ),
        pytest.param(
            {"objective": 99.9, "window": "7d", "alerts": [{**ONE_ALERT, "longWindow": "14d", "shortWindow": "1d"}]},
            f'{KEY}.alerts[0].longWindow: "14d" — must not be longer than the SLO window (7d)',
            id="longer-than-the-objective",
        ),
        pytest.param(
            {"objective": 90},
            f"{KEY}.alerts[0].budgetPercent: 2.0 — makes the burn rate 14.4x, an error ratio of 144% with objective 90",
            id="burn-beyond-all-errors",
        ),
        pytest.param(
            {"objective": 99.9, "alerts": [ONE_ALERT, {**ONE_ALERT, "budgetPercent": 5}]},
            f'{KEY}.alerts[1]: "1h/5m" — repeats alerts[0]',
            id="same-windows-twice",
        ),
    ],
)
def test_bad_objectives_are_refused_with_key_value_and_what_is_allowed(slo, expected):
    assert expected in rejected(slo)


def test_every_objective_problem_is_reported_at_once():
    message = rejected(
        {
            "objective": 99.9,
            "alerts": [{**ONE_ALERT, "longWindow": "9d", "shortWindow": "9d"}, {**ONE_ALERT, "shortWindow": "2h"}],
        }
    )
    assert message.startswith("invalid stack configuration (4 problems)")
    assert (
        "alerts[0].longWindow" in message and "alerts[0].shortWindow" in message and "alerts[1].shortWindow" in message
    )


RESPONSE_PLAN = "arn:aws:ssm-incidents::123456789012:response-plan/shop-outage"


@pytest.fixture(scope="module")
def escalating():
    config = with_slo({"objective": 99.9})
    config["ops-baseline:alerting"]["opsItems"] = {"severity": 2, "category": "Availability"}
    config["ops-baseline:alerting"]["incidentResponsePlanArn"] = RESPONSE_PLAN
    return run_stack_program(config)


def test_critical_alarms_also_open_an_ops_item_and_an_incident_on_alarm_only(escalating):
    ops_item = "arn:aws:ssm:eu-west-1:123456789012:opsitem:2"
    for name, alarm in by_name(escalating, METRIC_ALARM).items():
        if not alarm["alarmActions"]:
            continue  # a composite's child or an SLO window: the composite escalates
        critical = name.endswith("-critical") and "billing-estimated" not in name
        expected = [f"{ops_item}#CATEGORY=Availability", RESPONSE_PLAN] if critical else []
        assert alarm["alarmActions"][1:] == expected, name
        assert alarm["okActions"] == alarm["alarmActions"][:1], name
    composites = by_name(escalating, COMPOSITE)
    # PutCompositeAlarm takes an OpsItem by severity only, and no response plan.
    assert composites["ops-dev-orders-slo-1h-5m-critical"]["alarmActions"] == [TOPIC, ops_item]
    assert composites["ops-dev-orders-slo-3d-6h-warning"]["alarmActions"] == [TOPIC]
    assert composites["ops-dev-billing-sync-composite-critical"]["okActions"] == [TOPIC]


def test_the_alarm_actions_guardrail_passes_a_stack_with_objectives_and_escalations(escalating):
    from tests.policies.harness import Res, run_stack

    alarms = [
        Res(r.type, r.name, {**r.inputs, "arn": r.outputs["arn"]})
        for r in escalating.registrations
        if r.type in (METRIC_ALARM, COMPOSITE)
    ]
    outcome = run_stack("aws-cloudwatch-alarm-configure-actions", alarms, {"requireOkActions": True})
    assert outcome.violations == [] and not outcome.unchecked


@pytest.mark.parametrize(
    "alerting, expected",
    [
        pytest.param(
            {"opsItems": {"severity": 5}}, "alerting.opsItems.severity: 5 — must be between 1 and 4", id="sev"
        ),
        pytest.param(
            {"opsItems": {"category": "Outage"}},
            'alerting.opsItems.category: "Outage" — expected one of "Availability", "Cost", "Performance"',
            id="category",
        ),
        pytest.param(
            {"incidentResponsePlanArn": "arn:aws:ssm-incidents::123456789012:responseplan/x"},
            "alerting.incidentResponsePlanArn: "
            '"arn:aws:ssm-incidents::123456789012:responseplan/x" — must be a response plan ARN like',
            id="response-plan",
        ),
    ],
)
def test_bad_escalation_settings_are_refused(alerting, expected):
    config = config_with()
    config["ops-baseline:alerting"].update(alerting)
    with pytest.raises(SettingsError) as error:
        plan_stack(config, SECRET_KEYS)
    assert expected in str(error.value)
