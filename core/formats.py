"""How numbers and dates are written for French readers: pages, PDFs and French exports.

One place, so that « 7,8 », « 12 500 » and « 1er décembre 2026 » read the same everywhere.
Thousands are separated by a narrow no-break space (U+202F), decimals by a comma.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.formats import date_format

NARROW_NBSP = "\u202f"
# « 14 h 05 » is written « 14h05 » in the State's documents.
TIME_FORMAT = "H\\hi"


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def french_number(value, *, decimals: int | None = None) -> str:
    """12500 → « 12 500 »; 7.80 → « 7,8 »; `decimals` fixes the digits after the comma."""
    if value is None or value == "":
        return ""
    number = _decimal(value)
    if decimals is None:
        number = number.normalize()
    else:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return format(number, ",f").replace(",", NARROW_NBSP).replace(".", ",")


def french_decimal(value) -> str:
    """A number cell of a French CSV: « 7,8 », « 12500 » (no thousands separator, so that Excel
    reads a number)."""
    if value is None or value == "":
        return ""
    return format(_decimal(value).normalize(), "f").replace(".", ",")


def french_amount(value, *, cents: bool = False) -> str:
    """1500000 → « 1 500 000 € »; with `cents`, « 1 500 000,00 € »."""
    if value is None or value == "":
        return ""
    return f"{french_number(value, decimals=2 if cents else 0)}{NARROW_NBSP}€"


def french_euros(value) -> str:
    """« 12 500 € », « 12 500,50 € »: the cents only when there are some."""
    if value is None or value == "":
        return ""
    number = _decimal(value)
    return french_amount(number, cents=number != number.to_integral_value())


def _day(moment: datetime.date) -> str:
    return "1er" if moment.day == 1 else str(moment.day)


def french_date(day: datetime.date | None) -> str:
    """« 1er décembre 2026 »."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day)
    return f"{_day(day)} {date_format(day, 'F Y')}"


def french_datetime(moment: datetime.datetime | None) -> str:
    """« 1er décembre 2026 à 10h45 », in the site's time zone."""
    if moment is None:
        return ""
    moment = timezone.localtime(moment)
    return f"{french_date(moment)} à {date_format(moment, TIME_FORMAT)}"


def short_date(day: datetime.date | None) -> str:
    """« 01/12/2026 »: the date cell of every export."""
    if day is None:
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day)
    return day.strftime("%d/%m/%Y")


# --- Agreement with a count -------------------------------------------------------------------
# French puts a count below two in the singular: « 0 commune », « 1 itinérant », « 1,5 ETP
# demandé », « 2 itinérants » (Django's `pluralize` says « 0 communes »).


def est_pluriel(count) -> bool:
    return count is not None and abs(count) >= 2


def accord(count, singulier: str, pluriel: str | None = None) -> str:
    """The word agreed with `count`: accord(1, "exprime", "expriment") → « exprime »."""
    if not est_pluriel(count):
        return singulier
    return pluriel if pluriel is not None else singulier + "s"


def compte(count, singulier: str, pluriel: str | None = None) -> str:
    """« 1 itinérant », « 12 500 habitants », « 3 lieux » (pluriel given when not + s)."""
    return f"{french_number(count)} {accord(count, singulier, pluriel)}"


def et(parts: list[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " et " + parts[-1]
