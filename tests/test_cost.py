"""The cost estimate against figures worked out by hand from AWS's list prices, and the price table's shape."""

from __future__ import annotations

import json

import botocore.session
import pytest
import yaml

from opsctl.cost import compare, estimate, load_prices
from opsctl.cost.prices import EVERY_REGION, PRICES_FILE, REFERENCE_REGION
from opsctl.cost.recorded import load_recorded_types
from opsctl.engine import Registration, preflight_stack
from policies.guardrails.vocabulary.schedules import runs_per_month
from tests.conftest import ROOT, run_stack_program

PRICES = load_prices()


def resource(type_: str, name: str, **inputs) -> Registration:
    return Registration(f"urn:pulumi:test::cost::{type_}::{name}", type_, name, None, True, inputs)


def alarm(name: str, **inputs) -> Registration:
    inputs = {"namespace": "AWS/Lambda", "metricName": "Errors", "period": 300.0, **inputs}
    return resource("aws:cloudwatch/metricAlarm:MetricAlarm", name, **inputs)


def metric(namespace: str, name: str, period: float = 300.0) -> dict:
    return {"metric": {"namespace": namespace, "metricName": name, "period": period, "stat": "Sum"}}


def metric_filter(name: str, metric_name: str) -> Registration:
    transformation = {"namespace": "Shop/Logs", "name": metric_name, "value": "1"}
    return resource("aws:cloudwatch/logMetricFilter:LogMetricFilter", name, metricTransformation=transformation)


def config_rule(name: str, identifier: str, owner: str = "AWS", **inputs) -> Registration:
    return resource("aws:cfg/rule:Rule", name, source={"owner": owner, "sourceIdentifier": identifier}, **inputs)


