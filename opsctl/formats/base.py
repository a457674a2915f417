"""The one interface every report format implements."""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..report import PreflightReport


class Formatter(ABC):
    @abstractmethod
    def render(self, report: PreflightReport) -> str:
        """Return the whole report as text; never print."""
