"""Monitoring: a facade component over per-service monitors, one alarm factory and generated dashboards."""

from .component import Monitoring, MonitoringArgs
from .monitors import (
    BILLING_REGION,
    Monitor,
    billing_monitor,
    canary_monitor,
    custom_metric_monitor,
    http_api_monitor,
    lambda_monitor,
    notifier_monitors,
)

__all__ = [
    "BILLING_REGION",
    "Monitor",
    "Monitoring",
    "MonitoringArgs",
    "billing_monitor",
    "canary_monitor",
    "custom_metric_monitor",
    "http_api_monitor",
    "lambda_monitor",
    "notifier_monitors",
]
