import re

import pytest
from django.test import Client
from django.urls import reverse

from gouvernances.enums import Section, StatutGouvernance
from gouvernances.models import Gouvernance, SectionState
from tests import error_summary
from tests.browser_form import post_form

from .conftest import fermer_campagne
from .factories import (
    ComiteFactory,
    CoordinationFactory,
    FeuilleDeRouteFactory,
    GouvernanceFactory,
    MembreFactory,
)
from .helpers import HAUT_NIVERNAIS, NEVERS, ROW_FIELDS, full_form

pytestmark = pytest.mark.django_db

READERS = {
    "anonyme": 302,
    "structure": 404,
    "prefecture_autre": 404,
    "region_autre": 404,
    "prefecture": 200,
    "region": 200,
    "demo": 200,
    "admin": 200,
}
WRITERS = {**READERS, "region": 403, "demo": 403}


@pytest.fixture
def gouvernance():
    g = GouvernanceFactory(pressentie=True, pas_de_coporteur=False)
    MembreFactory(gouvernance=g, departement_cd=True, coporteur=True)
    FeuilleDeRouteFactory(gouvernance=g)
    CoordinationFactory(gouvernance=g)
    return g


def url(name, **kwargs):
    return reverse(f"gouvernances:{name}", kwargs={"code": "58", **kwargs})


@pytest.mark.parametrize(("role", "expected"), READERS.items())
@pytest.mark.parametrize("name", ["detail", "historique", "impression"])
def test_read_pages_access(client_for, gouvernance, role, expected, name):
    response = client_for(role).get(url(name))
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize(("role", "expected"), WRITERS.items())
@pytest.mark.parametrize("section", [s.value for s in Section])
def test_section_pages_access(client_for, gouvernance, role, expected, section):
    assert client_for(role).get(url("section", section=section)).status_code == expected


@pytest.mark.parametrize(("role", "expected"), {**WRITERS, "prefecture": 302, "admin": 302}.items())
def test_submit_access(client_for, gouvernance, role, expected):
    response = client_for(role).post(url("submit"), {"statut": "definitive"})
    assert response.status_code == expected
    gouvernance.refresh_from_db()
    assert (gouvernance.statut == StatutGouvernance.DEFINITIVE) == (expected == 302 and role != "anonyme")


@pytest.mark.parametrize(("role", "expected"), WRITERS.items())
def test_submit_confirmation_page_access(client_for, gouvernance, role, expected):
    response = client_for(role).get(url("submit") + "?statut=definitive")
    assert response.status_code == expected
    gouvernance.refresh_from_db()
    assert gouvernance.statut == StatutGouvernance.PRESSENTIE  # a GET sends nothing


def test_the_confirmation_page_shows_what_will_be_sent_then_sends_it(client_for):
    g = GouvernanceFactory(pas_de_coporteur=False)
    MembreFactory(gouvernance=g, departement_cd=True, coporteur=True)
    MembreFactory(gouvernance=g, structure_nom="Emmaüs Connect", referent_nom="", referent_email="")
    FeuilleDeRouteFactory(gouvernance=g, nom="Feuille de route départementale")
    CoordinationFactory(gouvernance=g, structure_nom="Nevers Agglomération recrute")
    client = client_for("prefecture")
    detail = client.get(url("detail")).content.decode()
    assert f'href="{url("submit")}?statut=pressentie"' in detail  # a link to the check, not a POST

    page = client.get(url("submit") + "?statut=pressentie")
    content = page.content.decode()
    assert (
        "<title>Remonter la gouvernance pressentie — Nièvre — Espace France Numérique Ensemble</title>"
        in content
    )
    assert "Vérifiez ce qui sera transmis à l'ANCT" in content
    for shown in ("Feuille de route départementale", "Nevers Agglomération recrute", "Emmaüs Connect"):
        assert shown in content
    # Asked for, not forced: the member without référent is named, and the button is there.
    assert "1 membre sans référent : Emmaüs Connect." in content
    assert "Confirmer : remonter la gouvernance pressentie" in content
    g.refresh_from_db()
    assert g.statut == StatutGouvernance.BROUILLON

    response = client.post(url("submit"), {"statut": "pressentie"})
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.statut == StatutGouvernance.PRESSENTIE


