"""The interfaces every report format implements: the whole preflight, and (where the format has
one) the cost estimate alone for `opsctl cost`."""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..cost import CostChange, CostEstimate
from ..report import PreflightReport


class Formatter(ABC):
    @abstractmethod
    def render(self, report: PreflightReport) -> str:
        """Return the whole report as text; never print."""


class CostFormatter(ABC):
    @abstractmethod
    def render_cost(self, estimate: CostEstimate, change: CostChange | None) -> str:
        """Return the cost estimate (and its change against a baseline) as text; never print."""