SMALL_STACK = [
    *(alarm(f"errors-{n}") for n in range(12)),  # 12 standard alarm metrics
    alarm(  # metric math over 2 metrics: 2 standard alarm metrics
        "error-rate",
        metricQueries=[
            {"id": "m1", **metric("AWS/ApiGateway", "5xx")},
            {"id": "m2", **metric("AWS/ApiGateway", "Count")},
            {"id": "e1", "expression": "100 * m1 / m2", "returnData": True},
        ],
    ),
    alarm("cpu-fast", namespace="AWS/EC2", metricName="CPUUtilization", period=10.0),  # 1 high resolution
    alarm(  # anomaly band on 1 metric: 3 standard alarm metrics
        "cpu-band",
        metricQueries=[
            {"id": "m1", **metric("AWS/EC2", "CPUUtilization")},
            {"id": "ad1", "expression": "ANOMALY_DETECTION_BAND(m1, 2)", "returnData": True},
        ],
        thresholdMetricId="ad1",
    ),
    alarm("orders", namespace="Shop/Orders", metricName="OrdersPlaced", period=60.0),  # 1 standard, 1 custom metric
    alarm(
        "error-lines", namespace="Shop/Logs", metricName="ErrorLines", dimensions={}
    ),  # 1 standard; its filter's metric
    resource("aws:cloudwatch/compositeAlarm:CompositeAlarm", "any-a", alarmRule="ALARM(errors-0)"),
    resource("aws:cloudwatch/compositeAlarm:CompositeAlarm", "any-b", alarmRule="ALARM(errors-1)"),
    *(resource("aws:cloudwatch/dashboard:Dashboard", f"board-{n}") for n in range(4)),
    metric_filter("errors-a", "ErrorLines"),
    metric_filter("warnings", "WarnLines"),
    metric_filter("errors-b", "ErrorLines"),  # the same metric as errors-a: counted once
    resource("aws:kms/key:Key", "key-a", enableKeyRotation=True),
    resource("aws:kms/key:Key", "key-b"),
    resource("aws:secretsmanager/secret:Secret", "token", replicas=[{"region": "us-west-2"}]),
    resource("aws:synthetics/canary:Canary", "health", schedule={"expression": "rate(10 minutes)"}, startCanary=True),
    resource("aws:synthetics/canary:Canary", "stopped", schedule={"expression": "rate(1 minute)"}),
    resource("aws:cfg/recorder:Recorder", "recorder", recordingGroup={"allSupported": True}),
    config_rule("rotation", "CMK_BACKING_KEY_ROTATION_ENABLED"),  # periodic: 730/24 runs x 2 keys
    config_rule("topics", "SNS_ENCRYPTED_KMS"),  # change-triggered, no topic here: 0
    config_rule(
        "secrets",
        "arn:aws:lambda:us-east-1:123456789012:function:check",
        owner="CUSTOM_LAMBDA",
        scope={"complianceResourceTypes": ["AWS::SecretsManager::Secret"]},
    ),  # 1 secret, 1 change: 1
    config_rule("unknown", "SOME_RULE_THE_CATALOG_LACKS"),  # counted as 1
    resource("aws:cloudwatch/logGroup:LogGroup", "app-logs", retentionInDays=30.0),
    resource(
        "aws:cloudtrail/trail:Trail",
        "trail",
        eventSelectors=[{"dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}],
        insightSelectors=[{"insightType": "ApiCallRateInsight"}],
    ),
]
RESOURCES_IN_STACK = 38
RECORDED_IN_STACK = 22
"""Of types AWS Config records: 17 metric alarms, 2 keys, the secret, the recorder and the trail."""
CONFIG_EVALUATIONS = 730 / 24 * 2 + 0 + 1 + 1


def lines_of(result) -> dict[str, tuple[float, float, float]]:
    return {line.item: (line.quantity, line.free, round(line.monthly, 4)) for line in result.lines}


def test_small_stack_costs_what_the_price_list_says():
    result = estimate(SMALL_STACK, region="us-east-1", prices=PRICES)
    assert len(SMALL_STACK) == RESOURCES_IN_STACK
    assert lines_of(result) == {
        "alarm-metric-standard": (19, 10, 0.90),  # 12 + 2 + 3 + 1 + 1; 9 billable x 0.10
        "alarm-metric-high-resolution": (1, 0, 0.30),
        "composite-alarm": (2, 0, 1.00),
        "dashboard": (4, 3, 3.00),  # the first 3 are free
        "custom-metric": (3, 3, 0.0),  # ErrorLines, WarnLines, OrdersPlaced: within the 10 free
        "kms-key": (2, 0, 2.00),
        "secret": (2, 0, 0.80),  # the secret and its replica
        "canary-run": (4380, 100, round(4280 * 0.0012, 4)),  # 730 h x 6 runs an hour; the stopped canary: 0
        "config-item-continuous": (RECORDED_IN_STACK, 0, round(RECORDED_IN_STACK * 0.003, 4)),
        "config-rule-evaluation": (pytest.approx(CONFIG_EVALUATIONS), 0, round(CONFIG_EVALUATIONS * 0.001, 4)),
    }
    # 0.90 + 0.30 + 1.00 + 3.00 + 2.00 + 0.80 + 5.136 + 0.066 + 0.0628
    assert result.total == 13.26
    assert result.notes == (
        "The account's free tier (10 alarm metrics, 10 custom metrics, 3 dashboards, 100 canary runs) "
        "is credited to this stack: other stacks in the account may already use it.",
    )


def test_without_the_free_tier_every_unit_is_priced():
    result = estimate(SMALL_STACK, region="us-east-1", prices=PRICES, free_tier=False)
    lines = lines_of(result)
    assert lines["alarm-metric-standard"] == (19, 0, 1.90)
    assert lines["dashboard"] == (4, 0, 12.00)
    assert lines["custom-metric"] == (3, 0, 0.90)
    assert lines["canary-run"] == (4380, 0, 5.256)
    # 1.90 + 0.30 + 1.00 + 12.00 + 0.90 + 2.00 + 0.80 + 5.256 + 0.066 + 0.0628
    assert result.total == 24.28
    assert result.notes == ()


def test_usage_is_priced_per_unit_never_guessed():
    result = estimate(SMALL_STACK, region="us-east-1", prices=PRICES)
    per_unit = {p.item: (p.unit_price, p.unit, p.resources) for p in result.per_unit}
    assert per_unit == {
        "log-ingestion-standard": (0.50, "GB ingested", ("app-logs",)),
        "log-storage": (0.03, "GB-month stored", ("app-logs",)),
        "cloudtrail-data-events": (0.10, "100,000 data events", ("trail",)),
        "cloudtrail-insights": (0.35, "100,000 events analyzed", ("trail",)),
        "kms-requests": (0.03, "10,000 requests", ("key-a", "key-b")),
        "secret-api-calls": (0.05, "10,000 API calls", ("token",)),
    }
    assert "app-logs: kept 30 days" in next(p.basis for p in result.per_unit if p.item == "log-storage")


def test_regional_prices_and_borrowed_ones_are_said():
    stack = [
        resource("aws:cloudwatch/logGroup:LogGroup", "logs", logGroupClass="INFREQUENT_ACCESS"),
        resource("aws:synthetics/canary:Canary", "health", schedule={"expression": "rate(1 hour)"}, startCanary=True),
        alarm("billing", namespace="AWS/Billing", metricName="EstimatedCharges", region="us-east-1"),
    ]
    result = estimate(stack, region="eu-west-1", prices=PRICES, free_tier=False)
    assert {p.item: p.unit_price for p in result.per_unit}["log-ingestion-infrequent-access"] == 0.285
    assert [(line.item, line.region) for line in result.lines] == [
        ("canary-run", "eu-west-1"),
        ("alarm-metric-standard", "us-east-1"),
    ]
    assert "Synthetics canary runs: no eu-west-1 price in the table, the us-east-1 price is used" in result.notes


def test_tiers_are_walked_from_the_first_unit():
    rate = PRICES.rate("custom-metric", "us-east-1")
    assert rate.cost(12_000) == pytest.approx(10_000 * 0.30 + 2_000 * 0.10)
    assert rate.cost(1_500_000) == pytest.approx(10_000 * 0.30 + 240_000 * 0.10 + 750_000 * 0.05 + 500_000 * 0.02)


def test_a_change_is_reported_item_by_item():
    before = estimate([alarm(f"a-{n}") for n in range(10)], region="us-east-1", prices=PRICES)
    after = estimate([alarm(f"a-{n}") for n in range(50)], region="us-east-1", prices=PRICES)
    change = compare(before.as_document(), after)
    assert (change.before_total, change.after_total, change.delta) == (0.0, 4.0, 4.0)
    [item] = change.items
    assert (item.item, item.quantity, round(item.monthly, 2)) == ("alarm-metric-standard", 40, 4.0)


@pytest.mark.parametrize(
    ("expression", "runs"),
    [
        ("rate(5 minutes)", 8760),
        ("rate(1 hour)", 730),
        ("rate(1 day)", 730 / 24),
        ("rate(0 minutes)", 0),
        ("cron(0/15 * * * ? *)", 4 * 730),
        ("cron(0 12 * * ? *)", 730 / 24),
    ],
)
def test_schedules_in_a_730_hour_month(expression, runs):
    assert runs_per_month(expression) == pytest.approx(runs)


def test_a_weekday_schedule_runs_about_22_times_a_month():
    assert 21 < runs_per_month("cron(0 9 ? * MON-FRI *)") < 22.5


@pytest.mark.parametrize("expression", ["rate(5 fortnights)", "cron(0 0 L * ? *)", "every day", "cron(0 9 * *)"])
def test_unreadable_schedules_are_not_counted(expression):
    assert runs_per_month(expression) is None
    canary = resource("aws:synthetics/canary:Canary", "c", schedule={"expression": expression}, startCanary=True)
    [line] = estimate([canary], region="us-east-1", prices=PRICES).lines
    assert line.quantity == 0 and "cannot be read" in line.basis[0]


def test_every_price_has_a_source_a_unit_and_the_reference_region():
    document = json.loads(PRICES_FILE.read_text())
    for name, item in document["items"].items():
        assert item["source"] in document["sources"], name
        assert item["unit"] and item["what"], name
        assert REFERENCE_REGION in item["prices"] or EVERY_REGION in item["prices"], name
        for price in item["prices"].values():
            tiers = price if isinstance(price, list) else [[None, price]]
            bounds = [bound for bound, _ in tiers[:-1]]
            assert bounds == sorted(bounds) and tiers[-1][0] is None, name
            assert all(amount > 0 for _, amount in tiers), name
    for source in document["sources"].values():
        assert source["page"].startswith("https://aws.amazon.com/") and source["checked"]


def test_events_sent_to_another_regions_bus_are_priced_as_custom_events():
    bus = "arn:aws:events:{}:123456789012:event-bus/default"
    target = "aws:cloudwatch/eventTarget:EventTarget"
    stack = [
        resource(target, "forwarding", rule="r1", arn=bus.format("eu-west-1"), region="us-east-1"),
        resource(target, "same-region", rule="r2", arn=bus.format("eu-west-1")),  # the stack's region: free
        resource(target, "alerts", rule="r3", arn="arn:aws:sns:eu-west-1:123456789012:alerts"),
    ]
    result = estimate(stack, region="eu-west-1", prices=PRICES)
    [price] = result.per_unit
    assert (price.item, price.region, price.unit_price, price.resources) == (
        "eventbridge-events-to-another-region",
        "us-east-1",
        1.00,
        ("forwarding",),
    )
    assert price.basis == ("forwarding: sent to eu-west-1",) and result.lines == ()


BUS = "arn:aws:events:eu-west-1:123456789012:event-bus/default"
CONTINUOUS = "AWS Config configuration items, continuous recording"


def config_items(result) -> dict[str, float]:
    return {line.item: line.quantity for line in result.lines if line.item.startswith("config-item")}


def recorder(**inputs) -> Registration:
    return resource("aws:cfg/recorder:Recorder", "recorder", **{"recordingGroup": {"allSupported": True}, **inputs})


def test_config_items_count_only_the_types_config_records():
    stack = [
        recorder(),  # AWS::Config::ConfigurationRecorder
        resource("aws:s3/bucket:Bucket", "store"),  # AWS::S3::Bucket
        resource("aws:s3/bucketPolicy:BucketPolicy", "store-policy"),  # part of the bucket's item
        resource("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "store-lifecycle"),
        resource("aws:cloudwatch/eventRule:EventRule", "changes"),  # AWS::Events::Rule
        resource("aws:cloudwatch/eventTarget:EventTarget", "changes-to-topic", arn=BUS),  # part of the rule's item
        resource("aws:kms/alias:Alias", "key-alias"),  # AWS::KMS::Alias
        resource("aws:cloudwatch/logGroup:LogGroup", "logs"),  # no Config type
        resource("aws:sns/topicSubscription:TopicSubscription", "email"),  # no Config type
    ]
    result = estimate(stack, region="us-east-1", prices=PRICES)
    assert config_items(result) == {"config-item-continuous": 4}
    [line] = [line for line in result.lines if line.item == "config-item-continuous"]
    assert line.basis == (
        "4 of this stack's resources of types AWS Config records, one item per change, 1 change a month each "
        "(assumed); the recorder also records the account's other resources",
    )


def test_types_the_table_lacks_are_named_not_counted():
    stack = [recorder(), resource("aws:made/up:Thing", "thing"), resource("aws:other/made:Up", "up")]
    [line] = estimate(stack, region="us-east-1", prices=PRICES).lines
    assert line.quantity == 1
    assert line.basis[0].endswith(
        "; not counted, types the recorded-types table lacks: aws:made/up:Thing, aws:other/made:Up"
    )


def test_global_iam_types_are_recorded_only_with_global_resource_types():
    role = resource("aws:iam/role:Role", "role")
    at_home = recorder(recordingGroup={"allSupported": True, "includeGlobalResourceTypes": True})
    elsewhere = recorder(recordingGroup={"allSupported": True, "includeGlobalResourceTypes": False})
    listed = recorder(recordingGroup={"allSupported": False, "resourceTypes": ["AWS::IAM::Role"]})
    excluded = recorder(
        recordingGroup={"allSupported": False, "exclusionByResourceTypes": [{"resourceTypes": ["AWS::IAM::Role"]}]}
    )
    counted = [
        config_items(estimate([r, role], region="us-east-1", prices=PRICES))["config-item-continuous"]
        for r in (at_home, elsewhere, listed, excluded)
    ]
    assert counted == [2, 1, 1, 1]  # the recorder's own item, and the role where it is recorded


def test_daily_recording_says_when_it_is_cheaper_than_continuous():
    stack = [
        recorder(recordingMode={"recordingFrequency": "DAILY"}),
        *(resource("aws:sns/topic:Topic", f"topic-{n}") for n in range(10)),
        resource("aws:sqs/queue:Queue", "queue"),
    ]
    result = estimate(stack, region="us-east-1", prices=PRICES)
    # The recorder's own item is always continuous; 11 resources, one change a month: one item each
    assert config_items(result) == {"config-item-continuous": 1, "config-item-daily": 11}
    assert (
        "Daily recording bills at most one item per resource a day at 0.012 USD, continuous recording one per "
        "change at 0.003 USD: daily costs less only for resources that change more than 4 times on the days they "
        "change. At 1 change a month each, continuous recording would cost 0.03 USD instead of 0.13 USD."
    ) in result.notes
    override = {"recordingFrequency": "CONTINUOUS", "resourceTypes": ["AWS::SQS::Queue"]}
    mixed = estimate(
        [recorder(recordingMode={"recordingFrequency": "DAILY", "recordingModeOverride": override}), *stack[1:]],
        region="us-east-1",
        prices=PRICES,
    )
    assert config_items(mixed) == {"config-item-continuous": 2, "config-item-daily": 10}


def test_a_stack_that_reuses_a_recorder_pays_for_what_it_records():
    stack = [config_rule("topics", "SNS_ENCRYPTED_KMS"), resource("aws:sns/topic:Topic", "alerts")]
    [line] = [line for line in estimate(stack, region="us-east-1", prices=PRICES).lines if line.what == CONTINUOUS]
    assert (line.quantity, line.resources) == (1, ())
    assert "recorded by the region's recorder this stack reuses" in line.basis[0]
    no_config = estimate(stack[1:], region="us-east-1", prices=PRICES)
    assert config_items(no_config) == {}


def test_the_same_resources_in_any_order_give_the_same_estimate():
    """Alarms in two regions, more than the free tier: the stack's region gets it first, whichever
    alarm the program registered first."""
    home = [alarm(f"home-{n}") for n in range(8)]
    billing = [alarm(f"billing-{n}", region="us-east-1") for n in range(4)]
    stack = [
        *billing,
        *home,
        resource("aws:kms/key:Key", "key"),
        resource("aws:kms/key:Key", "billing-key", region="us-east-1"),
    ]
    results = [
        estimate(order, region="eu-west-1", prices=PRICES)
        for order in (stack, stack[::-1], home + billing + stack[12:])
    ]
    assert results[1] == results[0] and results[2] == results[0]
    free = {(line.item, line.region): line.free for line in results[0].lines}
    assert free[("alarm-metric-standard", "eu-west-1")] == 8 and free[("alarm-metric-standard", "us-east-1")] == 2
    [requests] = [p for p in results[0].per_unit if p.region == "eu-west-1"]
    assert requests.resources == ("key",)


def test_every_type_the_committed_stacks_deploy_is_in_the_recorded_types_table():
    """And every Config type it maps to is one the AWS Config API accepts (botocore's model of it),
    or one the RecordingMode reference names as recorded continuously."""
    types = load_recorded_types()
    deployed = {
        r.type
        for stack in ("dev", "prod")
        for r in preflight_stack(ROOT, stack, mode="preview").registrations
        if r.custom
    }
    assert sorted(t for t in deployed if not types.known(t)) == []
    accepted = set(botocore.session.get_session().get_service_model("config").shape_for("ResourceType").enum)
    assert sorted(set(types.recorded.values()) - accepted - types.continuous_only) == []
    assert not set(types.recorded) & set(types.not_recorded)


def test_continuous_recording_is_cheaper_than_daily_for_dev():
    """dev reuses prod's recorder, which records it continuously; owning one, it would pay more daily."""
    config = yaml.safe_load((ROOT / "Pulumi.dev.yaml").read_text())["config"]
    monthly = {}
    for daily in (False, True):
        lone = {**config, "ops-baseline:awsConfig": {"recorder": "own", "dailyRecording": daily}}
        plan = run_stack_program(lone, mode="preview")
        result = estimate([r for r in plan.registrations if r.custom], region=plan.region, prices=PRICES)
        monthly[daily] = sum(line.monthly for line in result.lines if line.item.startswith("config-item"))
    assert monthly[False] < monthly[True]
    dev = preflight_stack(ROOT, "dev", mode="preview")
    reused = estimate([r for r in dev.registrations if r.custom], region=dev.region, prices=PRICES)
    assert list(config_items(reused)) == ["config-item-continuous"]
