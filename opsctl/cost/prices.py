"""AWS list prices as data (`prices.json`): each item's unit, its price per region, the free tier,
and the page and date the figure comes from."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PRICES_FILE = Path(__file__).with_name("prices.json")
EVERY_REGION = "*"
"""A price the source states once for every region."""
REFERENCE_REGION = "us-east-1"
"""The region every item has a price for; used, and said so, where a region's own price is missing."""

Tiers = tuple[tuple[float | None, float], ...]
"""(cumulative upper bound or None for the rest, price per unit) from the first unit on."""


@dataclass(frozen=True)
class Source:
    page: str
    checked: str
    note: str
    as_of: str | None = None


@dataclass(frozen=True)
class Rate:
    """One item's price in one region, as the estimate applies it."""

    item: str
    what: str
    unit: str
    tiers: Tiers
    region: str
    """The region the price is published for: the one asked for, `*`, or the reference region."""
    asked: str
    free_per_account: float
    source: Source

    @property
    def first_price(self) -> float:
        return self.tiers[0][1]

    @property
    def borrowed(self) -> bool:
        """True when the table has no price for the region asked and the reference region's is used."""
        return self.region not in (self.asked, EVERY_REGION)

    def cost(self, quantity: float) -> float:
        """Price of `quantity` units, walking the tiers from the first unit."""
        total, floor = 0.0, 0.0
        for ceiling, price in self.tiers:
            top = quantity if ceiling is None else min(quantity, ceiling)
            if top > floor:
                total += (top - floor) * price
            if ceiling is None or quantity <= ceiling:
                break
            floor = ceiling
        return total


class PriceBook:
    def __init__(self, document: Mapping[str, Any]):
        self.currency: str = document["currency"]
        self.sources = {
            name: Source(s["page"], s["checked"], s["note"], s.get("asOf")) for name, s in document["sources"].items()
        }
        self.items: Mapping[str, Mapping[str, Any]] = document["items"]

    def rate(self, item: str, region: str) -> Rate:
        entry = self.items[item]
        prices = entry["prices"]
        published = next(r for r in (region, EVERY_REGION, REFERENCE_REGION) if r in prices)
        price = prices[published]
        tiers: Tiers = tuple((c, p) for c, p in price) if isinstance(price, list) else ((None, float(price)),)
        return Rate(
            item=item,
            what=entry["what"],
            unit=entry["unit"],
            tiers=tiers,
            region=published,
            asked=region,
            free_per_account=float(entry.get("freePerAccount", 0)),
            source=self.sources[entry["source"]],
        )


@cache
def load_prices(path: Path = PRICES_FILE) -> PriceBook:
    return PriceBook(json.loads(path.read_text()))
