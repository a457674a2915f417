"""ops-baseline for application programs: the baseline's monitoring for resources your own Pulumi
program owns, with the same alarm kinds, names, defaults and dashboard rows as the baseline's stack
config gives them, notifying the baseline's alerting topic.

    import pulumi
    from ops_baseline import AlertTarget, ServiceMonitoring, Watch

    alerts = AlertTarget.from_stack_reference("acme/ops-baseline/prod")
    ServiceMonitoring(
        "orders",
        alerts=alerts,
        functions=[Watch(handler, timeout_seconds=30)],
        http_apis=[api],
        queues=[Watch(queue, dead_letter_queue=dead_letters)],
    )

Each list takes Pulumi resources, `Watch(resource_or_name, **options)` with the options of the
matching stack-config entry (snake_case or camelCase), or that entry itself as a mapping
(`{"functionName": "orders"}`). A resource's logical name labels its alarms
(`ops-prod-<label>-errors-critical`); its physical name, an Output, goes into the metrics' dimensions.
"""

from .monitoring import AlertTarget, Named, ServiceMonitoring, Watch, service_monitors

__all__ = ["AlertTarget", "Named", "ServiceMonitoring", "Watch", "service_monitors"]
