"""The public form in the Grand Paris: the établissements publics territoriaux are offered as
EPCI are (the porteur's own territory, the périmètre step), the Ville de Paris's territoire is
not (it is the commune of Paris)."""

import pytest
from django.urls import reverse

from candidatures import services
from candidatures.enums import Intention, Persona
from territoires.models import Commune, Departement, Epci
from territoires.search import resolve_collectivite

from .factories import UserFactory

pytestmark = pytest.mark.django_db

MGP = "200054781"
PLAINE_COMMUNE = "200057867"
EPT_93 = {PLAINE_COMMUNE, "200057875", "200058097", "200058790"}
CONTACT = services.ContactData(
    nom="Martin", prenom="Claire", fonction="Directrice", email="claire.martin@plaine.example"
)


def _porteur(collectivite):
    user = UserFactory()
    persona = Persona.CONSEIL_DEPARTEMENTAL if isinstance(collectivite, Departement) else Persona.EPCI
    m = services.manifestation_create(user=user, persona=persona, intention=Intention.PORTER)
    return user, services.porter_informations_save(
        manifestation=m, user=user, version=m.version, collectivite=collectivite, contact_politique=CONTACT
    )


def test_an_ept_carries_a_feuille_de_route_over_its_communes():
    user, m = _porteur(Epci.objects.get(code=PLAINE_COMMUNE))
    epcis, communes = services.territoire_of(m)
    assert epcis == []
    assert {c.code for c in communes} == set(
        Commune.objects.filter(ept=PLAINE_COMMUNE).values_list("code", flat=True)
    )
    assert len(communes) == 8
    m = services.porter_perimetre_save(
        manifestation=m, user=user, version=m.version, collectivites=communes[:2]
    )
    assert [r.hors_territoire for r in m.perimetre.all()] == [False, False]


def test_the_metropole_offers_its_ept_and_its_communes():
    _, m = _porteur(Epci.objects.get(code=MGP))
    epcis, communes = services.territoire_of(m)
    assert {e.code for e in epcis} == EPT_93  # those of the loaded départements
    assert {c.departement_id for c in communes} == {"93"}
    assert len(communes) == Commune.objects.filter(departement="93").count()


def test_the_seine_saint_denis_offers_the_metropole_and_its_ept():
    _, m = _porteur(Departement.objects.get(code="93"))
    epcis, _ = services.territoire_of(m)
    assert {e.code for e in epcis} == {MGP, *EPT_93}


def test_the_public_search_offers_an_ept_as_a_collectivite(client):
    rows = client.get(
        reverse("territoires:recherche"), {"q": "plaine", "types": "epci", "departement": "93"}
    ).json()
    assert [(r["key"], r["type_label"]) for r in rows] == [
        (f"epci:{PLAINE_COMMUNE}", "Établissement public territorial")
    ]
    assert resolve_collectivite(f"epci:{PLAINE_COMMUNE}") == Epci.objects.get(code=PLAINE_COMMUNE)
