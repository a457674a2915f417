"""CloudWatch Logs: log groups and their metric filters."""

from __future__ import annotations

from collections.abc import Iterator

from policies.guardrails.tokens import LOG_GROUP, LOG_METRIC_FILTER

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


SOURCE = Source("logs", (LOG_GROUP, LOG_METRIC_FILTER), read)
