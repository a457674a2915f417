"""X-Ray as the stack deploys it: sampling rules, and groups (the configured ones and one per traced
function), encrypted with the stack's key when it owns the region's encryption configuration."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from settings import Settings

from .naming import Naming

X_RAY_GROUP_NAME_LIMIT = 32


@dataclass(frozen=True)
class SamplingRule:
    name: str
    priority: int
    fixed_rate: float
    reservoir_size: int
    service_name: str
    service_type: str
    host: str
    http_method: str
    url_path: str
    resource_arn: str


@dataclass(frozen=True)
class XRayGroup:
    name: str
    filter_expression: str


@dataclass(frozen=True)
class Tracing:
    owns_encryption: bool
    """The stack points the region's X-Ray encryption at its key; otherwise another stack does."""
    sampling_rules: tuple[SamplingRule, ...]
    groups: tuple[XRayGroup, ...]


def function_group(function_name: str) -> XRayGroup:
    """A group per monitored function; long names are cut and made unique with a digest."""
    name = function_name
    if len(name) > X_RAY_GROUP_NAME_LIMIT:
        name = f"{function_name[:23]}-{hashlib.sha256(function_name.encode()).hexdigest()[:8]}"
    return XRayGroup(name=name, filter_expression=f'service("{function_name}")')


def tracing(settings: Settings, naming: Naming) -> Tracing | None:
    section = settings.xray
    if not section.enabled:
        return None
    traced = [fn.function_name for fn in settings.monitoring.lambda_functions]
    if settings.sample_workload:
        traced.append(naming.sample_function)
    configured = [XRayGroup(g.name, g.filter_expression) for g in section.groups]
    names = {g.name for g in configured}
    groups = [*configured, *(g for g in map(function_group, traced) if g.name not in names)]
    return Tracing(
        owns_encryption=section.encryption == "own",
        sampling_rules=tuple(
            SamplingRule(
                r.name,
                r.priority,
                r.fixed_rate,
                r.reservoir_size,
                r.service_name,
                r.service_type,
                r.host,
                r.http_method,
                r.url_path,
                r.resource_arn,
            )
            for r in section.sampling_rules
        ),
        # A function named like a configured group, or two functions cut to one name, get one group.
        groups=tuple({g.name: g for g in groups}.values()),
    )
