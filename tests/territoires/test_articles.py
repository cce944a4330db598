"""Every département and région of the shipped referential is named with its article."""

import gzip
import json

import pytest
from django.conf import settings

from territoires import articles
from territoires.models import Departement, Region


def _referential():
    with gzip.open(settings.TERRITOIRES_FILE, "rt", encoding="utf-8") as f:
        return json.load(f)


def test_every_departement_and_region_of_the_referential_has_its_type_de_nom():
    data = _referential()
    assert {row[0] for row in data["departements"]} <= set(articles.DEPARTEMENTS_TNCC)
    assert {row[0] for row in data["regions"]} <= set(articles.REGIONS_TNCC)


@pytest.mark.parametrize(
    ("code", "nom", "expected"),
    [
        ("58", "Nièvre", "de la Nièvre"),
        ("59", "Nord", "du Nord"),
        ("40", "Landes", "des Landes"),
        ("28", "Eure-et-Loir", "d'Eure-et-Loir"),
        ("03", "Allier", "de l'Allier"),
        ("75", "Paris", "de Paris"),
        ("974", "La Réunion", "de La Réunion"),
        ("2A", "Corse-du-Sud", "de la Corse-du-Sud"),
        ("90", "Territoire de Belfort", "du Territoire de Belfort"),
        ("84", "Vaucluse", "de Vaucluse"),
    ],
)
def test_departement_de_nom(code, nom, expected):
    assert Departement(code=code, nom=nom).de_nom == expected


@pytest.mark.parametrize(
    ("code", "nom", "expected"),
    [
        ("27", "Bourgogne-Franche-Comté", "de Bourgogne-Franche-Comté"),
        ("11", "Île-de-France", "d'Île-de-France"),
        ("32", "Hauts-de-France", "des Hauts-de-France"),
        ("44", "Grand Est", "du Grand Est"),
    ],
)
def test_region_de_nom(code, nom, expected):
    assert Region(code=code, nom=nom).de_nom == expected


def test_an_unknown_code_elides_by_the_first_letter():
    assert Departement(code="999", nom="Essai").de_nom == "d'Essai"
    assert Departement(code="998", nom="Valdor").de_nom == "de Valdor"
