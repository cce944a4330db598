"""The history says what each save changed: field, before, after (not only « version 4 »)."""

import pytest
from django.urls import reverse

from feuilles_de_route import services as feuilles_services
from gouvernances import selectors, services
from gouvernances.enums import Section

from .helpers import HAUT_NIVERNAIS, NEVERS
from .test_services import contact, gouvernance_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def gouvernance(prefecture_58):
    from territoires.models import Departement

    return services.gouvernance_create(
        departement=Departement.objects.get(code="58"), user=prefecture_58, data=gouvernance_input()
    )


def _changes(event):
    return [(c.element, c.nature, c.champ, c.avant, c.apres) for c in event.changements]


def test_each_save_lists_its_field_changes(gouvernance, prefecture_58, admin_user):
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.SOUS_PREFET,
        version=1,
        data=services.SousPrefetInput("Claire", "Dupont", "sp@nievre.gouv.example"),
    )
    nevers = gouvernance.membres.get(epci_id=NEVERS)
    cd = gouvernance.membres.get(departement_id="58")
    services.section_save(
        gouvernance=gouvernance,
        user=admin_user,
        section=Section.MEMBRES,
        version=1,
        data=[
            services.MembreInput(
                id=cd.pk,
                referent=services.ContactInput("Rémi", "Référent 1", "Vice-président", "r1@example.org"),
                suppleant=contact(2),
                est_coporteur=True,
            ),
            services.MembreInput(id=nevers.pk, referent=contact(), suppleant=contact(2)),
            services.MembreInput(key=f"epci:{HAUT_NIVERNAIS}", referent=contact(3), suppleant=contact(4)),
        ],
    )
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.COMITOLOGIE,
        version=1,
        data=[services.ComiteInput("strategique", "semestrielle", "Préfet, élus", "Décider")],
    )
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.NOTE_CONTEXTE,
        version=1,
        data="<p>Une note <strong>longue</strong> " + "et détaillée " * 40 + "</p>",
    )
    events = selectors.historique(user=prefecture_58, gouvernance=gouvernance)
    note, comites, membres, sous_prefet = events[:4]

    assert (sous_prefet.section, sous_prefet.detail) == ("Sous-préfet référent", "Modification (version 2)")
    assert _changes(sous_prefet) == [
        ("Gouvernance", "modification", "Nom du sous-préfet référent", "Sous-Préfète", "Dupont")
    ]
    assert membres.auteur == admin_user.display_name
    assert _changes(membres) == [
        (
            "Membre « Conseil départemental de la Nièvre »",
            "modification",
            "Fonction du référent",
            "Élu",
            "Vice-président",
        ),
        ("Membre « CC Haut Nivernais - Val d'Yonne »", "ajout", "", "", ""),
    ]
    # The comités are written again whole: the same comité with another frequency is one change.
    assert _changes(comites) == [
        ("Comité « Comité stratégique »", "modification", "Fréquence", "Annuelle", "Semestrielle")
    ]
    ((element, _nature, champ, avant, apres),) = _changes(note)
    assert (element, champ, avant) == ("Gouvernance", "Note de contexte (HTML nettoyé)", "Note")
    assert apres.startswith("Une note longue et détaillée")  # HTML stripped
    assert apres.endswith("…")
    assert len(apres) <= 200


def test_a_feuille_de_route_change_names_its_epci(gouvernance, prefecture_58):
    feuilles = list(gouvernance.feuilles_de_route.order_by("id"))
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.FEUILLES_DE_ROUTE,
        version=1,
        data=[
            feuilles_services.FeuilleInput(
                "Départementale",
                "departement:58",
                "departemental",
                id=feuilles[0].pk,
                contrat_preexistant=feuilles[0].contrat_preexistant or "aucun",
            ),
            feuilles_services.FeuilleInput(
                "Nevers et Haut Nivernais",
                f"epci:{NEVERS}",
                "epci",
                [NEVERS, HAUT_NIVERNAIS],
                id=feuilles[1].pk,
                contrat_preexistant=feuilles[1].contrat_preexistant or "aucun",
            ),
        ],
    )
    event = selectors.historique(user=prefecture_58, gouvernance=gouvernance)[0]
    assert event.section == "Feuilles de route et porteurs"
    changes = _changes(event)
    assert (
        "Feuille de route « Nevers et Haut Nivernais »",
        "modification",
        "Nom de la feuille de route",
        "Nevers",
        "Nevers et Haut Nivernais",
    ) in changes
    assert (
        "Feuille de route « Nevers et Haut Nivernais »",
        "modification",
        "EPCI du périmètre",
        "CA de Nevers",
        "CA de Nevers, CC Haut Nivernais - Val d'Yonne",
    ) in changes


def test_the_history_page_shows_before_and_after(
    client_for, gouvernance, prefecture_58, django_assert_max_num_queries
):
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.SOUS_PREFET,
        version=1,
        data=services.SousPrefetInput("Claire", "Dupont", "sp@nievre.gouv.example"),
    )
    url = reverse("gouvernances:historique", kwargs={"code": "58"})
    client = client_for("region")
    with django_assert_max_num_queries(20):
        content = client.get(url).content.decode()
    assert "<strong>Nom du sous-préfet référent</strong>" in content
    assert '<span class="fr-sr-only">avant : </span>Sous-Préfète</del>' in content
    assert '<span class="fr-sr-only">après : </span>Dupont</ins>' in content
    assert "Ajout : Membre « CA de Nevers »" in content  # the creation lists what it added
