import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from candidatures.enums import Intention, Persona, Statut
from candidatures.models import ManifestationInteret
from core.versioning import StaleVersion
from feuilles_de_route import services as feuilles_services
from gouvernances import selectors, services
from gouvernances.enums import Section, StatutGouvernance
from gouvernances.models import Gouvernance, SectionState
from territoires.models import Departement

from .conftest import fermer_campagne
from .factories import (
    ComiteFactory,
    CoordinationFactory,
    FeuilleDeRouteFactory,
    GouvernanceFactory,
    MembreFactory,
)
from .helpers import HAUT_NIVERNAIS, NEVERS

pytestmark = pytest.mark.django_db


def contact(n=1):
    return services.ContactInput("Rémi", f"Référent {n}", "Élu", f"r{n}@example.org")


def membre(key="", **kwargs):
    return services.MembreInput(referent=contact(), suppleant=contact(2), key=key, **kwargs)


def gouvernance_input(**overrides):
    data = {
        "sous_prefet": services.SousPrefetInput("Claire", "Sous-Préfète", "sp@nievre.gouv.example"),
        "membres": [membre("departement:58", est_coporteur=True), membre(f"epci:{NEVERS}")],
        "pas_de_coporteur": False,
        "comites": [services.ComiteInput("strategique", "annuelle", "Préfet, élus", "Décider")],
        "feuilles": [
            feuilles_services.FeuilleInput(
                "Départementale", "departement:58", "departemental", contrat_preexistant="sdun"
            ),
            feuilles_services.FeuilleInput(
                "Nevers", f"epci:{NEVERS}", "epci", [NEVERS], contrat_preexistant="aucun"
            ),
        ],
        "coordinations": [services.CoordinationInput("La Poste", "35600000000048", 1)],
        "note_contexte": "<p>Note</p>",
    }
    data.update(overrides)
    return services.GouvernanceInput(**data)


@pytest.fixture
def nievre():
    return Departement.objects.get(code="58")


@pytest.fixture
def gouvernance(nievre, prefecture_58):
    return services.gouvernance_create(departement=nievre, user=prefecture_58, data=gouvernance_input())


def test_first_save_writes_every_section(gouvernance, prefecture_58):
    assert gouvernance.statut == StatutGouvernance.BROUILLON
    assert [m.key for m in gouvernance.membres.order_by("id")] == ["departement:58", f"epci:{NEVERS}"]
    assert gouvernance.membres.get(est_coporteur=True).key == "departement:58"
    assert gouvernance.comites.count() == 1
    feuilles = list(gouvernance.feuilles_de_route.order_by("id"))
    assert feuilles[0].porteur.key == "departement:58"
    assert [e.code for e in feuilles[1].epcis.all()] == [NEVERS]
    assert gouvernance.coordinations.get().structure_siret == "35600000000048"
    etats = SectionState.objects.filter(gouvernance=gouvernance)
    assert {e.section for e in etats} == set(Section.values)
    assert {(e.version, e.modifie_par) for e in etats} == {(1, prefecture_58)}


def test_a_member_from_a_candidature_is_linked_to_it(nievre, prefecture_58, structure_user):
    manifestation = ManifestationInteret.objects.create(
        user=structure_user,
        persona=Persona.STRUCTURE,
        intention=Intention.PARTICIPER,
        statut=Statut.CONFIRMEE,
        confirmee_le=timezone.now(),
        structure_nom="Emmaüs Connect Nièvre",
        structure_siret="35600000000048",
        structure_departement=nievre,
    )
    candidats = {c.key: c for c in selectors.candidats_membres(user=prefecture_58, departement=nievre)}
    candidat = candidats[f"candidature:{manifestation.pk}"]
    assert candidat.label == "Emmaüs Connect Nièvre (structure, SIRET 35600000000048)"
    assert candidat.detail == "souhaite participer"
    g = services.gouvernance_create(
        departement=nievre,
        user=prefecture_58,
        data=gouvernance_input(
            membres=[*gouvernance_input().membres, membre(f"candidature:{manifestation.pk}")]
        ),
    )
    structure = g.membres.get(manifestation=manifestation)
    assert structure.structure_nom == "Emmaüs Connect Nièvre"


def test_a_collectivite_outside_the_departement_cannot_be_a_member(nievre, prefecture_58):
    with pytest.raises(ValidationError, match="ne peut pas être membre"):
        services.gouvernance_create(
            departement=nievre,
            user=prefecture_58,
            data=gouvernance_input(membres=[*gouvernance_input().membres, membre("commune:21231")]),
        )
    assert not Gouvernance.objects.filter(departement=nievre).exists()


