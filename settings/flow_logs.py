"""The VPC flow logs section."""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import field_checks
from .monitoring import retention_days
from .schema import setting

VPC_ID = re.compile(r"^vpc-[0-9a-f]{8}([0-9a-f]{9})?$")


@dataclass(frozen=True)
class FlowLogSettings:
    vpc_ids: tuple[str, ...] = setting(
        "VPCs whose traffic (ALL: accepted and rejected) is logged to `/aws/vpc/flow-logs/<vpc id>`.",
        default=(),
        item_check=field_checks.matches(VPC_ID, "a VPC id like vpc-0a1b2c3d4e5f67890"),
        check=field_checks.unique,
    )
    retention_days: int | None = setting(
        "Retention of the flow-log groups; defaults to `logRetentionDays`.",
        default=None,
        check=lambda v: None if v is None else retention_days(v),
    )
