"""Figures and counts as every format shows them."""

from __future__ import annotations

from policies.guardrails.catalog import BY_NAME
from policies.guardrails.spelling import counted

from ..cost import CostChange, ItemChange


def guardrails_counted(names: list[str]) -> str:
    """`56 guardrails` for this pack's policies, leaving out its settings entries, which check
    nothing; `3 policies` for another pack's."""
    guardrails = sum(1 for name in names if name in BY_NAME)
    return counted(guardrails, "guardrail") if guardrails else counted(len(names), "policy", "policies")


def usd(amount: float, sign: bool = False) -> str:
    return f"{amount:+,.2f} USD" if sign else f"{amount:,.2f} USD"


def price(amount: float) -> str:
    """A unit price with at least two decimals and no more than it has: 0.30, 0.0012, 3.00."""
    shown = f"{amount:.6f}".rstrip("0")
    return shown + "0" * max(0, 2 - len(shown.split(".")[1]))


def quantity(value: float, sign: bool = False) -> str:
    shown = f"{value:+,.2f}" if sign else f"{value:,.2f}"
    return shown.removesuffix(".00")


def item_change(change: ItemChange) -> str:
    unit = change.unit if abs(change.quantity) == 1 else f"{change.unit}s"
    return f"{quantity(change.quantity, sign=True)} {unit} ({change.what}): {usd(change.monthly, sign=True)}/month"


def change_summary(change: CostChange) -> str:
    """`this change adds 40 alarm metrics: +4.00 USD/month`, in one line."""
    if not change.items:
        return f"no change against the baseline ({usd(change.after_total)}/month)"
    return (
        f"{usd(change.delta, sign=True)}/month against the baseline "
        f"({usd(change.before_total)} → {usd(change.after_total)}): " + "; ".join(item_change(i) for i in change.items)
    )
