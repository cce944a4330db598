"""Members across borders: the départements (and their régions) an EPCI of the département
touches may join its gouvernance (CA Moulins Communauté straddles Allier and Nièvre)."""

import pytest
from django.urls import reverse

from gouvernances.models import Gouvernance
from gouvernances.selectors import voisins_membres
from territoires.models import Departement
from territoires.selectors import departements_voisins

from .helpers import full_form

pytestmark = pytest.mark.django_db


def test_the_neighbours_of_the_nievre_are_those_its_epci_touch(db):
    nievre = Departement.objects.get(code="58")
    codes = [d.code for d in departements_voisins(nievre)]
    assert "03" in codes  # CA Moulins Communauté
    assert "89" in codes  # CC Haut Nivernais-Val d'Yonne
    assert "23" not in codes
    # Offered beside the candidates in the member search, which the département scopes.
    keys = [c.key for c in voisins_membres(nievre)]
    assert "departement:03" in keys
    assert "region:84" in keys  # Auvergne-Rhône-Alpes, the Allier's région
    assert "region:27" not in keys  # the Nièvre's own région is in the search


def test_the_allier_and_its_region_join_the_nievres_gouvernance(client_for):
    client = client_for("prefecture")
    data = full_form(
        **{
            "membres-2-structure_nom": "",
            "membres-2-structure_siret": "",
            "membres-2-key": "departement:03",
        }
    )
    data.update(
        {
            **{
                k.replace("membres-2", "membres-3"): v
                for k, v in data.items()
                # The whole row, as the page sends it (a field left out is an incomplete post).
                if k.startswith("membres-2-")
            }
        }
    )
    data["membres-TOTAL_FORMS"] = "4"
    data["membres-3-key"] = "region:84"
    for k in [k for k in data if k.startswith("membres-3-")]:
        data[k] = data[k].replace("2@", "3@") if isinstance(data[k], str) else data[k]
    response = client.post(reverse("gouvernances:detail", kwargs={"code": "58"}), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    gouvernance = Gouvernance.objects.get(departement="58")
    assert gouvernance.membres.filter(departement="03").exists()
    assert gouvernance.membres.filter(region="84").exists()


def test_a_departement_no_epci_touches_is_refused(client_for):
    data = full_form(
        **{
            "membres-2-structure_nom": "",
            "membres-2-structure_siret": "",
            "membres-2-key": "departement:23",
        }
    )
    response = client_for("prefecture").post(reverse("gouvernances:detail", kwargs={"code": "58"}), data)
    assert response.status_code == 400
    assert not Gouvernance.objects.filter(departement="58").exists()
