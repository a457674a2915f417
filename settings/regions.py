"""The AWS regions, as botocore publishes them in `botocore/data/partitions.json`: every partition's
regions, opt-in ones included (endpoints.json, behind `Session.get_available_regions`, lacks some),
without the pseudo-regions of global endpoints (`aws-global`), which no resource lives in."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

from policies.guardrails.spelling import did_you_mean

Ownership = Literal["own", "reuse"]
"""Who provides a singleton of the account and region: `own`, this stack; `reuse`, another stack (or
Control Tower), whose settings then apply. README: Several environments in one account."""


@dataclass(frozen=True)
class Partition:
    name: str
    """`aws`, `aws-cn`, `aws-us-gov`, ..."""
    pattern: str
    """The shape of the partition's region names (`^cn\\-\\w+\\-\\d+$`)."""
    regions: tuple[str, ...]


@cache
def partitions() -> tuple[Partition, ...]:
    document = json.loads((importlib.resources.files("botocore") / "data" / "partitions.json").read_text())
    return tuple(
        Partition(p["id"], p["regionRegex"], tuple(sorted(r for r in p["regions"] if re.match(p["regionRegex"], r))))
        for p in document["partitions"]
    )


def partition_of(region: str) -> str | None:
    return next((p.name for p in partitions() if region in p.regions), None)


def region_problem(value: str) -> str | None:
    """None for a region botocore lists, else the closest one and the regions of the partition the
    name is shaped for (of every partition when it fits none)."""
    if partition_of(value):
        return None
    every = [region for p in partitions() for region in p.regions]
    shaped = [p for p in partitions() if re.match(p.pattern, value)] or list(partitions())
    listed = "; ".join(f"{p.name}: {', '.join(p.regions)}" for p in shaped)
    return (
        f"must be an AWS region name; {did_you_mean(value, every)}regions of botocore "
        f"{importlib.metadata.version('botocore')}: {listed} (a region newer than these needs a newer boto3)"
    )
