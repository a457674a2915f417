"""The interfaces report formats implement: the whole preflight, the cost estimate alone for
`opsctl cost` (where the format has one), and a live audit."""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..report import AuditReport, PreflightReport


class Formatter(ABC):
    @abstractmethod
    def render(self, report: PreflightReport) -> str:
        """Return the whole report as text; never print."""


class CostFormatter(ABC):
    @abstractmethod
    def render_cost(self, report: PreflightReport) -> str:
        """Return the report's cost estimate (and its change against the baseline) as text; never print."""


class AuditFormatter(ABC):
    @abstractmethod
    def render_audit(self, report: AuditReport) -> str:
        """Return a live audit's findings, checks and fixes as text; never print."""
