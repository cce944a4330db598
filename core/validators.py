"""Validators shared by every form of the platform: SIRET, and the bounds of dates and numbers."""

import datetime

from django.core.exceptions import ValidationError
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fr import siret as stdnum_siret

from .formats import french_date, french_number

# La Poste's establishments (SIREN 356000000) do not follow the Luhn rule on the 14 digits:
# their digit sum is a multiple of 5 instead. python-stdnum knows this exception.
LA_POSTE_SIREN = "356000000"


def normalize_siret(value: str) -> str:
    """Remove spaces, dots and dashes: « 356 000 000 00048 » → « 35600000000048 »."""
    return stdnum_siret.compact(value or "")


def validate_siret(value: str) -> None:
    """A SIRET is 14 digits passing the Luhn check (La Poste excepted, see above)."""
    number = normalize_siret(value)
    try:
        stdnum_siret.validate(number)
    except InvalidLength as exc:
        raise ValidationError("Un SIRET compte exactement 14 chiffres.", code="siret_length") from exc
    except InvalidFormat as exc:
        raise ValidationError("Un SIRET ne contient que des chiffres.", code="siret_format") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            "Ce SIRET n'est pas valide (la clé de contrôle ne correspond pas) : vérifiez les chiffres.",
            code="siret_checksum",
        ) from exc


# --- Bounds: what a real campaign can hold ---------------------------------------------------------
# Dates of the France Numérique Ensemble campaign: the roadmap started in 2023 and aims at 2027;
# feuilles de route are followed for some years after. A date outside is a typing slip (year 1,
# year 9999, which would also be out of range for some databases and date libraries).
CAMPAIGN_FIRST_DAY = datetime.date(2023, 1, 1)
CAMPAIGN_LAST_DAY = datetime.date(2035, 12, 31)


def validate_campaign_date(value: datetime.date | None) -> None:
    if value is None:
        return
    if not CAMPAIGN_FIRST_DAY <= value <= CAMPAIGN_LAST_DAY:
        raise ValidationError(
            f"Saisissez une date comprise entre le {french_date(CAMPAIGN_FIRST_DAY)} et le "
            f"{french_date(CAMPAIGN_LAST_DAY)}.",
            code="date_hors_campagne",
        )


# Largest values the integer columns hold on every supported database (SQLite stores any
# integer, PostgreSQL refuses out-of-range values with an error): a form must stop them first.
SMALL_INTEGER_MAX = 32_767
INTEGER_MAX = 2_147_483_647


def max_value_message(maximum: int, what: str = "une valeur") -> str:
    return f"Saisissez {what} d'au plus {french_number(maximum)}."