def test_the_confirmation_page_lists_what_blocks_the_sending(client_for):
    g = GouvernanceFactory(pas_de_coporteur=True, note_contexte="")
    MembreFactory(gouvernance=g, departement_cd=True)
    FeuilleDeRouteFactory(gouvernance=g, nom="Sans contrat", contrat_preexistant="")
    client = client_for("prefecture")
    content = client.get(url("submit") + "?statut=definitive").content.decode()
    for problem in (
        "Indiquez au moins une structure recruteuse des coordinateurs de conseillers numériques.",
        "Rédigez la note de contexte.",
        "Indiquez si la feuille de route « Sans contrat » a un contrat préexistant.",
    ):
        assert problem.replace("'", "&#x27;") in content
    assert "Confirmer : remonter" not in content
    response = client.post(url("submit"), {"statut": "definitive"})
    assert response["Location"] == url("submit") + "?statut=definitive"
    g.refresh_from_db()
    assert g.statut == StatutGouvernance.BROUILLON


@pytest.mark.parametrize(("role", "expected"), {**WRITERS, "prefecture": 400, "admin": 400}.items())
def test_first_save_access(client_for, role, expected):
    assert client_for(role).post(url("detail"), {}).status_code == expected
    assert not Gouvernance.objects.exists()


@pytest.mark.parametrize("role", list(READERS))
def test_public_view_is_open_to_anyone(client_for, gouvernance, role):
    assert client_for(role).get(url("publique")).status_code == 200


def test_public_view_never_shows_the_note_nor_the_sous_prefet(client, gouvernance):
    content = client.get(url("publique")).content.decode()
    assert "Conseil départemental de la Nièvre" in content
    assert "Co-porteur" in content
    assert gouvernance.sous_prefet_email not in content
    assert "Sous-Préfète" not in content
    assert "Note confidentielle" not in content
    assert "referent" not in content  # nor the members' contacts
    assert "Note confidentielle" in _prefecture_page(gouvernance)


def _prefecture_page(gouvernance):
    from django.test import Client

    from comptes.enums import Role
    from tests.conftest import make_user

    client = Client()
    client.force_login(make_user("autre-agent@nievre.test", Role.PREFECTURE, departement="58"))
    return client.get(url("detail")).content.decode()


def test_a_draft_is_not_public(client):
    GouvernanceFactory()
    content = client.get(url("publique")).content.decode()
    assert "pas encore été remontée" in content
    assert "Note confidentielle" not in content


def test_public_view_of_an_unknown_departement_is_404(client):
    assert client.get(reverse("gouvernances:publique", kwargs={"code": "999"})).status_code == 404


def test_first_save_through_the_page(client_for):
    client = client_for("prefecture")
    response = client.get(url("detail"))
    assert "Création de la gouvernance de la Nièvre" in response.content.decode()
    response = client.post(url("detail"), full_form())
    assert response.status_code == 302
    g = Gouvernance.objects.get(departement="58")
    assert g.membres.count() == 3
    assert "<script" not in g.note_contexte
    page = client.get(url("detail")).content.decode()
    assert "Feuille de route de l&#x27;agglomération de Nevers" in page
    assert "Communes couvertes" in page


def test_the_helper_rows_are_the_rows_the_page_renders(client_for):
    # The bodies of these tests are checked against the page: a row the helper posts carries
    # every field a browser sends for a row of the creation page, no fewer, no more.
    page = client_for("prefecture").get(url("detail")).content.decode()
    sent = post_form(page, contains="version").always_sent()
    for prefix, fields in ROW_FIELDS.items():
        assert [n.removeprefix(f"{prefix}-0-") for n in sent if n.startswith(f"{prefix}-0-")] == list(fields)