@pytest.mark.parametrize(
    ("coporteur", "pas_de_coporteur", "message"),
    [
        (False, False, "Désignez au moins un co-porteur"),
        (True, True, "choisissez l'un ou l'autre"),
    ],
)
def test_coporteur_rule(nievre, prefecture_58, coporteur, pas_de_coporteur, message):
    data = gouvernance_input(
        membres=[membre("departement:58", est_coporteur=coporteur), membre(f"epci:{NEVERS}")],
        pas_de_coporteur=pas_de_coporteur,
    )
    with pytest.raises(ValidationError, match=message):
        services.gouvernance_create(departement=nievre, user=prefecture_58, data=data)


def test_coporteurs_section(gouvernance, prefecture_58):
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.COPORTEURS,
        version=1,
        data=services.CoporteursInput(keys=["departement:58", f"epci:{NEVERS}"], pas_de_coporteur=False),
    )
    assert gouvernance.membres.filter(est_coporteur=True).count() == 2
    with pytest.raises(ValidationError, match="Désignez au moins un co-porteur"):
        services.section_save(
            gouvernance=gouvernance,
            user=prefecture_58,
            section=Section.COPORTEURS,
            version=2,
            data=services.CoporteursInput(keys=[], pas_de_coporteur=False),
        )


def test_removing_the_last_coporteur_or_a_porteur_is_refused(gouvernance, prefecture_58):
    nevers = gouvernance.membres.get(epci=NEVERS)
    with pytest.raises(ValidationError, match="porte la feuille de route « Nevers »"):
        services.section_save(
            gouvernance=gouvernance,
            user=prefecture_58,
            section=Section.MEMBRES,
            version=1,
            data=[membre(id=gouvernance.membres.get(departement="58").pk)],
        )
    with pytest.raises(ValidationError):
        services.section_save(
            gouvernance=gouvernance,
            user=prefecture_58,
            section=Section.MEMBRES,
            version=1,
            data=[membre(id=nevers.pk)],
        )


def test_membres_section_updates_contacts_and_adds_a_structure_by_siret(gouvernance, prefecture_58):
    existing = [membre(id=m.pk) for m in gouvernance.membres.all()]
    existing[0].referent = services.ContactInput("Nadia", "Nouvelle", "DGS", "nadia@example.org")
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.MEMBRES,
        version=1,
        data=[*existing, membre(structure_nom="La Poste", structure_siret="356 000 000 00048")],
    )
    assert gouvernance.membres.count() == 3
    assert gouvernance.membres.filter(referent_email="nadia@example.org").exists()
    assert gouvernance.membres.get(structure_siret="35600000000048").key == "siret:35600000000048"


def test_an_invalid_siret_is_refused(gouvernance, prefecture_58):
    with pytest.raises(ValidationError, match="clé de contrôle"):
        services.section_save(
            gouvernance=gouvernance,
            user=prefecture_58,
            section=Section.COORDINATION,
            version=1,
            data=[services.CoordinationInput("Structure", "12345678901234", 1)],
        )


def test_comitologie_section_may_be_empty(gouvernance, prefecture_58):
    services.section_save(
        gouvernance=gouvernance, user=prefecture_58, section=Section.COMITOLOGIE, version=1, data=[]
    )
    assert gouvernance.comites.count() == 0
    with pytest.raises(ValidationError, match="Précisez"):
        services.section_save(
            gouvernance=gouvernance,
            user=prefecture_58,
            section=Section.COMITOLOGIE,
            version=2,
            data=[services.ComiteInput("autre", "mensuelle", "x", "y")],
        )


def test_feuilles_de_route_section_refuses_an_overlap(gouvernance, prefecture_58):
    feuilles = [
        feuilles_services.FeuilleInput(
            f.nom, f.porteur.key, f.perimetre, [e.code for e in f.epcis.all()], f.contrat_preexistant, id=f.pk
        )
        for f in gouvernance.feuilles_de_route.order_by("id")
    ]
    with pytest.raises(ValidationError, match="déjà couvertes par la feuille de route « Nevers » : Challuy"):
        services.section_save(
            gouvernance=gouvernance,
            user=prefecture_58,
            section=Section.FEUILLES_DE_ROUTE,
            version=1,
            data=[
                *feuilles,
                feuilles_services.FeuilleInput(
                    "Doublon", "prefecture", "epci", [NEVERS, HAUT_NIVERNAIS], "aucun"
                ),
            ],
        )
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.FEUILLES_DE_ROUTE,
        version=1,
        data=[
            *feuilles,
            feuilles_services.FeuilleInput("Clamecy", "prefecture", "epci", [HAUT_NIVERNAIS], "crte"),
        ],
    )
    assert gouvernance.feuilles_de_route.get(nom="Clamecy").portee_par_prefecture


