import datetime
from decimal import Decimal

import pytest

from core.formats import (
    french_amount,
    french_date,
    french_datetime,
    french_decimal,
    french_number,
    short_date,
)

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12500, f"12{NNBSP}500"),
        (7.8, "7,8"),
        (Decimal("7.80"), "7,8"),
        (1000.0, f"1{NNBSP}000"),
        (0, "0"),
        (None, ""),
    ],
)
def test_french_number(value, expected):
    assert french_number(value) == expected


def test_french_number_with_fixed_decimals_rounds_half_up():
    assert french_number(1234.565, decimals=2) == f"1{NNBSP}234,57"
    assert french_number(Decimal("0.5"), decimals=0) == "1"


def test_french_decimal_is_a_number_excel_reads():
    assert french_decimal(Decimal("1E+3")) == "1000"
    assert french_decimal(Decimal("12.50")) == "12,5"
    assert french_decimal(7.8) == "7,8"
    assert french_decimal(None) == ""


def test_french_amount():
    assert french_amount(1500000) == f"1{NNBSP}500{NNBSP}000{NNBSP}€"
    assert french_amount(Decimal("20000"), cents=True) == f"20{NNBSP}000,00{NNBSP}€"


def test_french_dates(settings):
    settings.TIME_ZONE = "Europe/Paris"
    assert french_date(datetime.date(2026, 12, 1)) == "1er décembre 2026"
    assert french_date(datetime.date(2026, 3, 15)) == "15 mars 2026"
    # 23:30 UTC on 31 December is already 1 January in Paris.
    moment = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=datetime.UTC)
    assert french_datetime(moment) == "1er janvier 2027 à 00h30"
    assert short_date(datetime.date(2026, 1, 2)) == "02/01/2026"
    assert short_date(moment) == "01/01/2027"


# --- Agreement with a count


def test_compte_and_accord_put_below_two_in_the_singular():
    from core.formats import accord, compte, et

    assert compte(0, "commune") == "0 commune"
    assert compte(1, "itinérant") == "1 itinérant"
    assert compte(2, "itinérant") == "2 itinérants"
    assert compte(12500, "lieu", "lieux") == "12\u202f500 lieux"
    assert accord(1, "exprime", "expriment") == "exprime"
    assert accord(3, "exprime", "expriment") == "expriment"
    assert et(["a"]) == "a"
    assert et(["a", "b", "c"]) == "a, b et c"


def test_the_pluriel_template_filter():
    from django.template import Context, Template

    template = Template(
        '{% load francais %}{{ n }} département{{ n|pluriel }} {{ n|pluriel:"exprime,expriment" }}'
        " ; {{ lieux|length }} {{ lieux|pluriel:'lieu,lieux' }}"
    )
    assert template.render(Context({"n": 1, "lieux": [1, 2]})) == "1 département exprime ; 2 lieux"
    assert template.render(Context({"n": 0, "lieux": []})) == "0 département exprime ; 0 lieu"
    assert template.render(Context({"n": 4, "lieux": [1]})) == "4 départements expriment ; 1 lieu"
