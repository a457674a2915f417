"""The monitoring facade: saved queries, alarms (one factory; names from the plan, actions by topic),
composite alarms and the generated dashboards."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from components.documents import Account
from plan.monitors import Alarm, Monitor, Unbound
from plan.stack import Monitoring as MonitoringPlan
from plan.stack import SavedQuery

from .alarm_factory import burn_rule, composite_rule, metric_alarm_args
from .dashboard import Row, page_body, paginate, widget_count


@dataclass(frozen=True)
class MonitoringArgs:
    plan: MonitoringPlan
    monitors: tuple[Monitor, ...]
    """Every monitor of the stack, in dashboard order."""
    bindings: Mapping[Unbound, pulumi.Input[str]]
    """Dimension values the components that own the watched resources offer (an API id, a name)."""
    topics: Mapping[str, pulumi.Input[str]]
    """Topic ARN by the plan's topic key: ALARM and OK actions of each monitor's alarms."""
    query_log_groups: pulumi.Input[Sequence[str]] = ()
    """Log groups a saved query without its own list opens with (the baseline's log groups)."""
    account: pulumi.Input[Account] | None = None
    """Where the alarms live: the OpsItem actions of critical alarms name its account and region."""


class Monitoring(pulumi.ComponentResource):
    alarm_names: list[str]
    """Every alarm and composite alarm name (known before deployment)."""
    dashboard_names: list[str]

    def __init__(self, name: str, args: MonitoringArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("ops-baseline:monitoring:Monitoring", name, None, opts)
        self._name = name
        self._args = args
        self._child = pulumi.ResourceOptions(parent=self)

        monitors = tuple(monitor.bind(args.bindings) for monitor in args.monitors)
        self.queries = [self._query(query) for query in args.plan.queries]
        self.alarms = [self._alarms(monitor) for monitor in monitors]
        """MetricAlarms per monitor, in the order of `monitors`."""
        self.composites = [
            self._composite(monitor, children)
            for monitor, children in zip(monitors, self.alarms, strict=True)
            if monitor.composite and children
        ]
        self.burn_alerts = [self._burn_alerts(monitor) for monitor in monitors]
        """The SLO composites per monitor, in the order of `monitors` (empty without an objective)."""
        pages = (
            paginate(
                [
                    widget_count(m, len(a) + len(b))
                    for m, a, b in zip(monitors, self.alarms, self.burn_alerts, strict=True)
                ]
            )
            if args.plan.dashboard and monitors
            else []
        )
        self.dashboards = [
            self._dashboard(monitors, indexes, number, len(pages)) for number, indexes in enumerate(pages, 1)
        ]

        self.alarm_names = [alarm.name for monitor in monitors for alarm in monitor.alarms] + [
            monitor.composite.name for monitor in monitors if monitor.composite
        ]
        self.alarm_names += [
            name
            for monitor in monitors
            for alert in (monitor.slo.alerts if monitor.slo else ())
            for name in (alert.long.name, alert.short.name, alert.name)
        ]
        self.dashboard_names = [args.plan.dashboard_name(number) for number in range(1, len(pages) + 1)]
        self.register_outputs({"dashboard_names": self.dashboard_names})

    def _query(self, query: SavedQuery) -> aws.cloudwatch.QueryDefinition:
        return aws.cloudwatch.QueryDefinition(
            f"{self._name}-query-{query.label}",
            name=query.name,
            query_string=query.query,
            log_group_names=list(query.log_groups) or self._args.query_log_groups,
            opts=self._child,
        )

    def _alarms(self, monitor: Monitor) -> list[aws.cloudwatch.MetricAlarm]:
        # Children of a composite stay silent: the composite speaks for the whole resource.
        actions = [] if monitor.composite else [self._args.topics[monitor.topic]]
        return [self._metric_alarm(monitor, alarm, actions) for alarm in monitor.alarms]

    def _metric_alarm(
        self, monitor: Monitor, alarm: Alarm, actions: list[pulumi.Input[str]]
    ) -> aws.cloudwatch.MetricAlarm:
        note = f"ops-baseline {self._args.plan.environment}."
        escalations = self._escalations(monitor, alarm.spec.severity, composite=False) if actions else []
        return aws.cloudwatch.MetricAlarm(
            f"{self._name}-{monitor.label}-{alarm.spec.what}-{alarm.spec.severity}",
            **metric_alarm_args(monitor, alarm, actions, note, escalations),
            opts=self._child,
        )

    def _escalations(self, monitor: Monitor, severity: str, *, composite: bool) -> list[pulumi.Output[str]]:
        """The OpsItem and incident a notifying critical alarm opens, in the alarm's account and region."""
        escalation = self._args.plan.escalation
        if escalation is None or severity != "critical":
            return []
        if self._args.account is None:
            raise ValueError("MonitoringArgs.account is required when the plan escalates critical alarms")
        account = pulumi.Output.from_input(self._args.account)

        def action(template: str) -> pulumi.Output[str]:
            return account.apply(
                lambda a: template.format(
                    partition=a.partition, region=monitor.region or a.region, account=a.account_id
                )
            )

        return [action(template) for template in escalation.actions(composite=composite)]

    def _burn_alerts(self, monitor: Monitor) -> list[aws.cloudwatch.CompositeAlarm]:
        """Each SLO alert: two silent window alarms and the AND composite that notifies for them."""
        if monitor.slo is None:
            return []
        objective = monitor.slo.objective
        return [
            self._composite_alarm(
                monitor,
                alert.alert.what,
                alert.alert.severity,
                alert.name,
                burn_rule(alert),
                f"errors burn the {objective.objective:g}% / {objective.window} error budget at "
                f"{alert.alert.burn_rate:g}x or faster over both {alert.alert.windows} "
                f"({alert.alert.budget_percent:g}% of the budget in the first).",
                [self._metric_alarm(monitor, alarm, []) for alarm in (alert.long, alert.short)],
            )
            for alert in monitor.slo.alerts
        ]

    def _composite(self, monitor: Monitor, children: list[aws.cloudwatch.MetricAlarm]) -> aws.cloudwatch.CompositeAlarm:
        assert monitor.composite is not None
        return self._composite_alarm(
            monitor,
            "composite",
            monitor.composite.severity,
            monitor.composite.name,
            composite_rule(monitor),
            f"any of its {len(children)} alarms is in ALARM.",
            children,
        )

    def _composite_alarm(
        self,
        monitor: Monitor,
        what: str,
        severity: str,
        name: str,
        rule: str,
        description: str,
        children: list[aws.cloudwatch.MetricAlarm],
    ) -> aws.cloudwatch.CompositeAlarm:
        actions = [self._args.topics[monitor.topic]]
        return aws.cloudwatch.CompositeAlarm(
            f"{self._name}-{monitor.label}-{what}-{severity}",
            alarm_name=name,
            alarm_description=f"{monitor.label}: {description} ops-baseline {self._args.plan.environment}.",
            alarm_rule=rule,
            actions_enabled=True,
            alarm_actions=[*actions, *self._escalations(monitor, severity, composite=True)],
            ok_actions=actions,
            region=monitor.region,
            # The rule names the children; CloudWatch rejects a rule naming alarms that do not exist yet.
            opts=pulumi.ResourceOptions.merge(self._child, pulumi.ResourceOptions(depends_on=children)),
        )

    def _dashboard(
        self, monitors: tuple[Monitor, ...], indexes: list[int], number: int, pages: int
    ) -> aws.cloudwatch.Dashboard:
        plan = self._args.plan
        title = plan.title + (f" (page {number} of {pages})" if pages > 1 else "")
        page = [monitors[i] for i in indexes]
        body = pulumi.Output.all(
            [pulumi.Output.from_input(dict(m.dimensions)) for m in page],
            [[*(a.arn for a in self.alarms[i]), *(c.arn for c in self.burn_alerts[i])] for i in indexes],
        ).apply(
            lambda resolved: json.dumps(
                page_body(
                    title,
                    plan.region,
                    [Row(m, dims, tuple(arns)) for m, dims, arns in zip(page, *resolved, strict=True)],
                )
            )
        )
        suffix = "" if number == 1 else f"-{number}"
        return aws.cloudwatch.Dashboard(
            f"{self._name}-dashboard{suffix}",
            dashboard_name=plan.dashboard_name(number),
            dashboard_body=body,
            opts=self._child,
        )