def test_feuilles_de_route_need_one_and_a_porteur_among_members(nievre, prefecture_58):
    with pytest.raises(ValidationError, match="au moins une feuille de route"):
        services.gouvernance_create(
            departement=nievre, user=prefecture_58, data=gouvernance_input(feuilles=[])
        )
    with pytest.raises(ValidationError, match="membre de la gouvernance"):
        services.gouvernance_create(
            departement=nievre,
            user=prefecture_58,
            data=gouvernance_input(
                feuilles=[feuilles_services.FeuilleInput("X", "region:27", "regional", [], "aucun")]
            ),
        )


@pytest.mark.parametrize(
    "html",
    [
        '<p>Bonjour</p><script>alert("x")</script>',
        '<p>Bonjour<img src="x" onerror="alert(1)"></p>',
        '<p onclick="alert(1)">Bonjour</p><a href="javascript:alert(1)">lien</a>',
        '<p style="color:red">Bonjour</p><iframe src="https://evil.example"></iframe>',
    ],
)
def test_note_de_contexte_is_sanitised(gouvernance, prefecture_58, html):
    services.section_save(
        gouvernance=gouvernance, user=prefecture_58, section=Section.NOTE_CONTEXTE, version=1, data=html
    )
    gouvernance.refresh_from_db()
    note = gouvernance.note_contexte
    assert "Bonjour" in note
    for forbidden in ("<script", "onerror", "onclick", "javascript:", "style=", "<iframe", "alert"):
        assert forbidden not in note


def test_formatting_survives_sanitising():
    html = "<h3>Titre</h3><p><strong>gras</strong> <em>it</em> <u>s</u></p><ul><li>a</li></ul>"
    assert services.sanitize_note(html) == html


def test_a_stale_version_is_refused_with_who_saved_first(gouvernance, prefecture_58, admin_user):
    services.section_save(
        gouvernance=gouvernance,
        user=admin_user,
        section=Section.SOUS_PREFET,
        version=1,
        data=services.SousPrefetInput("Jean", "Premier", "jean@nievre.gouv.example"),
    )
    with pytest.raises(StaleVersion) as exc:
        services.section_save(
            gouvernance=gouvernance,
            user=prefecture_58,
            section=Section.SOUS_PREFET,
            version=1,
            data=services.SousPrefetInput("Paul", "Second", "paul@nievre.gouv.example"),
        )
    assert exc.value.message.startswith(
        "admin@anct.test a enregistré la section « Sous-préfet référent » le "
    )
    gouvernance.refresh_from_db()
    assert gouvernance.sous_prefet_nom == "Premier"
    # Other sections keep their own version.
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.NOTE_CONTEXTE,
        version=1,
        data="<p>ok</p>",
    )


def test_the_form_closes_after_the_deadline_and_an_administrator_reopens_it(
    gouvernance, prefecture_58, admin_user
):
    fermer_campagne()
    assert not selectors.is_editable(gouvernance, prefecture_58)
    with pytest.raises(services.FormulaireFerme):
        services.section_save(
            gouvernance=gouvernance, user=prefecture_58, section=Section.NOTE_CONTEXTE, version=1, data="x"
        )
    with pytest.raises(PermissionDenied):
        services.gouvernance_reopen(
            gouvernance=gouvernance,
            user=prefecture_58,
            jusquau=timezone.localdate() + datetime.timedelta(days=3),
        )
    services.gouvernance_reopen(
        gouvernance=gouvernance, user=admin_user, jusquau=timezone.localdate() + datetime.timedelta(days=3)
    )
    gouvernance.refresh_from_db()
    edition = selectors.edition(gouvernance, prefecture_58)
    assert edition.possible
    assert edition.rouverte
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.NOTE_CONTEXTE,
        version=1,
        data="<p>ok</p>",
    )
    # Reopening ends: read-only again.
    assert not selectors.is_editable(
        gouvernance, prefecture_58, today=timezone.localdate() + datetime.timedelta(days=4)
    )


def test_read_only_roles_never_write(gouvernance, region_bfc, demo_user):
    for user in (region_bfc, demo_user):
        assert not selectors.is_editable(gouvernance, user)
        with pytest.raises(PermissionDenied):
            services.section_save(
                gouvernance=gouvernance, user=user, section=Section.NOTE_CONTEXTE, version=1, data="x"
            )


