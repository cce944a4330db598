"""The département's pages through the client: role × access, the two steps with good and bad
input, totals, tamper rejection, concurrency and deadline locking as the user sees them."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from besoins.enums import CARTE_RESSOURCE_HUMAINE
from besoins.models import Besoins
from tests import error_summary
from tests.browser_form import post_form

from .conftest import fermer_campagne
from .factories import besoins_complets

READ_ACCESS = {
    "anonyme": 302,
    "structure": 404,
    "prefecture_autre": 404,
    "region_autre": 404,
    "region": 200,
    "demo": 200,
    "prefecture": 200,
    "admin": 200,
}
WRITE_ACCESS = {**READ_ACCESS, "region": 403, "demo": 403}


def url(name, code="58"):
    return reverse(f"besoins:{name}", kwargs={"code": code})


@pytest.fixture
def form_data(gouvernance_58, users):
    """`form_data(version=…, **overrides)`: the selection page's body as a browser sends it —
    every field the page renders (read from the page, blank unless the test fills it) — with
    the test's answers. A body lacking a rendered field is refused as incomplete, whatever else
    it says."""
    reader = Client()
    reader.force_login(users["admin"])
    page = post_form(reader.get(url("selection")).content.decode(), contains="version")
    rendered = {name: "" for name in page.always_sent() if name != "csrfmiddlewaretoken"}

    def _data(version=0, **overrides):
        data = {
            **rendered,
            "version": str(version),
            "diagnostic__selection": "on",
            "diagnostic__ressource_humaine": "on",
            "diagnostic__etp": "0,5",
            "diagnostic__prestation": "on",
            "fonds_local__selection": "on",
            "fonds_local__prestation": "on",
            "former_agents__selection": "on",
            "former_agents__personnes": "40",
            "chef_de_projet": "oui",
            "chef_de_projet_structure": "Conseil départemental de la Nièvre",
            "etudes": "Étude sur l'hybridation des financements\n\nÉtude de marché locale",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}

    return _data


@pytest.mark.parametrize(("role", "status"), READ_ACCESS.items())
@pytest.mark.parametrize("name", ["synthese", "selection", "priorisation"])
def test_read_access(client_for, gouvernance_58, role, status, name):
    besoins_complets(gouvernance_58)
    response = client_for(role).get(url(name))
    assert response.status_code == status
    if status == 302:
        assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize(("role", "status"), WRITE_ACCESS.items())
@pytest.mark.parametrize("name", ["selection", "priorisation", "totaux"])
def test_write_access(client_for, gouvernance_58, form_data, role, status, name):
    besoins = besoins_complets(gouvernance_58)
    data = (
        form_data(version=besoins.version)
        if name != "priorisation"
        else {"version": besoins.version, "ordre": besoins.priorites}
    )
    response = client_for(role).post(url(name), data)
    expected = {200: (200, 302)}.get(status, (status,))
    assert response.status_code in expected
    if status == 302:
        assert "/comptes/login/" in response["Location"]
    if status in (403, 404):
        besoins.refresh_from_db()
        assert besoins.version == 1  # nothing written


def test_read_only_roles_see_a_disabled_form_without_buttons(client_for, gouvernance_58):
    besoins_complets(gouvernance_58)
    html = client_for("region").get(url("selection")).content.decode()
    assert "Consultation seule" in html
    assert 'class="fne-besoins-fieldset" disabled' in html
    assert "Enregistrer et passer à la priorisation" not in html
    html = client_for("demo").get(url("priorisation")).content.decode()
    assert 'name="deplacer"' not in html
    assert "Enregistrer la priorisation" not in html


def test_without_gouvernance_the_page_says_to_save_it_first(client_for):
    html = client_for("prefecture").get(url("synthese")).content.decode()
    assert "Formulaire de gouvernance à enregistrer d'abord" in html
    assert client_for("prefecture").get(url("selection")).status_code == 200


def test_step_one_saves_and_goes_to_step_two(client_for, gouvernance_58, form_data, prefecture_58):
    client = client_for("prefecture")
    assert "Faire un diagnostic territorial" in client.get(url("selection")).content.decode()

    response = client.post(url("selection"), form_data())

    assert response.status_code == 302
    assert response["Location"] == url("priorisation")
    besoins = Besoins.objects.get(gouvernance=gouvernance_58)
    assert {b.item for b in besoins.lignes.all()} == {"diagnostic", "fonds_local", "former_agents"}
    assert besoins.lignes.get(item="diagnostic").etp == Decimal("0.5")
    assert besoins.etudes == ["Étude sur l'hybridation des financements", "Étude de marché locale"]
    html = client.get(url("priorisation")).content.decode()
    assert "Ressource humaine (0,5 ETP)" in html
    assert "Formation — 40 personnes à former" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"diagnostic__etp": "0"}, "diagnostic__etp", "L&#x27;estimation en ETP doit être supérieure à 0."),
        ({"diagnostic__etp": "-1"}, "diagnostic__etp", "L&#x27;estimation en ETP doit être supérieure à 0."),
        ({"diagnostic__etp": "un demi"}, "diagnostic__etp", "Saisissez un nombre, par exemple 0,5."),
        ({"diagnostic__etp": ""}, "diagnostic__etp", "Indiquez une estimation en ETP"),
        (
            {"diagnostic__ressource_humaine": None, "diagnostic__prestation": None},
            "diagnostic__reponse",
            "Choisissez « Ressource humaine », « Prestation de service » ou les deux.",
        ),
        ({"former_agents__personnes": "0"}, "former_agents__personnes", "doit être d&#x27;au moins 1"),
        ({"former_agents__personnes": "beaucoup"}, "former_agents__personnes", "Saisissez un nombre entier"),
        (
            {"former_agents__personnes": ""},
            "former_agents__personnes",
            "Indiquez le nombre de personnes à former.",
        ),
        (
            {"formaliser_autre__selection": "on", "formaliser_autre__prestation": "on"},
            "formaliser_autre__precision",
            "Précisez ce besoin.",
        ),
        ({"chef_de_projet": None}, "chef_de_projet", "Indiquez si un chef de projet"),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(
    client_for, gouvernance_58, form_data, overrides, field, message
):
    data = form_data(**overrides)
    response = client_for("prefecture").post(url("selection"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Vos besoins ne sont pas enregistrés" in html
    form = response.context["form"]
    if field.endswith("__reponse"):
        assert form.reponse_errors[field.removesuffix("__reponse")]
    else:
        assert field in form.errors
    # What was typed is still there.
    assert "Étude de marché locale" in html
    assert 'value="Conseil départemental de la Nièvre"' in html
    if data.get("diagnostic__etp"):
        assert f'value="{data["diagnostic__etp"]}"' in html
    assert not Besoins.objects.filter(lignes__isnull=False).exists()


def test_nothing_selected_is_refused(client_for, gouvernance_58):
    data = {"version": "0", "chef_de_projet": "non"}
    html = client_for("prefecture").post(url("selection"), data).content.decode()
    assert "Sélectionnez au moins un besoin, ou indiquez que le département n&#x27;en a aucun." in html


def test_a_departement_may_declare_it_has_no_besoin(client_for, gouvernance_58):
    client = client_for("prefecture")
    body = post_form(client.get(url("selection")).content.decode(), contains="version").as_post()
    body.update(chef_de_projet=["non"], aucun_besoin=["on"])
    response = client.post(url("selection"), body)
    assert response["Location"] == url("synthese")
    besoins = Besoins.objects.get()
    assert besoins.aucun_besoin
    assert not besoins.lignes.exists()
    html = client.get(url("synthese")).content.decode()
    assert "Le département a déclaré n'avoir aucun besoin en ingénierie." in html
    page = client.get(url("selection")).content.decode()
    assert re.search(r'name="aucun_besoin" id="id_aucun_besoin" checked', page)


def test_aucun_besoin_with_a_selected_item_is_refused(client_for, gouvernance_58, form_data):
    data = form_data(aucun_besoin="on")
    html = client_for("prefecture").post(url("selection"), data).content.decode()
    assert "Vous avez indiqué n&#x27;avoir aucun besoin et sélectionné des besoins" in html
    assert not Besoins.objects.filter(aucun_besoin=True).exists()


def test_a_stale_page_is_refused_and_keeps_the_input(client_for, gouvernance_58, form_data, admin_user):
    besoins = besoins_complets(gouvernance_58, modifie_par=admin_user)
    client = client_for("prefecture")
    data = form_data(version=besoins.version - 1, etudes="Mon étude à moi")
    response = client.post(url("selection"), data)

    html = response.content.decode()
    assert response.status_code == 409
    assert "admin@anct.test a enregistré vos besoins en ingénierie" in html
    assert "Mon étude à moi" in html
    assert "Mon étude à moi" not in Besoins.objects.get().etudes  # nothing overwritten
    # The page now carries the current version: saving again (after review) goes through.
    assert response.context["form"]["version"].value() == str(besoins.version)
    assert client.post(url("selection"), {**data, "version": besoins.version}).status_code == 302


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_two_agents_the_later_save_is_refused_then_goes_through_deliberately(
    gouvernance_58, form_data, prefecture_58, admin_user
):
    admin_user.first_name, admin_user.last_name = "Camille", "Martin"
    admin_user.save()
    first, second = _logged_in(admin_user), _logged_in(prefecture_58)
    # Both open the selection page before anything is saved.
    first_page = first.get(url("selection")).content.decode()
    second_page = second.get(url("selection")).content.decode()

    saved = first.post(url("selection"), form_data(version=_version_in(first_page), etudes="Étude A"))
    assert saved.status_code == 302
    response = second.post(url("selection"), form_data(version=_version_in(second_page), etudes="Étude B"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Quelqu'un a enregistré avant vous" in html
    assert "Camille Martin a enregistré vos besoins en ingénierie le " in html
    assert "Étude B" in html  # what the second agent typed is kept
    stored = Besoins.objects.get()
    assert (stored.etudes, stored.modifie_par, stored.version) == (["Étude A"], admin_user, 1)
    assert _version_in(html) == "1"

    again = second.post(url("selection"), form_data(version=_version_in(html), etudes="Étude B"))
    assert again.status_code == 302
    stored = Besoins.objects.get()
    assert (stored.etudes, stored.modifie_par, stored.version) == (["Étude B"], prefecture_58, 2)


def test_a_stale_priorisation_keeps_the_order_chosen_and_names_who_saved(
    gouvernance_58, prefecture_58, admin_user
):
    besoins = besoins_complets(gouvernance_58, modifie_par=admin_user)
    stored = list(besoins.priorites)
    mine = list(reversed(stored))
    second = _logged_in(prefecture_58)
    response = second.post(url("priorisation"), {"version": besoins.version - 1, "ordre": mine})
    assert response.status_code == 409
    html = response.content.decode()
    assert "admin@anct.test a enregistré vos besoins en ingénierie" in html
    assert re.findall(r'name="ordre" value="([^"]+)"', html) == mine  # the order chosen is kept
    assert Besoins.objects.get().priorites == stored  # nothing overwritten
    assert _version_in(html) == str(besoins.version)
    again = second.post(url("priorisation"), {"version": _version_in(html), "ordre": mine})
    assert again["Location"] == url("synthese")
    assert Besoins.objects.get().priorites == mine


def test_live_totals_are_computed_by_the_server(client_for, gouvernance_58, form_data):
    data = form_data(
        animer__selection="on",
        animer__ressource_humaine="on",
        animer__etp="1,25",
        qualiopi__selection="on",
        qualiopi__prestation="on",
    )
    response = client_for("prefecture").post(url("totaux"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="besoins-totaux"' in html
    assert '<strong data-testid="total-etp">1,75</strong>' in html
    assert '<strong data-testid="total-prestations">3</strong>' in html
    assert '<strong data-testid="total-personnes">40</strong>' in html
    assert '<strong data-testid="total-besoins">5</strong>' in html
    assert not Besoins.objects.exists()


def test_selection_page_shows_totals_and_the_htmx_hook(client_for, gouvernance_58):
    besoins_complets(gouvernance_58)
    html = client_for("prefecture").get(url("selection")).content.decode()
    assert f'hx-post="{url("totaux")}"' in html
    assert '<strong data-testid="total-etp">0,5</strong>' in html
    assert "<script>" not in html.replace('<script src="', "")


def test_priorisation_buttons_move_a_card_without_script(client_for, gouvernance_58):
    besoins = besoins_complets(gouvernance_58)
    client = client_for("prefecture")
    ordre = list(besoins.priorites)  # former_agents, RH, diagnostic, fonds_local
    response = client.post(
        url("priorisation"), {"version": besoins.version, "ordre": ordre, "deplacer": f"descendre:{ordre[0]}"}
    )
    assert response.status_code == 302
    assert response["Location"] == url("priorisation") + "#carte-former_agents"
    besoins.refresh_from_db()
    assert besoins.priorites == [CARTE_RESSOURCE_HUMAINE, "former_agents", "diagnostic", "fonds_local"]

    response = client.post(
        url("priorisation"), {"version": besoins.version, "ordre": ["fonds_local", *besoins.priorites[:-1]]}
    )
    assert response["Location"] == url("synthese")
    besoins.refresh_from_db()
    assert besoins.priorites[0] == "fonds_local"
    html = client.get(url("synthese")).content.decode()
    assert html.index("Structurer un fonds local") < html.index("Ressource humaine (0,5 ETP)")


def test_a_tampered_priority_list_is_refused_with_a_french_message(client_for, gouvernance_58):
    besoins = besoins_complets(gouvernance_58)
    stored = list(besoins.priorites)
    client = client_for("prefecture")
    response = client.post(
        url("priorisation"),
        {"version": besoins.version, "ordre": [*stored[:-1], "vehicule_juridique"]},
        follow=True,
    )
    assert "ne correspond pas aux besoins sélectionnés" in response.content.decode()
    besoins.refresh_from_db()
    assert besoins.priorites == stored


def test_locked_after_the_deadline(client_for, gouvernance_58, form_data):
    besoins = besoins_complets(gouvernance_58)
    fermer_campagne()
    client = client_for("prefecture")
    html = client.get(url("selection")).content.decode()
    assert "L&#x27;échéance de la campagne est passée" in html
    assert client.post(url("selection"), form_data(version=besoins.version)).status_code == 403
    post = {"version": besoins.version, "ordre": besoins.priorites}
    assert client.post(url("priorisation"), post).status_code == 403
    # Reopened by an administrator: writable again.
    from django.utils import timezone

    gouvernance_58.rouverte_jusquau = timezone.localdate()
    gouvernance_58.save()
    assert client.post(url("priorisation"), post).status_code == 302


def test_synthese_shows_what_is_stored(client_for, gouvernance_58):
    besoins_complets(gouvernance_58)
    html = client_for("region").get(url("synthese")).content.decode()
    assert "Faire un diagnostic territorial" in html
    assert "Oui (0,5 ETP)" in html
    assert "Nécessaire — structure envisagée : Conseil départemental" in html


def test_home_card_and_navigation(client_for, gouvernance_58):
    besoins_complets(gouvernance_58)
    html = client_for("prefecture").get(reverse("espace:departement", kwargs={"code": "58"})).content.decode()
    assert 'id="besoins"' in html
    assert "3 besoins · 0,5 ETP · 2 prestations · 20 personnes à former" in html
    assert f'href="{url("synthese")}"' in html
    html = client_for("admin").get("/").content.decode()
    assert "Besoins (national)" in html


def test_synthese_query_count_does_not_grow(client_for, gouvernance_58, django_assert_max_num_queries):
    besoins_complets(gouvernance_58)
    client = client_for("prefecture")
    with django_assert_max_num_queries(15):
        client.get(url("synthese"))


def test_errors_are_summarised_at_the_top_with_links_and_in_the_title(client_for, gouvernance_58, form_data):
    data = form_data(diagnostic__etp="un demi")
    data.pop("fonds_local__ressource_humaine", None)
    data.pop("fonds_local__prestation", None)
    client = client_for("prefecture")
    html = client.post(url("selection"), data).content.decode()
    assert error_summary.title(html).startswith("Erreur : ")
    summary = error_summary.summary(html)
    assert "Saisissez un nombre, par exemple 0,5." in summary
    assert "Choisissez « Ressource humaine », « Prestation de service » ou les deux." in summary
    anchors = error_summary.summary_anchors(html)
    assert "id_diagnostic__etp" in anchors
    assert "id_fonds_local__ressource_humaine" in anchors
    # The page as first read has neither.
    page = client.get(url("selection")).content.decode()
    assert not error_summary.title(page).startswith("Erreur")
    assert not error_summary.has_summary(page)


def test_the_besoins_pages_name_their_departement_in_the_title(client_for, gouvernance_58):
    client = client_for("prefecture")
    titles = [
        error_summary.title(client.get(url(name)).content.decode()) for name in ("synthese", "selection")
    ]
    assert titles == [
        "Besoins en ingénierie — Nièvre — Espace France Numérique Ensemble",
        "Besoins en ingénierie — sélection — Nièvre — Espace France Numérique Ensemble",
    ]
