"""Money as whole micro-dollars (never floats): reading dollar amounts and showing them."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

MICROS_PER_USD = 1_000_000


def usd_to_micros(value: Any) -> int:
    """USD (a decimal string, int, ``Decimal`` or TOML float) as whole micro-dollars, rounded up.

    Floats are read through their shortest decimal form (``str(0.1)`` is ``"0.1"``), so ``0.1``
    is exactly 100,000. Raises ``ValueError`` for anything that is not a finite number ≥ 0.
    """
    if isinstance(value, bool):
        raise ValueError("not a number")
    try:
        amount = Decimal(str(value).strip().removeprefix("$").replace(",", "").replace("_", ""))
    except InvalidOperation as error:
        raise ValueError("not a number") from error
    if not amount.is_finite() or amount < 0:
        raise ValueError("not a number of 0 or more")
    return int((amount * MICROS_PER_USD).to_integral_value(rounding="ROUND_CEILING"))


def format_usd(micros: int, decimals: int | None = None) -> str:
    """``$0.042`` for 42,000 micro-dollars: cents for large sums, more digits for small ones."""
    if decimals is None:
        absolute = abs(micros)
        if absolute == 0:
            return "$0.00"
        decimals = 2 if absolute >= 10 * MICROS_PER_USD else 3 if absolute >= 1_000 else 4
        if absolute and absolute < 100:
            decimals = 6
    amount = Decimal(micros) / MICROS_PER_USD
    return f"{'-' if micros < 0 else ''}${abs(amount):,.{decimals}f}"
