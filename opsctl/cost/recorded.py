"""The resource types AWS Config records, as data (`recorded_types.json`): the configuration item
type each pulumi-aws type token produces, or why it produces none, and the pages that say so."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .prices import Source

RECORDED_FILE = Path(__file__).with_name("recorded_types.json")


@dataclass(frozen=True)
class RecordedTypes:
    source: Source
    recorded: Mapping[str, str]
    """pulumi-aws type token → the AWS Config resource type of its configuration items."""
    not_recorded: Mapping[str, str]
    """pulumi-aws type token → why it has no configuration item of its own."""
    continuous_only: frozenset[str]
    """Config types recorded continuously whatever the recorder's frequency."""
    global_types: frozenset[str]
    """Config types a recorder records only with includeGlobalResourceTypes (or when listed)."""

    def config_type(self, type_token: str) -> str | None:
        return self.recorded.get(type_token)

    def known(self, type_token: str) -> bool:
        return type_token in self.recorded or type_token in self.not_recorded


@cache
def load_recorded_types(path: Path = RECORDED_FILE) -> RecordedTypes:
    document = json.loads(path.read_text())
    source = document["source"]
    return RecordedTypes(
        source=Source(source["page"], source["checked"], source["note"]),
        recorded=document["recorded"],
        not_recorded=document["notRecorded"],
        continuous_only=frozenset(document["continuousOnly"]["types"]),
        global_types=frozenset(document["globalTypes"]["types"]),
    )
