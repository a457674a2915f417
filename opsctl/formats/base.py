"""The interfaces report formats implement: the whole preflight, a live audit, and verify's and
drill's reports (ReportFormatter, every format), and the cost estimate alone for `opsctl cost`
(CostFormatter, where the format has one)."""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..report import AuditReport, DrillReport, PreflightReport, VerifyReport


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


class VerifyFormatter(ABC):
    @abstractmethod
    def render_verify(self, report: VerifyReport) -> str:
        """Return the gaps between the stack's program run and the live account as text; never print."""


class DrillFormatter(ABC):
    @abstractmethod
    def render_drill(self, report: DrillReport) -> str:
        """Return each alarm's drill outcome and any cleanup problem as text; never print."""


class ReportFormatter(Formatter, AuditFormatter, VerifyFormatter, DrillFormatter):
    """What every format renders: each report but the cost estimate alone."""
