"""Which Slack webhook a notice goes to: the first route that takes its severity or its source, else
the default. Pure, so the choice can be tested without Slack or KMS."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .notice import Notice


@dataclass(frozen=True)
class Route:
    name: str
    severities: frozenset[str] = frozenset()
    sources: frozenset[str] = frozenset()

    def takes(self, notice: Notice) -> bool:
        return notice.severity in self.severities or notice.source in self.sources


def route_for(notice: Notice, routes: Iterable[Route]) -> Route | None:
    return next((route for route in routes if route.takes(notice)), None)
