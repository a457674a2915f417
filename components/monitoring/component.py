"""The monitoring facade: saved queries, alarms (one factory, one naming and action strategy),
composite alarms and the generated dashboards."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from settings.monitoring import QuerySettings, composite_severity

from .dashboard import Row, page_body, paginate, widget_count
from .log_groups import slug
from .monitors import Monitor, composite_rule, metric_alarm_args


@dataclass(frozen=True)
class MonitoringArgs:
    prefix: str
    """Physical-name prefix, e.g. `ops-prod`: alarms, filters, queries and dashboards start with it."""
    environment: str
    region: str
    topic_arn: pulumi.Input[str]
    """Alerting topic: ALARM and OK actions of every alarm in the stack's region."""
    queries: tuple[QuerySettings, ...] = ()
    query_log_groups: pulumi.Input[list[str]] = ()
    """Log groups a saved query without its own list opens with (the baseline's log groups)."""
    monitors: tuple[Monitor, ...] = ()
    dashboard: bool = True


class Monitoring(pulumi.ComponentResource):
    alarm_names: list[str]
    """Every alarm and composite alarm name (known before deployment)."""
    dashboard_names: list[str]

    def __init__(self, name: str, args: MonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:monitoring:Monitoring", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)

        monitors = args.monitors
        self.queries = [self._query(query) for query in args.queries]
        self.alarms = [self._alarms(monitor) for monitor in monitors]
        """MetricAlarms per monitor, in the order of `monitors`."""
        self.composites = [
            self._composite(monitor, children)
            for monitor, children in zip(monitors, self.alarms, strict=True)
            if monitor.composite and children
        ]
        pages = (
            paginate([widget_count(m, len(a)) for m, a in zip(monitors, self.alarms, strict=True)])
            if args.dashboard and monitors
            else []
        )
        self.dashboards = [
            self._dashboard(monitors, indexes, number, len(pages)) for number, indexes in enumerate(pages, 1)
        ]

        self.alarm_names = [monitor.alarm_name(args.prefix, p) for monitor in monitors for p in monitor.policies] + [
            monitor.composite_name(args.prefix) for monitor in monitors if monitor.composite and monitor.policies
        ]
        self.dashboard_names = [dashboard_name(args.prefix, number) for number in range(1, len(pages) + 1)]
        self.register_outputs({"dashboard_names": self.dashboard_names})

    def _query(self, query: QuerySettings) -> aws.cloudwatch.QueryDefinition:
        return aws.cloudwatch.QueryDefinition(
            f"{self._name}-query-{slug(query.name)}",
            name=f"{self._args.prefix}/{query.name}",
            query_string=query.query,
            log_group_names=list(query.log_groups) or self._args.query_log_groups,
            opts=self._child,
        )

    def _alarms(self, monitor: Monitor) -> list[aws.cloudwatch.MetricAlarm]:
        args = self._args
        # Children of a composite stay silent: the composite speaks for the whole resource.
        actions = [] if monitor.composite else [monitor.topic_arn or args.topic_arn]
        note = f"ops-baseline {args.environment}."
        return [
            aws.cloudwatch.MetricAlarm(
                f"{self._name}-{monitor.label}-{policy.what}-{policy.severity}",
                **metric_alarm_args(args.prefix, monitor, policy, actions, note),
                opts=self._child,
            )
            for policy in monitor.policies
        ]

    def _composite(self, monitor: Monitor, children: list[aws.cloudwatch.MetricAlarm]) -> aws.cloudwatch.CompositeAlarm:
        args = self._args
        actions = [monitor.topic_arn or args.topic_arn]
        return aws.cloudwatch.CompositeAlarm(
            f"{self._name}-{monitor.label}-composite-{composite_severity(monitor.policies)}",
            alarm_name=monitor.composite_name(args.prefix),
            alarm_description=(
                f"{monitor.label}: any of its {len(children)} alarms is in ALARM. ops-baseline {args.environment}."
            ),
            alarm_rule=composite_rule(args.prefix, monitor),
            actions_enabled=True,
            alarm_actions=actions,
            ok_actions=actions,
            region=monitor.region,
            # The rule names the children; CloudWatch rejects a rule naming alarms that do not exist yet.
            opts=pulumi.ResourceOptions.merge(self._child, pulumi.ResourceOptions(depends_on=children)),
        )

    def _dashboard(
        self, monitors: tuple[Monitor, ...], indexes: list[int], number: int, pages: int
    ) -> aws.cloudwatch.Dashboard:
        args = self._args
        title = f"ops-baseline {args.environment}" + (f" (page {number} of {pages})" if pages > 1 else "")
        page = [monitors[i] for i in indexes]
        body = pulumi.Output.all(
            [pulumi.Output.from_input(dict(m.dimensions)) for m in page],
            [[alarm.arn for alarm in self.alarms[i]] for i in indexes],
        ).apply(
            lambda resolved: json.dumps(
                page_body(
                    title,
                    args.region,
                    args.prefix,
                    [Row(m, dims, tuple(arns)) for m, dims, arns in zip(page, *resolved, strict=True)],
                )
            )
        )
        suffix = "" if number == 1 else f"-{number}"
        return aws.cloudwatch.Dashboard(
            f"{self._name}-dashboard{suffix}",
            dashboard_name=dashboard_name(args.prefix, number),
            dashboard_body=body,
            opts=self._child,
        )


def dashboard_name(prefix: str, page: int) -> str:
    return prefix if page == 1 else f"{prefix}-{page}"
