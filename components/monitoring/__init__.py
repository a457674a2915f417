"""Monitoring: the log groups and a facade over the plan's monitors, one alarm factory and generated dashboards."""

from .component import Monitoring, MonitoringArgs
from .log_groups import LogGroups, LogGroupsArgs

__all__ = ["LogGroups", "LogGroupsArgs", "Monitoring", "MonitoringArgs"]