def test_submit_pressentie_then_definitive(gouvernance, prefecture_58):
    services.gouvernance_submit(
        gouvernance=gouvernance, user=prefecture_58, statut=StatutGouvernance.PRESSENTIE
    )
    gouvernance.refresh_from_db()
    assert gouvernance.statut == StatutGouvernance.PRESSENTIE
    assert gouvernance.pressentie_remontee_le is not None
    with pytest.raises(ValidationError, match="déjà été remontée"):
        services.gouvernance_submit(
            gouvernance=gouvernance, user=prefecture_58, statut=StatutGouvernance.PRESSENTIE
        )
    services.gouvernance_submit(
        gouvernance=gouvernance, user=prefecture_58, statut=StatutGouvernance.DEFINITIVE
    )
    gouvernance.refresh_from_db()
    assert gouvernance.statut == StatutGouvernance.DEFINITIVE
    events = selectors.historique(user=prefecture_58, gouvernance=gouvernance)
    assert [e.detail for e in events if e.section == "Statut"] == [
        "Gouvernance définitive remontée",
        "Gouvernance pressentie remontée",
    ]


def test_an_incomplete_gouvernance_cannot_be_submitted(prefecture_58):
    gouvernance = GouvernanceFactory(pas_de_coporteur=False, note_contexte="<p><br></p>")
    MembreFactory(gouvernance=gouvernance)
    ComiteFactory(gouvernance=gouvernance)
    with pytest.raises(ValidationError) as exc:
        services.gouvernance_submit(gouvernance=gouvernance, user=prefecture_58, statut="pressentie")
    assert set(exc.value.messages) >= {
        "Déclarez au moins une feuille de route.",
        # The texts ask for both at submission, even for the pressentie.
        "Indiquez au moins une structure recruteuse des coordinateurs de conseillers numériques.",
        "Rédigez la note de contexte.",
    }
    FeuilleDeRouteFactory(gouvernance=gouvernance)
    MembreFactory(gouvernance=gouvernance, departement_cd=True, coporteur=True)
    CoordinationFactory(gouvernance=gouvernance)
    with pytest.raises(ValidationError, match="Rédigez la note de contexte"):
        services.gouvernance_submit(gouvernance=gouvernance, user=prefecture_58, statut="pressentie")
    gouvernance.note_contexte = "<p>Une concertation menée depuis septembre.</p>"
    gouvernance.save()
    services.gouvernance_submit(gouvernance=gouvernance, user=prefecture_58, statut="pressentie")
    gouvernance.refresh_from_db()
    assert gouvernance.statut == StatutGouvernance.PRESSENTIE


def test_members_need_no_contact_and_are_asked_for_them_before_sending(nievre, prefecture_58):
    sans_contact = services.MembreInput(
        referent=services.ContactInput("", "", "", ""),
        suppleant=services.ContactInput("", "", "", ""),
        key=f"epci:{NEVERS}",
    )
    g = services.gouvernance_create(
        departement=nievre,
        user=prefecture_58,
        data=gouvernance_input(membres=[membre("departement:58", est_coporteur=True), sans_contact]),
    )
    nevers = g.membres.get(epci_id=NEVERS)
    assert (nevers.referent_nom, nevers.suppleant_email) == ("", "")
    contenu = selectors.gouvernance_contenu(gouvernance=g)
    assert services.gouvernance_problems(contenu=contenu) == []
    assert services.gouvernance_reminders(contenu=contenu) == [
        "1 membre sans référent : CA de Nevers.",
        "1 membre sans suppléant : CA de Nevers.",
    ]


def test_a_new_member_from_a_candidature_takes_its_contacts(nievre, prefecture_58, structure_user):
    from tests.candidatures.factories import ContactFactory, ManifestationFactory

    manifestation = ManifestationFactory(confirmee=True, user=structure_user)
    ContactFactory(
        manifestation=manifestation, type="politique", prenom="Élise", nom="Maire", email="maire@example.org"
    )
    ContactFactory(
        manifestation=manifestation, type="technique", prenom="Théo", nom="Dgs", email="dgs@example.org"
    )
    vide = services.ContactInput("", "", "", "")
    g = services.gouvernance_create(
        departement=nievre,
        user=prefecture_58,
        data=gouvernance_input(
            membres=[
                *gouvernance_input().membres,
                services.MembreInput(referent=vide, suppleant=vide, key=manifestation.collectivite_key),
            ]
        ),
    )
    membre_ = g.membres.get(manifestation=manifestation)
    assert (membre_.referent_prenom, membre_.referent_email) == ("Élise", "maire@example.org")
    assert (membre_.suppleant_prenom, membre_.suppleant_email) == ("Théo", "dgs@example.org")


