"""A POST that lacks a field is not a POST that empties it.

For every page that edits stored data, the test reads the form the page renders, posts it back
once per field with that one field cut off (as a truncated body would arrive), and checks that
each is refused with the French message and that nothing stored changed. Last, the complete
form is posted as the page rendered it: it saves (the check does not refuse honest input).
"""

import re

import pytest
from django.urls import reverse

from candidatures.enums import EtapePorter
from core.forms import INCOMPLETE, MISSING_FIELD
from feuilles_de_route.enums import SectionDocument
from gouvernances.enums import Section
from tests.browser_form import page_text, post_form
from tests.candidatures.factories import ContactFactory, ManifestationFactory, PerimetreFactory
from tests.reliability.snapshot import rows_lost, snapshot

pytestmark = pytest.mark.django_db

# Fields a browser sends that no form requires: the CSRF token (the test client does not check
# it) and the management form's informative bounds.
NOT_REQUIRED = ("csrfmiddlewaretoken", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
ROW = re.compile(r"^(?P<prefix>.+)-(?P<index>\d+)-")
REFUSALS = (INCOMPLETE, MISSING_FIELD, "La page a expiré", "incomplet")


def _extra_row(name: str, data: dict) -> bool:
    """A field of a formset's blank extra row: leaving it out loses nothing (the row is new)."""
    match = ROW.match(name)
    if not match:
        return False
    initial = data.get(f"{match['prefix']}-INITIAL_FORMS", ["0"])[0]
    return int(match["index"]) >= int(initial)


def check_every_field(client, url: str, *, saved_status=302):
    page = client.get(url)
    assert page.status_code == 200, url
    form = post_form(page.content.decode(), contains="version")
    full = form.as_post()
    names = [n for n in form.always_sent() if not n.endswith(NOT_REQUIRED) and not _extra_row(n, full)]
    assert names, url
    tried = lost = errors_500 = 0
    for name in names:
        before = snapshot()
        response = client.post(url, form.as_post(without=name))
        tried += 1
        errors_500 += response.status_code >= 500
        assert response.status_code in (200, 400, 409), f"{url} sans « {name} » : {response.status_code}"
        content = page_text(response)
        assert any(text in content for text in REFUSALS), f"{url} sans « {name} » : pas de refus affiché"
        lost += rows_lost(before, snapshot())
    assert lost == 0, f"{url} : {lost} lignes modifiées par des envois incomplets"
    # The page as rendered, complete: it saves.
    response = client.post(url, full)
    tried += 1
    assert response.status_code == saved_status, f"{url} complet : {response.status_code}"
    return tried, errors_500, lost


def gouvernance_urls():
    return [
        pytest.param(reverse("gouvernances:section", kwargs={"code": "58", "section": s.value}), id=s.value)
        for s in Section
    ]


FDR_SECTIONS = [
    s for s in SectionDocument if s not in (SectionDocument.PRIORITES, SectionDocument.SIGNATAIRES)
]


@pytest.mark.parametrize("section", [s.value for s in Section])
def test_every_gouvernance_section(client, prefecture_58, contenu_58, figures, section):
    client.force_login(prefecture_58)
    url = reverse("gouvernances:section", kwargs={"code": "58", "section": section})
    tried, errors_500, lost = check_every_field(client, url)
    figures(
        classe="envoi incomplet",
        requetes=tried,
        erreurs_500=errors_500,
        lignes_perdues=lost,
        detail=f"gouvernance, section {section}",
    )


@pytest.mark.parametrize("section", [s.value for s in FDR_SECTIONS])
def test_every_section_of_the_feuille_de_route_document(client, prefecture_58, contenu_58, figures, section):
    client.force_login(prefecture_58)
    url = reverse("feuilles_de_route:section", kwargs={"pk": contenu_58["feuille"].pk, "section": section})
    tried, errors_500, lost = check_every_field(client, url)
    figures(
        classe="envoi incomplet",
        requetes=tried,
        erreurs_500=errors_500,
        lignes_perdues=lost,
        detail=f"document, section {section}",
    )


def test_the_axe_and_the_fiche_action(client, prefecture_58, contenu_58, figures):
    client.force_login(prefecture_58)
    pk, axe, fiche = contenu_58["feuille"].pk, contenu_58["axe"], contenu_58["fiche"]
    total = [0, 0, 0]
    for url in (
        reverse("feuilles_de_route:axe", kwargs={"pk": pk, "axe_pk": axe.pk}),
        reverse("feuilles_de_route:fiche", kwargs={"pk": pk, "axe_pk": axe.pk, "fiche_pk": fiche.pk}),
    ):
        for i, value in enumerate(check_every_field(client, url)):
            total[i] += value
    figures(
        classe="envoi incomplet",
        requetes=total[0],
        erreurs_500=total[1],
        lignes_perdues=total[2],
        detail="axe et fiche action",
    )


def test_the_besoins_selection(client, prefecture_58, contenu_58, figures):
    client.force_login(prefecture_58)
    tried, errors_500, lost = check_every_field(client, reverse("besoins:selection", kwargs={"code": "58"}))
    figures(
        classe="envoi incomplet",
        requetes=tried,
        erreurs_500=errors_500,
        lignes_perdues=lost,
        detail="besoins, sélection",
    )


@pytest.fixture
def porteur_draft(structure_user):
    manifestation = ManifestationFactory(
        user=structure_user, porteur_epci=True, version=1, dispositifs_existants="Un SDUN depuis 2020."
    )
    ContactFactory(manifestation=manifestation)
    ContactFactory(manifestation=manifestation, type="technique", nom="Technique")
    row = PerimetreFactory(manifestation=manifestation)
    # The périmètre's contact is filled, as a page being corrected holds it.
    ContactFactory(manifestation=manifestation, perimetre=row, nom="Commune")
    return manifestation


@pytest.mark.parametrize(
    "etape", [EtapePorter.INFORMATIONS, EtapePorter.PERIMETRE, EtapePorter.CONTACTS, EtapePorter.STRUCTURES]
)
def test_every_step_of_the_porter_form(client, structure_user, porteur_draft, figures, etape):
    client.force_login(structure_user)
    tried, errors_500, lost = check_every_field(
        client, reverse("candidatures:porter", kwargs={"etape": etape})
    )
    figures(
        classe="envoi incomplet",
        requetes=tried,
        erreurs_500=errors_500,
        lignes_perdues=lost,
        detail=f"porter, étape {etape}",
    )


@pytest.mark.parametrize("trait", ["commune", "structure"])
def test_the_participer_form(client, structure_user, figures, trait):
    manifestation = ManifestationFactory(
        user=structure_user, version=1, **({"structure": True} if trait == "structure" else {})
    )
    ContactFactory(manifestation=manifestation, type="structure" if trait == "structure" else "politique")
    client.force_login(structure_user)
    tried, errors_500, lost = check_every_field(client, reverse("candidatures:participer"))
    figures(
        classe="envoi incomplet",
        requetes=tried,
        erreurs_500=errors_500,
        lignes_perdues=lost,
        detail=f"participer ({trait})",
    )


def test_a_body_with_only_the_version_keeps_the_note_de_contexte(client, prefecture_58, contenu_58):
    """The case that erased the note: a truncated body that carries only the version."""
    client.force_login(prefecture_58)
    url = reverse("gouvernances:section", kwargs={"code": "58", "section": "note-de-contexte"})
    response = client.post(url, {"version": "0"})
    assert response.status_code == 400
    assert INCOMPLETE in page_text(response)
    contenu_58["gouvernance"].refresh_from_db()
    assert contenu_58["gouvernance"].note_contexte == "<p>Note confidentielle de contexte</p>"