def test_first_save_errors_are_next_to_fields_and_input_is_kept(client_for):
    data = full_form(
        **{
            "membres-2-structure_siret": "12345678901234",
            "feuilles-1-epcis": [NEVERS, HAUT_NIVERNAIS],
            "feuilles-0-perimetre": "epci",
            "feuilles-0-epcis": [HAUT_NIVERNAIS],
        }
    )
    response = client_for("prefecture").post(url("detail"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "la clé de contrôle ne correspond pas" in content
    assert (
        "Les communes suivantes sont déjà couvertes par la feuille de route « Feuille de route départementale de la Nièvre » : "
        in content
    )
    assert "Clamecy" in content
    assert 'value="12345678901234"' in content
    assert 'value="La Poste — Direction régionale"' in content
    assert not Gouvernance.objects.exists()


def test_coporteur_rule_on_the_page(client_for):
    data = full_form(**{"membres-0-est_coporteur": None})
    content = client_for("prefecture").post(url("detail"), data).content.decode()
    assert "Désignez au moins un co-porteur" in content


def _post_sous_prefet(client, version, nom):
    return client.post(
        url("section", section="sous-prefet"),
        {"version": version, "prenom": "Paul", "nom": nom, "email": "paul@nievre.gouv.example"},
    )


def test_stale_save_is_refused_and_typed_input_is_kept(client, gouvernance, prefecture_58, admin_user):
    from django.test import Client

    first, second = Client(), client
    first.force_login(admin_user)
    second.force_login(prefecture_58)
    # Both open the page at version 0 (factory-made gouvernance); the administrator saves first.
    assert _post_sous_prefet(first, 0, "Premier").status_code == 302
    response = _post_sous_prefet(second, 0, "Second-Agent")
    assert response.status_code == 409
    content = response.content.decode()
    assert "admin@anct.test a enregistré la section « Sous-préfet référent » le" in content
    assert 'value="Second-Agent"' in content
    assert 'name="version" value="1"' in content
    gouvernance.refresh_from_db()
    assert gouvernance.sous_prefet_nom == "Premier"
    # Saving again, knowingly, replaces the first version.
    assert _post_sous_prefet(second, 1, "Second-Agent").status_code == 302
    assert SectionState.objects.get(gouvernance=gouvernance, section=Section.SOUS_PREFET).version == 2


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def _post_note(client, version, note):
    return client.post(
        url("section", section="note-de-contexte"), {"version": version, "note_contexte": note}
    )


def test_two_agents_the_later_save_is_refused_then_goes_through_deliberately(
    gouvernance, prefecture_58, admin_user
):
    admin_user.first_name, admin_user.last_name = "Camille", "Martin"
    admin_user.save()
    first, second = _logged_in(admin_user), _logged_in(prefecture_58)
    # Both open the section page.
    first_page = first.get(url("section", section="note-de-contexte")).content.decode()
    second_page = second.get(url("section", section="note-de-contexte")).content.decode()

    assert _post_note(first, _version_in(first_page), "<p>Note de Camille</p>").status_code == 302
    response = _post_note(second, _version_in(second_page), "<p>Note du second agent</p>")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Quelqu'un a enregistré avant vous" in html
    assert "Camille Martin a enregistré la section « Note de contexte » le " in html
    assert "Note du second agent" in html  # what the second agent typed is kept
    assert f'href="{url("detail")}#note-de-contexte" target="_blank"' in html
    gouvernance.refresh_from_db()
    assert gouvernance.note_contexte == "<p>Note de Camille</p>"
    state = SectionState.objects.get(gouvernance=gouvernance, section=Section.NOTE_CONTEXTE)
    assert (state.version, state.modifie_par) == (1, admin_user)
    assert _version_in(html) == "1"

    assert _post_note(second, _version_in(html), "<p>Note du second agent</p>").status_code == 302
    gouvernance.refresh_from_db()
    assert gouvernance.note_contexte == "<p>Note du second agent</p>"
    state.refresh_from_db()
    assert (state.version, state.modifie_par) == (2, prefecture_58)


def test_a_creation_posted_after_someone_else_created_the_gouvernance_keeps_the_input(
    prefecture_58, admin_user
):
    admin_user.first_name, admin_user.last_name = "Camille", "Martin"
    admin_user.save()
    first, second = _logged_in(admin_user), _logged_in(prefecture_58)
    second_page = second.get(url("detail")).content.decode()
    assert "Création de la gouvernance de la Nièvre" in second_page
    assert first.post(url("detail"), full_form()).status_code == 302

    response = second.post(url("detail"), full_form(**{"sous_prefet-nom": "Seconde-Saisie"}))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Camille Martin a enregistré la gouvernance de ce département le " in html
    assert "reportez-y, section par section" in html
    assert 'value="Seconde-Saisie"' in html
    assert Gouvernance.objects.get(departement="58").sous_prefet_nom == "Sous-Préfète"


def test_membres_section_page_keeps_rows(client_for, gouvernance):
    client = client_for("prefecture")
    content = client.get(url("section", section="membres")).content.decode()
    # Each member folded to its summary, its label, never a key; no select of every commune.
    assert "Nièvre (Conseil départemental, 58) — référent : Alice Référente" in content
    assert "departement:58" not in content
    assert "<select" not in content.split('id="membres-0-ligne"')[1].split("</details>")[0]
    assert content.count("<option") < 20


def test_after_the_deadline_the_form_is_read_only(client_for, gouvernance):
    fermer_campagne()
    client = client_for("prefecture")
    response = client.get(url("section", section="note-de-contexte"))
    assert response.status_code == 302
    page = client.get(url("detail")).content.decode()
    assert "L&#x27;échéance de la campagne est passée" in page
    assert "Modifier" not in page
    response = client.post(
        url("section", section="note-de-contexte"), {"version": 0, "note_contexte": "<p>trop tard</p>"}
    )
    assert response.status_code == 302
    gouvernance.refresh_from_db()
    assert "trop tard" not in gouvernance.note_contexte


def test_reopened_form_is_editable_again(client_for, gouvernance):
    import datetime

    from django.utils import timezone

    fermer_campagne()
    gouvernance.rouverte_jusquau = timezone.localdate() + datetime.timedelta(days=2)
    gouvernance.save()
    client = client_for("prefecture")
    assert "formulaire rouvert par l'ANCT" in client.get(url("detail")).content.decode()
    response = client.post(
        url("section", section="note-de-contexte"), {"version": 0, "note_contexte": "<p>ok</p>"}
    )
    assert response.status_code == 302


def test_history_page_lists_section_saves(client_for, gouvernance):
    client = client_for("prefecture")
    _post_sous_prefet(client, 0, "Nouveau")
    content = client_for("region").get(url("historique")).content.decode()
    assert "Sous-préfet référent" in content
    assert "agent@nievre.test" in content


def test_print_view_has_the_a4_stylesheet(client_for, gouvernance):
    content = client_for("prefecture").get(url("impression")).content.decode()
    assert "css/gouvernance-print.css" in content
    assert "Note confidentielle" in content


def test_departement_home_links_to_the_form(client_for):
    content = client_for("prefecture").get(reverse("espace:departement", kwargs={"code": "58"})).content
    assert url("detail").encode() in content


def _big_gouvernance(n_membres=40, n_feuilles=6):
    from territoires.models import Epci

    g = GouvernanceFactory(pressentie=True)
    epcis = list(Epci.objects.filter(departements="58").order_by("code"))
    membres = [MembreFactory(gouvernance=g, epci_code=e.code) for e in epcis]
    membres += [MembreFactory(gouvernance=g) for _ in range(n_membres - len(membres))]
    FeuilleDeRouteFactory(gouvernance=g, porteur=None)
    for i in range(n_feuilles - 1):
        FeuilleDeRouteFactory(gouvernance=g, infra=True, porteur=membres[i], epcis=epcis[2 * i : 2 * i + 2])
    for _ in range(3):
        ComiteFactory(gouvernance=g)
        CoordinationFactory(gouvernance=g)
    return g


@pytest.mark.parametrize("name", ["detail", "publique", "section"])
def test_query_count_does_not_grow_with_rows(client_for, name, django_assert_max_num_queries, capsys):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.cache import invalidate
    from gouvernances.signals import GOUVERNANCES

    client = client_for("prefecture")
    kwargs = {"section": "membres"} if name == "section" else {}
    counts = []
    for size in ((5, 2), (40, 6)):
        Gouvernance.objects.all().delete()
        _big_gouvernance(*size)
        client.get(url(name, **kwargs))  # warm caches (session, calendar)
        # The detail page's content is cached until the gouvernance changes: count its computation.
        invalidate(GOUVERNANCES)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(name, **kwargs)).status_code == 200
        counts.append(len(ctx.captured_queries))
        if name == "detail":
            with CaptureQueriesContext(connection) as cached:
                assert client.get(url(name, **kwargs)).status_code == 200
            assert len(cached) < len(ctx), "the second read comes from the cache"
    with capsys.disabled():
        print(f"\n[query count] {name}: {counts[0]} (5 membres, 2 FdR) → {counts[1]} (40 membres, 6 FdR)")
    assert counts[0] == counts[1]
    assert counts[1] <= 25


def test_the_seine_saint_denis_declares_infra_departementales_over_its_ept(client):
    """Its only EPCI à fiscalité propre is the Métropole du Grand Paris: the EPT make the périmètres."""
    from tests.conftest import make_user

    plaine_commune, est_ensemble = "200057867", "200057875"
    agent = make_user("agent@seine-saint-denis.test", "prefecture", departement="93")
    client.force_login(agent)
    page = client.get(url("detail", code="93")).content.decode()
    assert "Plaine Commune (établissement public territorial)" in page
    data = full_form(
        **{
            "membres-0-key": "departement:93",
            "membres-1-key": f"epci:{plaine_commune}",
            "feuilles-0-porteur": "departement:93",
            "feuilles-0-perimetre": "epci",
            "feuilles-0-epcis": [est_ensemble],
            "feuilles-0-nom": "Est Ensemble numérique",
            "feuilles-1-porteur": f"epci:{plaine_commune}",
            "feuilles-1-epcis": [plaine_commune],
            "feuilles-1-nom": "Plaine Commune numérique",
        }
    )
    response = client.post(url("detail", code="93"), data)
    assert response.status_code == 302, response.content.decode()
    gouvernance = Gouvernance.objects.get(departement="93")
    assert {f.nom: [e.code for e in f.epcis.all()] for f in gouvernance.feuilles_de_route.all()} == {
        "Est Ensemble numérique": [est_ensemble],
        "Plaine Commune numérique": [plaine_commune],
    }
    assert gouvernance.membres.get(epci=plaine_commune).peut_porter


def test_errors_of_the_whole_form_are_summarised_at_the_top_and_in_the_title(client_for):
    data = full_form(**{"membres-2-structure_siret": "12345678901234"})
    html = client_for("prefecture").post(url("detail"), data).content.decode()
    assert (
        error_summary.title(html)
        == "Erreur : Création d&#x27;une gouvernance — Nièvre — Espace France Numérique Ensemble"
    )
    assert "la clé de contrôle ne correspond pas" in error_summary.summary(html)
    assert "id_membres-2-structure_siret" in error_summary.summary_anchors(html)


def test_the_page_title_says_the_page_and_the_departement(client_for, gouvernance):
    html = client_for("prefecture").get(url("detail")).content.decode()
    assert error_summary.title(html) == "Gouvernance — Nièvre — Espace France Numérique Ensemble"
