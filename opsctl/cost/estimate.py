"""The monthly cost of a program run: what AWS bills per resource (alarms, dashboards, keys, secrets,
canary runs, Config) as quantities times list prices, and what it bills per use (log ingestion,
traces, trail events) as prices per unit, never as guessed volumes; and how it changes against a
baseline report.

Pure: resources and a price book in, a `CostEstimate` out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .counting import CHANGES_PER_RESOURCE, COUNTERS, DAILY_ITEMS_PER_RESOURCE, Resource, Usage
from .prices import PriceBook, Rate, Source


@dataclass(frozen=True)
class UnitPrice:
    """An item's price in a region, and the resources of the stack that incur it."""

    item: str
    what: str
    unit: str
    region: str
    unit_price: float
    """The first tier's price."""
    resources: tuple[str, ...]
    basis: tuple[str, ...]

    def as_document(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "what": self.what,
            "unit": self.unit,
            "region": self.region,
            "unitPrice": self.unit_price,
            "resources": list(self.resources),
            "basis": list(self.basis),
        }


@dataclass(frozen=True)
class CostLine(UnitPrice):
    """A priced item with the quantity the stack brings each month."""

    quantity: float
    free: float
    """Of the quantity, what the account's free tier covers."""
    monthly: float
    """The billable quantity priced through every tier."""

    def as_document(self) -> dict[str, Any]:
        quantities = {"quantity": self.quantity, "free": self.free, "monthly": self.monthly}
        return {**super().as_document(), **{k: round(v, 4) for k, v in quantities.items()}}


@dataclass(frozen=True)
class CostEstimate:
    region: str
    currency: str
    free_tier: bool
    lines: tuple[CostLine, ...]
    per_unit: tuple[UnitPrice, ...]
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return round(sum(line.monthly for line in self.lines), 2)

    def as_document(self) -> dict[str, Any]:
        """The estimate in a report's JSON, from which a later run reads it back as its baseline."""
        return {
            "currency": self.currency,
            "region": self.region,
            "freeTier": self.free_tier,
            "monthlyTotal": self.total,
            "lines": [line.as_document() for line in self.lines],
            "perUnit": [price.as_document() for price in self.per_unit],
            "notes": list(self.notes),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class ItemChange:
    item: str
    what: str
    unit: str
    quantity: float
    """Change in monthly quantity (after − before)."""
    monthly: float
    """Change in monthly cost."""


@dataclass(frozen=True)
class CostChange:
    before_total: float
    after_total: float
    items: tuple[ItemChange, ...]

    @property
    def delta(self) -> float:
        return round(self.after_total - self.before_total, 2)


def summed(lines: Iterable[Mapping[str, Any]]) -> dict[str, tuple[str, str, float, float]]:
    """Item → (what, unit, quantity, monthly), summed over regions."""
    sums: dict[str, tuple[str, str, float, float]] = {}
    for line in lines:
        _, _, quantity, monthly = sums.get(line["item"], ("", "", 0.0, 0.0))
        sums[line["item"]] = (line["what"], line["unit"], quantity + line["quantity"], monthly + line["monthly"])
    return sums


def compare(before: Mapping[str, Any], after: CostEstimate) -> CostChange:
    """What changes from a baseline report's `cost` document to this estimate, item by item."""
    old, new = summed(before["lines"]), summed(after.as_document()["lines"])
    items = []
    for item in dict.fromkeys([*new, *old]):
        what, unit, _, _ = new.get(item) or old[item]
        quantity, monthly = new[item][2:] if item in new else (0.0, 0.0)
        was_quantity, was_monthly = old[item][2:] if item in old else (0.0, 0.0)
        if abs(quantity - was_quantity) > 1e-9 or abs(monthly - was_monthly) >= 0.005:
            items.append(ItemChange(item, what, unit, quantity - was_quantity, monthly - was_monthly))
    return CostChange(round(sum(v[3] for v in old.values()), 2), after.total, tuple(items))


def estimate(resources: Sequence[Resource], *, region: str, prices: PriceBook, free_tier: bool = True) -> CostEstimate:
    """The same resources in any order give the same estimate: they are counted in the order of
    their type, name and URN, and an item's free tier goes to the stack's region first, then to the
    other regions by name."""
    grouped: dict[tuple[str, str], list[Usage]] = defaultdict(list)
    for count in COUNTERS:
        for usage in count(sorted(resources, key=lambda r: (r.type, r.name, r.urn)), region):
            grouped[(usage.item, usage.region)].append(usage)
    listed = {item: n for n, item in enumerate(dict.fromkeys(item for item, _ in grouped))}
    allowance: dict[str, float] = {}
    lines, per_unit, rates = [], [], []
    for item, where in sorted(grouped, key=lambda key: (listed[key[0]], key[1] != region, key[1])):
        group = grouped[(item, where)]
        rate = prices.rate(item, where)
        rates.append(rate)
        price = UnitPrice(item, rate.what, rate.unit, where, rate.first_price, unique(u.resource for u in group), ())
        if group[0].quantity is None:
            per_unit.append(replace(price, basis=unique(f"{u.resource}: {u.basis}" for u in group if u.basis)))
            continue
        quantity = sum(u.quantity or 0.0 for u in group)
        left = allowance.setdefault(item, rate.free_per_account if free_tier else 0.0)
        free = min(left, quantity)
        allowance[item] = left - free
        lines.append(
            CostLine(
                **vars(price) | {"basis": unique(u.basis for u in group)},
                quantity=quantity,
                free=free,
                monthly=rate.cost(quantity - free),
            )
        )
    return CostEstimate(
        region=region,
        currency=prices.currency,
        free_tier=free_tier,
        lines=tuple(sorted(lines, key=lambda line: (-line.monthly, line.what, line.region))),
        per_unit=tuple(per_unit),
        notes=(*recording_notes(lines, prices), *notes(rates, free_tier)),
        sources=unique(cited(r.source) for r in rates),
    )


def cited(source: Source) -> str:
    dated = f"figures as of {source.as_of}, " if source.as_of else ""
    return f"{source.page} ({dated}checked {source.checked})"


def notes(rates: Iterable[Rate], free_tier: bool) -> tuple[str, ...]:
    borrowed = sorted({(r.asked, r.what) for r in rates if r.borrowed})
    found = [f"{what}: no {asked} price in the table, the us-east-1 price is used" for asked, what in borrowed]
    if free_tier:
        found.append(
            "The account's free tier (10 alarm metrics, 10 custom metrics, 3 dashboards, 100 canary runs) "
            "is credited to this stack: other stacks in the account may already use it."
        )
    return tuple(found)


def recording_notes(lines: Iterable[CostLine], prices: PriceBook) -> Iterator[str]:
    """When daily recording costs less than continuous, from the two per-item prices."""
    for line in lines:
        if line.item != "config-item-daily":
            continue
        continuous = prices.rate("config-item-continuous", line.region)
        resources = line.quantity / DAILY_ITEMS_PER_RESOURCE
        instead = continuous.cost(resources * CHANGES_PER_RESOURCE)
        times = line.unit_price / continuous.first_price
        yield (
            f"Daily recording bills at most one item per resource a day at {line.unit_price:g} USD, continuous "
            f"recording one per change at {continuous.first_price:g} USD: daily costs less only for resources that "
            f"change more than {times:g} times on the days they change. At {CHANGES_PER_RESOURCE} change a month "
            f"each, continuous recording would cost {instead:.2f} USD instead of {line.monthly:.2f} USD."
        )


def unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))
