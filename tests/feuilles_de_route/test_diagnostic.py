"""Section II describes the feuille de route's own périmètre, and is refreshed on demand: the
page shows what changes, the writer confirms, a colleague's save in between is refused."""

import pytest
from django.urls import reverse

from core.formats import french_number
from feuilles_de_route import prefill, services
from feuilles_de_route.enums import SectionDocument
from feuilles_de_route.models import Document, SectionState
from territoires.models import Commune, Epci
from tests.feuilles_de_route.factories import DocumentFactory, FeuilleDeRouteFactory

pytestmark = pytest.mark.django_db

PUISAYE = "200067130"  # CC de Puisaye-Forterre: 6 communes in the Nièvre, the rest in the Yonne
NEVERS = "245804406"


def _communes(departement: str, *epcis: str):
    communes = Commune.objects.filter(departement_id=departement)
    return communes.filter(epci_id__in=epcis) if epcis else communes


def test_an_infra_departementale_describes_its_epci_communes_within_the_departement():
    feuille = FeuilleDeRouteFactory(infra=True, epcis=Epci.objects.filter(code__in=[PUISAYE, NEVERS]))
    textes = prefill.synthese_textes(prefill.perimetre_of(feuille))

    communes = _communes("58", PUISAYE, NEVERS)
    population = sum(c.population for c in communes)
    assert communes.count() == 20  # 14 for Nevers, 6 of Puisaye-Forterre's (not its Yonne ones)
    besoins = textes["besoins_publics"]
    assert besoins.startswith(
        "Le périmètre de la feuille de route, les communes de la CA de Nevers et de la "
        "CC de Puisaye-Forterre situées dans le département de la Nièvre, compte "
        f"{french_number(population)} habitants répartis dans 20 communes."
    )
    assert "309 communes" not in besoins
    # Every part says which territory its figures cover.
    for texte in textes.values():
        assert texte.endswith(
            "sur les communes de la CA de Nevers et de la CC de Puisaye-Forterre "
            "situées dans le département de la Nièvre."
        )
    assert "n'est publiée que par département" in textes["offre"]


def test_a_departementale_describes_the_departement_and_a_regionale_the_region():
    departementale = FeuilleDeRouteFactory()
    textes = prefill.synthese_textes(prefill.perimetre_of(departementale))
    assert (
        "Le périmètre de la feuille de route, le département de la Nièvre, compte"
        in textes["besoins_publics"]
    )
    assert "dans 309 communes." in textes["besoins_publics"]

    regionale = FeuilleDeRouteFactory(perimetre="regional")
    perimetre = prefill.perimetre_of(regionale)
    assert perimetre.libelle == "la région Bourgogne-Franche-Comté (8 départements)"
    total = Commune.objects.filter(departement__region_id="27").count()
    assert f"dans {french_number(total)} communes." in prefill.synthese_textes(perimetre)["besoins_publics"]


def test_a_region_of_one_departement_is_named_in_the_singular():
    from types import SimpleNamespace

    from feuilles_de_route import libelles

    region = SimpleNamespace(nom="Guadeloupe")
    assert libelles.perimetre_region(region, 1) == "la région Guadeloupe (1 département)"


def test_singular_counts_agree():
    feuille = FeuilleDeRouteFactory(infra=True, epcis=Epci.objects.filter(code=PUISAYE))
    textes = prefill.synthese_textes(prefill.perimetre_of(feuille))
    # No lieu is imported in the test data: « 0 lieu … est recensé », « 6 communes … n'ont ».
    assert textes["offre"].startswith("0 lieu de médiation numérique est recensé")
    assert "6 communes (3\u202f284 habitants) n'ont aucun lieu de médiation numérique." in textes["enjeux"]


def test_document_start_prefills_the_perimetre_figures(prefecture_58):
    feuille = FeuilleDeRouteFactory(infra=True, epcis=Epci.objects.filter(code=NEVERS))
    document = services.document_start(feuille_de_route=feuille, user=prefecture_58)
    assert "la CA de Nevers" in document.besoins_publics
    assert "dans 14 communes" in document.besoins_publics


# --- « Mettre à jour depuis le diagnostic » ------------------------------------------------------


