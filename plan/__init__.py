"""The plan: what a stack deploys, built once from validated settings, before any resource exists.

Settings say what a user wrote; the plan decides what that means: alarm kinds and their specs, every
physical name (one `Naming`), the log groups and their filters, the monitors with their dashboard
rows, the event rules and Config rules. Components take plan nodes and create exactly them.

    plan = plan_stack(config)   # or load_plan() inside a Pulumi program

Every problem is reported at once, as settings report theirs: the plan's rules for an entry (an
unknown alarm kind, a threshold CloudWatch rejects) run while settings parse, and the rules that
span the stack (unique alarm names, a log group created twice) once everything parsed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from settings import NAMESPACE, SettingsError, parse_settings, runtime_config
from settings.monitoring import (
    CanarySettings,
    CustomMetricSettings,
    HttpApiSettings,
    LambdaFunctionSettings,
    MetricFilterSettings,
)
from settings.schema import SectionChecks, issue, join
from settings.slo import SloSettings

from . import services, slo
from .alarms import entry_problems, resolve
from .log_groups import filter_problems
from .monitors import canary, custom_metric, http_api, lambda_
from .stack import StackPlan, build, problems

__all__ = ["SECTION_CHECKS", "StackPlan", "load_plan", "plan_stack"]

SECTION_CHECKS: SectionChecks = {
    LambdaFunctionSettings: lambda fn: lambda_.KINDS.problems(fn.alarms, timeout_seconds=fn.timeout_seconds),
    HttpApiSettings: lambda api: http_api.KINDS.problems(api.alarms),
    CustomMetricSettings: custom_metric.problems,
    MetricFilterSettings: filter_problems,
    CanarySettings: lambda c: entry_problems(resolve(canary.SUCCESS, c.alarm), c.alarm, "alarm"),
    **services.SECTION_CHECKS,
    SloSettings: slo.problems,
}
"""The plan's rules for single settings entries, run by the settings parser."""


def plan_stack(config: Mapping[str, Any], secret_keys: Iterable[str] = ()) -> StackPlan:
    """Validate a stack's config (full Pulumi keys) and plan it; raise SettingsError with every problem."""
    settings = parse_settings(config, secret_keys, SECTION_CHECKS)
    plan = build(settings)
    found = [
        issue(join(f"{NAMESPACE}:", key), problem, value=value) for key, value, problem in problems(settings, plan)
    ]
    if found:
        raise SettingsError(found)
    return plan


def load_plan() -> StackPlan:
    """Plan the running Pulumi program's stack (real engine or the offline mocks)."""
    return plan_stack(*runtime_config())
