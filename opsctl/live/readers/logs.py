"""CloudWatch Logs: log groups, their metric filters and the resource policies that let others write or read logs."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.vocabulary.tokens import LOG_GROUP, LOG_METRIC_FILTER, LOG_RESOURCE_POLICY

from ..accounts import Account
from ..inventory import Inventory, LiveResource, Source, pages


def read(account: Account, region: str, inventory: Inventory) -> Iterator[LiveResource]:
    client = account.client("logs", region)
    for group in pages(client, "describe_log_groups", "logGroups"):
        arn = group.get("arn", "").removesuffix(":*")
        props = {"name": group["logGroupName"], "arn": arn, "logGroupClass": group.get("logGroupClass", "STANDARD")}
        if "retentionInDays" in group:  # absent: kept forever
            props["retentionInDays"] = group["retentionInDays"]
        if group.get("kmsKeyId"):
            props["kmsKeyId"] = group["kmsKeyId"]
        yield LiveResource(LOG_GROUP, group["logGroupName"], arn, props, region)
    for metric_filter in pages(client, "describe_metric_filters", "metricFilters"):
        transformation = (metric_filter.get("metricTransformations") or [{}])[0]
        props = {
            "name": metric_filter["filterName"],
            "logGroupName": metric_filter["logGroupName"],
            "pattern": metric_filter.get("filterPattern", ""),
            "metricTransformation": {
                key: transformation[source]
                for key, source in (
                    ("name", "metricName"),
                    ("namespace", "metricNamespace"),
                    ("value", "metricValue"),
                    ("defaultValue", "defaultValue"),
                )
                if source in transformation
            },
        }
        identity = f"{metric_filter['logGroupName']}:{metric_filter['filterName']}"
        yield LiveResource(LOG_METRIC_FILTER, metric_filter["filterName"], identity, props, region)
    yield from resource_policies(client, region)


def resource_policies(client, region: str) -> Iterator[LiveResource]:
    """Account-wide policies (named) and those on one log group (named by its ARN)."""
    for policy in pages(client, "describe_resource_policies", "resourcePolicies"):
        props = {"policyDocument": policy.get("policyDocument", "")}
        for key in ("policyName", "resourceArn"):
            if policy.get(key):
                props[key] = policy[key]
        name = policy.get("policyName") or policy.get("resourceArn", "")
        yield LiveResource(LOG_RESOURCE_POLICY, name, f"logs-resource-policy:{region}:{name}", props, region)


SOURCE = Source("logs", (LOG_GROUP, LOG_METRIC_FILTER, LOG_RESOURCE_POLICY), read)