@pytest.fixture
def document():
    """A document over the CA de Nevers whose section II was written by hand before."""
    feuille = FeuilleDeRouteFactory(
        infra=True, epcis=Epci.objects.filter(code=NEVERS), nom="Nevers Agglomération inclusive"
    )
    return DocumentFactory(
        feuille_de_route=feuille,
        besoins_publics="Texte rédigé à la main.",
        offre="Une offre dense le long de la Loire.",
        enjeux="",
    )


def url(document):
    return reverse("feuilles_de_route:diagnostic_mise_a_jour", kwargs={"pk": document.feuille_de_route_id})


def test_the_editor_offers_the_refresh(client_for, document):
    content = (
        client_for("prefecture")
        .get(reverse("feuilles_de_route:editeur", kwargs={"pk": document.feuille_de_route_id}))
        .content.decode()
    )
    assert url(document) in content
    assert "Mettre à jour depuis le diagnostic" in content


def test_the_page_shows_before_and_after_then_applies_the_chosen_parts(client_for, document):
    client = client_for("prefecture")
    content = client.get(url(document)).content.decode()
    assert "les communes de la CA de Nevers situées dans le département de la Nièvre" in content
    assert '<del><span class="fr-sr-only">Retiré : </span>Texte rédigé à la main.</del>' in content
    assert "Ajouté : </span>Le périmètre de la feuille de route" in content
    # The three parts change; all are ticked by default.
    assert content.count("checked") == 3

    response = client.post(url(document), {"version": "0", "champs": ["besoins_publics", "enjeux"]})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.besoins_publics.startswith("Le périmètre de la feuille de route, les communes de la CA")
    assert "aucun lieu de médiation numérique" in document.enjeux
    assert document.offre == "Une offre dense le long de la Loire."  # not chosen: kept
    assert SectionState.objects.get(document=document, section=SectionDocument.DIAGNOSTIC).version == 1

    # Once applied, the page says nothing would change for those parts.
    again = client.get(url(document)).content.decode()
    assert again.count("Inchangée") == 2


def test_a_colleague_save_in_between_is_refused_and_nothing_is_overwritten(client_for, document, admin_user):
    services.document_section_save(
        document=document,
        section=SectionDocument.DIAGNOSTIC,
        version=0,
        data={"besoins_publics": "Texte du collègue."},
        user=admin_user,
    )
    response = client_for("prefecture").post(url(document), {"version": "0", "champs": ["besoins_publics"]})
    assert response.status_code == 409
    content = response.content.decode()
    assert "Quelqu'un a enregistré avant vous" in content
    assert "Texte du collègue." in content  # the comparison now starts from the saved text
    assert Document.objects.get(pk=document.pk).besoins_publics == "Texte du collègue."


def test_nothing_chosen_is_a_clear_error(client_for, document):
    response = client_for("prefecture").post(url(document), {"version": "0"})
    assert response.status_code == 200
    assert "Choisissez au moins une partie de la synthèse à mettre à jour." in response.content.decode()
    assert Document.objects.get(pk=document.pk).besoins_publics == "Texte rédigé à la main."


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", 302),
        ("prefecture", 302),
        ("demo", 403),
        ("region", 403),
        ("prefecture_autre", 404),
        ("region_autre", 404),
        ("structure", 404),
    ],
)
def test_refresh_access(client_for, document, role, expected):
    response = client_for(role).post(url(document), {"version": "0", "champs": ["offre"]})
    assert response.status_code == expected
    document.refresh_from_db()
    refreshed = document.offre != "Une offre dense le long de la Loire."
    assert refreshed == (expected == 302)


def test_the_pdf_data_name_the_perimetre_and_the_authors(document, django_assert_max_num_queries):
    from feuilles_de_route.selectors import pdf_document_for

    with django_assert_max_num_queries(14):
        data = pdf_document_for(document)
    assert data.territoire == "CA de Nevers (Nièvre)"
    assert data.perimetre == "les communes de la CA de Nevers situées dans le département de la Nièvre"
    assert data.auteur == "Préfecture de la Nièvre"
    assert data.porteur == "la préfecture seule"
