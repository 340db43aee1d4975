"""The facade example's own Python package: packaged into the example's jar (META-INF/python) and
imported from there at run time; its type hints are the example's Java API (Inventory, Warehouse...)."""
from __future__ import annotations

import dataclasses
import enum
from typing import Generic, Iterator, Optional, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Category(enum.Enum):
    """What kind of thing an item is."""
    TOOL = "tool"
    FOOD = "food"
    TOY = "toy"


@dataclasses.dataclass
class Item:
    """One line of stock."""
    sku: str
    name: str
    price: float
    quantity: int
    category: Category = Category.TOOL


class Order(BaseModel):
    """An order, validated by pydantic when it reaches Python."""
    sku: str
    quantity: int = Field(gt=0)
    note: Optional[str] = None


class Shelf(Generic[T]):
    """A shelf holding values of one type (a generic class)."""

    def __init__(self, first: T) -> None:
        self._values: list[T] = [first]

    def put(self, value: T) -> int:
        """Puts a value on the shelf; returns how many it holds."""
        self._values.append(value)
        return len(self._values)

    def top(self) -> T:
        """The last value put."""
        return self._values[-1]


class Warehouse:
    """Items by SKU."""

    def __init__(self, name: str, *, currency: str = "EUR") -> None:
        self.name = name
        self.currency = currency
        self._items: dict[str, Item] = {}

    def add(self, item: Item) -> int:
        """Adds (or replaces) an item; returns the number of SKUs."""
        self._items[item.sku] = item
        return len(self._items)

    def find(self, sku: str) -> Optional[Item]:
        """The item with that SKU, if any."""
        return self._items.get(sku)

    def value(self, *, category: Optional[Category] = None, discount: float = 0.0) -> float:
        """Total value of the stock (of one category if given), less a discount."""
        total = sum(i.price * i.quantity for i in self._items.values()
                    if category is None or i.category == category)
        return round(total * (1.0 - discount), 2)

    def low_stock(self, threshold: int = 5) -> Iterator[str]:
        """The SKUs below the threshold, lazily (a generator)."""
        for sku, item in sorted(self._items.items()):
            if item.quantity < threshold:
                yield sku

    def fulfil(self, order: Order) -> bool:
        """Takes an order's quantity out of stock if there is enough."""
        item = self._items.get(order.sku)
        if item is None or item.quantity < order.quantity:
            return False
        item.quantity -= order.quantity
        return True

    @property
    def size(self) -> int:
        """The number of SKUs."""
        return len(self._items)


def restock_plan(counts: dict[str, int], target: int = 10) -> list[str]:
    """The SKUs to reorder, with how many: "sku:n"."""
    return [f"{sku}:{target - n}" for sku, n in sorted(counts.items()) if n < target]


def parse_order(text: str) -> Order:
    """An order from "sku x quantity [note]"; pydantic validates it."""
    parts = text.split(maxsplit=3)
    return Order(sku=parts[0], quantity=int(parts[2]), note=parts[3] if len(parts) > 3 else None)
