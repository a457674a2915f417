"""Every deployed resource keeps its identity: a changed type, name or parent is a new URN, and a new
URN is a replace on the next `pulumi up` (a log group's history, a trail bucket's audit data).

The recorded plans of the committed stacks, and of a stack that switches on every feature, are
compared with reviewed snapshots of each resource's URN and parent. Refresh a snapshot only for an
intended change (UPDATE_SNAPSHOTS=1) and say in the change how existing stacks move (aliases).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from opsctl.engine import ProgramRun, preflight_stack
from tests.conftest import ROOT, VALID_CONFIG, run_stack_program

SNAPSHOTS = Path(__file__).parent / "snapshots"

EVERYTHING = {
    **VALID_CONFIG,
    "ops-baseline:sampleWorkload": True,
    "ops-baseline:alerting": {
        **VALID_CONFIG["ops-baseline:alerting"],
        "slack": {
            **VALID_CONFIG["ops-baseline:alerting"]["slack"],
            "channel": "C0ALERTS01",
            "botToken": "xoxb-1111111111-2222222222-everything",
            "routes": [
                {
                    "name": "incidents",
                    "channel": "C0INCIDENT",
                    "webhookUrl": "https://hooks.slack.com/services/T0/B1/def",
                    "severities": ["critical"],
                }
            ],
        },
    },
    "ops-baseline:monitoring": {
        "namespace": "Shop/Ops",
        "logGroups": [
            {
                "name": "/aws/lambda/orders",
                "adopted": True,
                "metricFilters": [
                    {"name": "order-errors", "pattern": "ERROR", "metricName": "OrderErrors"},
                    {"name": "slow-orders", "pattern": "SLOW", "metricName": "SlowOrders", "alarm": {"enabled": False}},
                ],
                "subscription": {"destinationArn": "arn:aws:lambda:eu-west-1:123456789012:function:ship-logs"},
            },
            {"name": "/app/payments", "retentionDays": 90},
        ],
        "queries": [{"name": "errors", "query": "fields @message | filter @message like /ERROR/"}],
        "lambdaFunctions": [
            {
                "functionName": "orders",
                "timeoutSeconds": 30,
                "composite": True,
                "alarms": {"errorRate": {}},
                "slo": {"objective": 99.9},
            },
            {"functionName": "payments", "alarms": {"throttles": {"enabled": False}, "iteratorAge": {}}},
        ],
        "httpApis": [
            {
                "name": "shop",
                "apiId": "a1b2c3d4e5",
                "composite": True,
                "alarms": {"serverErrorRate": {}},
                "slo": {"objective": 99.5, "window": "28d"},
            },
            {"name": "admin", "apiId": "f6g7h8i9j0", "accessLogGroup": False},
        ],
        "customMetrics": [
            {
                "name": "checkouts",
                "namespace": "Shop/Checkout",
                "metricName": "Completed",
                "dimensions": {"Service": "checkout"},
                "comparison": "lessThan",
                "alarm": {"threshold": 1, "period": 3600, "evaluationPeriods": 3},
            }
        ],
        "canaries": [{"name": "shop-health", "urls": ["https://shop.example.com/health"]}],
        "billing": {"thresholdUsd": 100},
    },
    "ops-baseline:cloudTrail": {
        "cisDashboard": True,
        "cisControls": {"CloudWatch.3": {"enabled": False}, "CloudWatch.1": {"threshold": 2}},
        "eventRules": ["root-sign-in", "config-non-compliant"],
    },
    "ops-baseline:awsConfig": {"aggregator": "organization", "conformancePack": True},
    "ops-baseline:xray": {
        "samplingRules": [{"name": "health", "priority": 10, "fixedRate": 0, "urlPath": "/health*"}],
        "groups": [{"name": "slow", "filterExpression": "responsetime > 2"}],
    },
    "ops-baseline:ecr": {"repositories": [{"name": "shop/orders"}], "registryScanning": "enhanced"},
    "ops-baseline:flowLogs": {"vpcIds": ["vpc-0a1b2c3d4e5f67890"]},
}


def identities(plan: ProgramRun) -> list[list[str]]:
    return sorted([r.urn, r.parent or ""] for r in plan.registrations)


def recorded(stack: str) -> ProgramRun:
    if stack == "everything":
        return run_stack_program(EVERYTHING)
    return preflight_stack(ROOT, stack, mode="up")


@pytest.mark.parametrize("stack", ["dev", "prod", "everything"])
def test_every_resource_keeps_its_urn_and_parent(stack):
    found = identities(recorded(stack))
    snapshot = SNAPSHOTS / f"identity-{stack}.json"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        snapshot.write_text(json.dumps(found, indent=1) + "\n")
    expected = json.loads(snapshot.read_text())
    assert [urn for urn, _ in found if [urn, _] not in expected] == [], "new or changed resources"
    assert [urn for urn, _ in expected if [urn, _] not in found] == [], "resources gone or changed"
    assert found == expected
