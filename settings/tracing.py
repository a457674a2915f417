"""The X-Ray section: the region's encryption configuration, sampling rules and groups."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import field_checks
from .monitoring import duplicates
from .regions import Ownership
from .schema import setting

XRAY_GROUP = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class SamplingRuleSettings:
    name: str = setting(
        "Rule name (1-32 letters, digits, '-' and '_').",
        check=field_checks.matches(XRAY_GROUP, "1-32 letters, digits, '-' and '_'"),
    )
    priority: int = setting("Lower wins; 1-9999.", check=field_checks.between(1, 9999))
    fixed_rate: float = setting("Share of requests sampled after the reservoir, 0-1.", check=field_checks.between(0, 1))
    reservoir_size: int = setting(
        "Requests per second sampled before fixedRate applies.", default=1, check=field_checks.between(0, 1e9)
    )
    service_name: str = setting("Service name to match (`*` any).", default="*")
    service_type: str = setting("Service type, e.g. `AWS::Lambda::Function` (`*` any).", default="*")
    host: str = setting("Host header to match.", default="*")
    http_method: str = setting("HTTP method to match.", default="*")
    url_path: str = setting("URL path to match, e.g. `/health*`.", default="*")
    resource_arn: str = setting("Resource ARN to match.", default="*")


@dataclass(frozen=True)
class XRayGroupSettings:
    name: str = setting(
        "Group name (1-32 letters, digits, '-' and '_').",
        check=field_checks.matches(XRAY_GROUP, "1-32 letters, digits, '-' and '_'"),
    )
    filter_expression: str = setting(
        'Filter expression, e.g. `service("orders") AND responsetime > 1`.',
        check=lambda v: None if 0 < len(v) <= 2000 else "must be 1-2000 characters",
    )


@dataclass(frozen=True)
class XRaySettings:
    enabled: bool = setting(
        "Manage sampling rules and groups and, with `encryption: own`, encrypt traces with the customer key.",
        default=True,
    )
    encryption: Ownership = setting(
        "The region's one X-Ray encryption configuration: `own` points it at this stack's key; `reuse` leaves "
        "it to the stack that owns it (traces of this stack are then encrypted with that stack's key).",
        default="own",
    )
    sampling_rules: tuple[SamplingRuleSettings, ...] = setting(
        "Sampling rules on top of X-Ray's default (1 request per second, then 5%).", default=()
    )
    groups: tuple[XRayGroupSettings, ...] = setting(
        "Groups with Insights on; one per monitored Lambda function is added automatically.", default=()
    )

    def problems(self) -> Iterator[tuple[str, Any, str]]:
        yield from duplicates([r.name for r in self.sampling_rules], "samplingRules")
        yield from duplicates([g.name for g in self.groups], "groups")
        priorities: dict[int, str] = {}
        for i, rule in enumerate(self.sampling_rules):
            if rule.priority in priorities:
                yield (
                    f"samplingRules[{i}].priority",
                    rule.priority,
                    f"is also the priority of {priorities[rule.priority]}; make the order explicit",
                )
            priorities.setdefault(rule.priority, rule.name)
