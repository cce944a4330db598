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


# --- An EPT is named « EPT » wherever a chosen collectivité is shown -----------------------------

EST_ENSEMBLE = "200057875"


def test_an_ept_is_labelled_as_an_ept_and_read_back():
    from django.core.exceptions import ValidationError

    from territoires.enums import TypeCollectivite
    from territoires.search import collectivite_label, resolve_text, search_collectivites

    est_ensemble = Epci.objects.get(code=EST_ENSEMBLE)
    assert collectivite_label(est_ensemble) == "Est Ensemble (EPT, 200057875)"
    [result] = search_collectivites("est ensemble", types=["epci"], departement="93")
    assert result.label == "Est Ensemble (EPT, 200057875)"
    assert "(EPCI" not in result.long_label
    # The label the suggestion put in the field chooses the EPT back, with or without accents/case.
    assert resolve_text("Est Ensemble (EPT, 200057875)", types=[TypeCollectivite.EPCI]) == est_ensemble
    assert resolve_text("est ensemble (ept, 200057875)", types=list(TypeCollectivite)) == est_ensemble
    # The older label, with « EPCI », still reads (a page opened before the change may post it).
    assert resolve_text("Est Ensemble (EPCI, 200057875)", types=[TypeCollectivite.EPCI]) == est_ensemble
    # The Métropole itself stays an EPCI.
    assert collectivite_label(Epci.objects.get(code=MGP)) == f"Métropole du Grand Paris (EPCI, {MGP})"
    with pytest.raises(ValidationError, match=r"Est Ensemble \(EPT, 200057875\)"):
        resolve_text("Est Ensemble (EPT, 200057875)", types=[TypeCollectivite.COMMUNE])


def test_a_draft_of_an_ept_is_resumed_with_its_ept_label(client):
    user, _ = _porteur(Epci.objects.get(code=PLAINE_COMMUNE))
    client.force_login(user)
    html = client.get(reverse("candidatures:porter", kwargs={"etape": "informations"})).content.decode()
    assert 'value="Plaine Commune (EPT, 200057867)"' in html
    assert "(EPCI, 200057867)" not in html
    assert f"epci:{PLAINE_COMMUNE}" not in html


def test_the_public_search_labels_an_ept_as_such(client):
    rows = client.get(reverse("territoires:recherche"), {"q": "plaine", "departement": "93"}).json()
    labels = [r["label"] for r in rows]
    assert "Plaine Commune (EPT, 200057867)" in labels
    assert not [label for label in labels if "(EPCI, 200057867)" in label]
