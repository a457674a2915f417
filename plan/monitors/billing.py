"""The billing alarm: month-to-date `EstimatedCharges`, which AWS publishes in us-east-1 only."""

from __future__ import annotations

from settings.alarms import AlarmSettings

from ..alarms import AlarmKind, fixed_spec
from ..naming import Naming
from .model import Monitor, monitor

REGION = "us-east-1"
KIND = AlarmKind(
    key="billing",
    what="estimated-charges",
    metric="EstimatedCharges",
    statistic="Maximum",
    description="Month-to-date estimated charges passed the budget.",
    threshold=None,
    unit="USD",
    treat_missing_data="missing",
    severity="warning",
    period=21_600,
    min_threshold=None,
)
"""AWS publishes EstimatedCharges several times a day; a 6-hour period sees every update."""


def billing_monitor(naming: Naming, threshold_usd: float, *, topic: str, source: str) -> Monitor:
    """`topic` must be a topic in us-east-1, next to the alarm."""
    return monitor(
        naming,
        service="billing",
        label="billing",
        namespace="AWS/Billing",
        dimensions={"Currency": "USD"},
        specs=(fixed_spec(KIND, AlarmSettings(threshold=threshold_usd)),),
        source=source,
        region=REGION,
        topic=topic,
        widgets=(("Estimated charges (USD, month to date)", (("EstimatedCharges", "Maximum"),)),),
    )