def test_a_commune_member_may_carry_a_feuille_de_route_a_structure_may_not(nievre, prefecture_58):
    g = services.gouvernance_create(
        departement=nievre,
        user=prefecture_58,
        data=gouvernance_input(
            membres=[
                *gouvernance_input().membres,
                membre("commune:58194"),
                membre(structure_nom="Emmaüs", structure_siret="35600000000048"),
            ],
            feuilles=[
                feuilles_services.FeuilleInput(
                    "Départementale", "departement:58", "departemental", contrat_preexistant="aucun"
                ),
                feuilles_services.FeuilleInput(
                    "Nevers ville", "commune:58194", "epci", [NEVERS], contrat_preexistant="crte"
                ),
            ],
        ),
    )
    assert g.feuilles_de_route.get(nom="Nevers ville").porteur.commune_id == "58194"
    structure = g.membres.get(structure_nom="Emmaüs")
    assert not structure.peut_porter
    with pytest.raises(ValidationError, match="Une structure ne peut pas porter une feuille de route"):
        feuilles_services.feuilles_declare(
            gouvernance=g,
            items=[
                feuilles_services.FeuilleInput(
                    "Emmaüs", structure.key, "departemental", contrat_preexistant="aucun"
                )
            ],
            porteurs={structure.key: structure},
            allowed_epcis={NEVERS},
            user=prefecture_58,
            reason="test",
        )


@pytest.mark.parametrize(
    ("contrat", "description", "message"),
    [
        ("", "", "Indiquez s'il existe un contrat préexistant."),
        ("autre", "", "Décrivez le contrat préexistant."),
        ("cpt", "", "Ce type de contrat est inconnu."),
    ],
)
def test_the_contrat_preexistant_is_answered_explicitly(nievre, prefecture_58, contrat, description, message):
    feuille = feuilles_services.FeuilleInput(
        "Départementale",
        "departement:58",
        "departemental",
        contrat_preexistant=contrat,
        contrat_description=description,
    )
    with pytest.raises(ValidationError, match=re.escape(message)):
        services.gouvernance_create(
            departement=nievre, user=prefecture_58, data=gouvernance_input(feuilles=[feuille])
        )
    assert not Gouvernance.objects.filter(departement=nievre).exists()


def test_aucun_is_an_answer_and_drops_a_description(nievre, prefecture_58):
    feuille = feuilles_services.FeuilleInput(
        "Départementale",
        "departement:58",
        "departemental",
        contrat_preexistant="aucun",
        contrat_description="rien",
    )
    g = services.gouvernance_create(
        departement=nievre, user=prefecture_58, data=gouvernance_input(feuilles=[feuille])
    )
    saved = g.feuilles_de_route.get()
    assert (saved.contrat_preexistant, saved.contrat_description, saved.contrat_declare) == (
        "aucun",
        "",
        False,
    )


def test_a_comite_needs_only_its_type_and_frequence(nievre, prefecture_58):
    g = services.gouvernance_create(
        departement=nievre,
        user=prefecture_58,
        data=gouvernance_input(comites=[services.ComiteInput("technique", "trimestrielle", "", "")]),
    )
    comite = g.comites.get()
    assert (comite.type, comite.frequence, comite.composition, comite.role) == (
        "technique",
        "trimestrielle",
        "",
        "",
    )


def test_history_records_who_saved_which_section(gouvernance, prefecture_58):
    services.section_save(
        gouvernance=gouvernance,
        user=prefecture_58,
        section=Section.NOTE_CONTEXTE,
        version=1,
        data="<p>v2</p>",
    )
    events = selectors.historique(user=prefecture_58, gouvernance=gouvernance)
    assert events[0].section == "Note de contexte"
    assert events[0].auteur == "agent@nievre.test"
    assert events[0].detail == "Modification (version 2)"
    assert gouvernance.history.count() >= 2
    assert gouvernance.membres.first().history.first().history_change_reason == "Membres de la gouvernance"


def test_calendar_is_data(client):
    from gouvernances.models import Echeance

    assert "Texte modifié par un administrateur." not in client.get("/").content.decode()  # now cached
    echeance = Echeance.objects.get(code="premiere-information")
    echeance.texte = "Texte modifié par un administrateur."
    echeance.save()  # as the admin does: the cached calendar is renewed
    content = client.get("/").content.decode()
    assert "Texte modifié par un administrateur." in content
    assert "15 octobre 2023" in content
    assert "Juin 2024" in content
