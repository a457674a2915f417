"""Monthly cost of a program run at AWS list prices, and how it changes against a baseline report."""

from .estimate import CostChange, CostEstimate, CostLine, ItemChange, UnitPrice, compare, estimate
from .prices import PriceBook, load_prices

__all__ = [
    "CostChange",
    "CostEstimate",
    "CostLine",
    "ItemChange",
    "PriceBook",
    "UnitPrice",
    "compare",
    "estimate",
    "load_prices",
]
