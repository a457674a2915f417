"""Report formats, chosen by name on the command line."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from .base import AuditFormatter, CostFormatter, DrillFormatter, Formatter, ReportFormatter, VerifyFormatter
from .json_format import JsonFormatter
from .junit import JUnitFormatter
from .markdown import MarkdownFormatter
from .sarif import SarifFormatter
from .text import TextFormatter


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    JUNIT = "junit"
    MARKDOWN = "markdown"

    def formatter(self) -> ReportFormatter:
        if self is OutputFormat.TEXT:
            return TextFormatter()
        if self is OutputFormat.JSON:
            return JsonFormatter()
        if self is OutputFormat.SARIF:
            return SarifFormatter()
        if self is OutputFormat.JUNIT:
            return JUnitFormatter()
        if self is OutputFormat.MARKDOWN:
            return MarkdownFormatter()
        assert_never(self)


COST_FORMATS = [f for f in OutputFormat if isinstance(f.formatter(), CostFormatter)]
"""The formats `opsctl cost` can print: those with a cost-only view."""

__all__ = [
    "COST_FORMATS",
    "AuditFormatter",
    "CostFormatter",
    "DrillFormatter",
    "Formatter",
    "OutputFormat",
    "ReportFormatter",
    "VerifyFormatter",
]
