"""The component package (provider/): the SDK's component provider host started as the engine starts
a plugin, its schema over gRPC, and Construct under the offline engine's mocks registering what the
Python API registers for the same inputs."""

from __future__ import annotations

import json
import subprocess
import sys

import grpc
import pytest
import yaml
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from ops_baseline import AlertTarget, ServiceMonitoring, Watch, package
from tests.conftest import ROOT, run_components

PLUGIN = ROOT / "provider"
TOKEN = "ops-baseline:index:ServiceMonitoring"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:ops-prod-alerts"


LISTS = {
    "Function": "functions",
    "HttpApi": "httpApis",
    "Queue": "queues",
    "EcsService": "ecsServices",
    "TargetGroup": "targetGroups",
    "Table": "tables",
    "StateMachine": "stateMachines",
}
"""The component's list input of each entry type."""


@pytest.fixture(scope="module")
def schema():
    """GetSchema from the plugin, run as the Python language host runs one: its directory, with the
    engine's address as the argument; the plugin prints its port first."""
    host = subprocess.Popen(
        [sys.executable, "-u", str(PLUGIN), "127.0.0.1:1"], cwd=PLUGIN, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(host.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            answer = provider_pb2_grpc.ResourceProviderStub(channel).GetSchema(
                provider_pb2.GetSchemaRequest(), timeout=60
            )
        return json.loads(answer.schema)
    finally:
        host.terminate()
        host.wait(timeout=30)


def test_the_plugin_is_a_python_component_package():
    manifest = yaml.safe_load((PLUGIN / "PulumiPlugin.yaml").read_text())
    assert manifest["runtime"]["name"] == "python"


def test_the_schema_has_the_component_with_every_input_and_output(schema):
    assert (schema["name"], list(schema["resources"])) == ("ops-baseline", [TOKEN])
    component = schema["resources"][TOKEN]
    assert component["isComponent"]
    assert sorted(component["inputProperties"]) == [
        "alertTopicArn", "dashboard", "ecsServices", "environment", "functions", "httpApis", "queues",
        "region", "stateMachines", "tables", "tags", "targetGroups",
    ]  # fmt: skip
    assert sorted(component["requiredInputs"]) == ["alertTopicArn", "environment", "region"]
    assert sorted(component["properties"]) == sorted(component["required"]) == ["alarmNames", "dashboardNames"]
    # The label names alarms before anything is deployed: plain. Names may be other resources' Outputs.
    assert (
        component["inputProperties"]["environment"]["plain"]
        and "plain" not in component["inputProperties"]["alertTopicArn"]
    )
    types = schema["types"]
    expected = {
        "Function": ("functionName", {"timeoutSeconds", "composite", "alarms"}),
        "HttpApi": ("apiId", {"stage", "composite", "alarms"}),
        "Queue": ("queueName", {"deadLetterLabel", "deadLetterQueueName", "composite", "alarms"}),
        "EcsService": ("serviceName", {"clusterName", "containerInsights", "composite", "alarms"}),
        "TargetGroup": ("targetGroup", {"loadBalancer", "composite", "alarms"}),
        "Table": ("tableName", {"composite", "alarms"}),
        "StateMachine": ("stateMachineArn", {"composite", "alarms"}),
    }
    for name, (named_by, others) in expected.items():
        properties = types[f"ops-baseline:index:{name}"]["properties"]
        assert set(properties) == {"label", named_by, *others}, name
        assert properties["label"]["plain"] and "plain" not in properties[named_by], name
        assert all(p.get("description") for p in properties.values()), name
        listed = component["inputProperties"][LISTS[name]]
        assert listed["items"]["$ref"] == f"#/types/ops-baseline:index:{name}"
    assert set(types["ops-baseline:index:AlarmOverride"]["properties"]) == {
        "enabled", "threshold", "percentOfTimeout", "severity", "period", "evaluationPeriods",
        "datapointsToAlarm", "treatMissingData",
    }  # fmt: skip


INPUTS = {
    "environment": "prod",
    "region": "eu-west-1",
    "alertTopicArn": TOPIC,
    "tags": {"team": "orders"},
    "functions": [{"label": "orders", "functionName": "orders", "timeoutSeconds": 30, "alarms": {"errorRate": {}}}],
    "httpApis": [{"label": "orders-api", "apiId": "a1b2c3d4e5"}],
    "queues": [
        {
            "label": "orders-queue",
            "queueName": "orders-queue",
            "deadLetterLabel": "orders-dlq",
            "deadLetterQueueName": "orders-dlq",
        }
    ],
    "ecsServices": [
        {"label": "web", "clusterName": "arn:aws:ecs:eu-west-1:123456789012:cluster/main", "serviceName": "web"}
    ],
    "targetGroups": [
        {
            "label": "web-tg",
            "loadBalancer": "app/web/50dc6c495c0c9188",
            "targetGroup": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/943f017f100becff",
        }
    ],
    "tables": [{"label": "orders", "tableName": "orders", "alarms": {"systemErrors": {"severity": "warning"}}}],
    "stateMachines": [
        {"label": "checkout", "stateMachineArn": "arn:aws:states:eu-west-1:123456789012:stateMachine:checkout"}
    ],
}


def python_api():
    ServiceMonitoring(
        "orders",
        alerts=AlertTarget("prod", "eu-west-1", TOPIC),
        tags={"team": "orders"},
        functions=[Watch("orders", timeout_seconds=30, alarms={"errorRate": {}})],
        http_apis=[Watch("a1b2c3d4e5", name="orders-api")],
        queues=[Watch("orders-queue", dead_letter_queue="orders-dlq")],
        ecs_services=[Watch("web", cluster="arn:aws:ecs:eu-west-1:123456789012:cluster/main")],
        target_groups=[
            Watch(
                "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/943f017f100becff",
                name="web-tg",
                load_balancer="app/web/50dc6c495c0c9188",
            )
        ],
        tables=[Watch("orders", alarms={"systemErrors": {"severity": "warning"}})],
        state_machines=[Watch("arn:aws:states:eu-west-1:123456789012:stateMachine:checkout", name="checkout")],
    )


def constructed():
    ComponentProvider([package.ServiceMonitoring], package.PACKAGE).construct("orders", TOKEN, INPUTS)


def registered(plan):
    return sorted((r.type, r.name, r.parent or "", json.dumps(r.inputs, sort_keys=True)) for r in plan.registrations)


def test_construct_registers_what_the_python_api_registers_for_the_same_inputs():
    from_package = run_components(constructed)
    from_python = run_components(python_api)
    assert registered(from_package) == registered(from_python)
    alarms = [r for r in from_package.registrations if r.type == "aws:cloudwatch/metricAlarm:MetricAlarm"]
    assert len(alarms) == 21 and all(r.inputs["tags"]["team"] == "orders" for r in alarms)
    (component,) = [r for r in from_package.registrations if r.type == TOKEN]
    assert component.name == "orders"


def test_a_bad_entry_fails_construct_with_the_problem_named():
    bad = {**INPUTS, "tables": [{"label": "orders", "tableName": "orders", "alarms": {"systemEror": {}}}]}
    with pytest.raises(Exception, match=r"tables\[0\]\.alarms\.systemEror: unknown alarm for a DynamoDB table"):
        run_components(
            lambda: ComponentProvider([package.ServiceMonitoring], package.PACKAGE).construct("orders", TOKEN, bad)
        )
