"""VPC flow logs as the stack deploys them: one log group per VPC, written through one role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from settings import Settings

from .naming import Naming, flow_log_group


@dataclass(frozen=True)
class FlowLogs:
    role_name: str
    log_groups: Mapping[str, str]
    """VPC id → its log group (a LogGroups member)."""


def flow_logs(settings: Settings, naming: Naming) -> FlowLogs | None:
    vpcs = settings.flow_logs.vpc_ids
    if not vpcs:
        return None
    return FlowLogs(naming.physical("flow-logs-role"), {vpc: flow_log_group(vpc) for vpc in vpcs})
