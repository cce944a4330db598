import pytest
from django.core.exceptions import ValidationError
from stdnum import luhn

from core.validators import normalize_siret, validate_siret


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", "35600000000048"])
def test_valid_siret(siret):
    validate_siret(siret)


def test_invalid_checksum():
    with pytest.raises(ValidationError) as exc:
        validate_siret("73282932000075")
    assert exc.value.code == "siret_checksum"
    assert "clé de contrôle" in exc.value.messages[0]


@pytest.mark.parametrize(("siret", "code"), [("1234", "siret_length"), ("7328293200007A", "siret_format")])
def test_malformed(siret, code):
    with pytest.raises(ValidationError) as exc:
        validate_siret(siret)
    assert exc.value.code == code


def test_la_poste_establishment_is_the_known_exception():
    # A La Poste establishment: fails Luhn on the 14 digits, yet is a valid SIRET (digit sum % 5 == 0).
    siret = "35600000049837"
    assert not luhn.is_valid(siret)
    validate_siret(siret)
    assert normalize_siret("356 000 000 49837") == siret


def test_la_poste_with_a_wrong_digit_is_still_refused():
    with pytest.raises(ValidationError):
        validate_siret("35600000049838")
