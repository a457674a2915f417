"""Report formats, chosen by name on the command line."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from .base import Formatter
from .json_format import JsonFormatter
from .text import TextFormatter


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"

    def formatter(self) -> Formatter:
        if self is OutputFormat.TEXT:
            return TextFormatter()
        if self is OutputFormat.JSON:
            return JsonFormatter()
        assert_never(self)


__all__ = ["Formatter", "OutputFormat"]
