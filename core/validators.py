"""Validators shared by every form of the platform (candidatures, gouvernance, coordination)."""

from django.core.exceptions import ValidationError
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.fr import siret as stdnum_siret

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
