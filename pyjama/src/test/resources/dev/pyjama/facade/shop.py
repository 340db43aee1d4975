"""A small shop: the facade example's own Python package."""
from __future__ import annotations

import dataclasses
import enum
from typing import Callable, Generic, Iterator, Literal, NamedTuple, Optional, TypedDict, TypeVar

T = TypeVar("T")


class Color(enum.Enum):
    """Colours an item comes in."""
    RED = 1
    GREEN = 2


@dataclasses.dataclass
class Item:
    """An item on sale."""
    name: str
    price: float
    tags: list[str]
    color: Color = Color.RED


class Point(NamedTuple):
    x: float
    y: float
    label: Optional[str] = None


def origin() -> Point:
    return Point(0.0, 0.0)


class Stock(TypedDict):
    name: str
    count: int


class Box(Generic[T]):
    """A box holding one value."""

    def __init__(self, value: T) -> None:
        self._value = value

    def get(self) -> T:
        """The value."""
        return self._value

    def put(self, value: T) -> None:
        self._value = value


class Cart:
    """A shopping cart."""

    def __init__(self, owner: str, *, currency: str = "EUR") -> None:
        self.owner = owner
        self.currency = currency
        self.items: list[Item] = []

    def add(self, item: Item, quantity: int = 1) -> int:
        """Adds an item; returns the number of items in the cart."""
        self.items.extend([item] * quantity)
        return len(self.items)

    def total(self, *, discount: float = 0.0, rounding: Literal["up", "down"] = "down") -> float:
        t = sum(i.price for i in self.items) * (1 - discount)
        return float(int(t + (0.999 if rounding == "up" else 0)))

    def names(self) -> Iterator[str]:
        for i in self.items:
            yield i.name

    @property
    def size(self) -> int:
        return len(self.items)

    @classmethod
    def of(cls, owner: str) -> Cart:
        return cls(owner)

    @staticmethod
    def tax(amount: float) -> float:
        return amount * 0.2


def price(base: float, rate: float = 0.1, *, currency: str = "EUR", note: Optional[str] = None) -> float:
    """Price with tax.

    Returns base * (1 + rate) <rounded>.
    """
    return base * (1 + rate)


def count_words(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for w in text.split():
        out[w] = out.get(w, 0) + 1
    return out


def squares(n: int) -> Iterator[int]:
    for i in range(n):
        yield i * i


def apply(f: Callable[[int], str], x: int) -> str:
    return f(x)


def first(xs: list[T]) -> T:
    return xs[0]


def maybe(flag: bool) -> int | None:
    return 1 if flag else None


def make_item(name: str, price: float) -> Item:
    return Item(name, price, [])


def paint(item: Item, color: Color) -> Item:
    return dataclasses.replace(item, color=color)


def untyped(a, b=2):
    return a


def either(x: int | str) -> int | str:
    return x


def sized(b: bytes, xs: tuple[int, ...], s: set[str]) -> list[int]:
    return [len(b), len(xs), len(s)]


def varargs(*args: int, **kw: str) -> int:
    return len(args)
