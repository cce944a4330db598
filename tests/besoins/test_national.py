"""National consolidation: figures on several hand-built départements, drill-down, exports,
access."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from besoins import selectors
from besoins.enums import Item
from territoires.models import Departement
from tests.gouvernances.factories import GouvernanceFactory

from .factories import BesoinFactory, BesoinsFactory

# The columns of the two exports, as the national team reads them.
CONSOLIDATION_HEADERS = [
    "Catégorie",
    "Code du besoin",
    "Besoin",
    "Départements l'ayant sélectionné",
    "Ressources humaines",
    "Total ETP",
    "Prestations de service",
    "Personnes à former",
]

DETAIL_HEADERS = [
    "Région",
    "Code département",
    "Département",
    "Catégorie",
    "Besoin",
    "Précision",
    "Ressource humaine",
    "ETP",
    "Prestation de service",
    "Personnes à former",
    "Rang de priorité",
    "Chef de projet « Financement de l'inclusion numérique »",
    "Structure envisagée pour le chef de projet",
    "Études d'ingénierie spécifiques",
]

NATIONAL_ACCESS = {
    "anonyme": 302,
    "structure": 404,
    "prefecture": 404,
    "region": 404,
    "demo": 200,
    "admin": 200,
}


@pytest.fixture
def trois_departements(db):
    """Nièvre, Côte-d'Or and Creuse with hand-written besoins (figures checked below)."""
    sets = {}
    for code in ("58", "21", "23"):
        gouvernance = GouvernanceFactory(departement=Departement.objects.get(code=code))
        sets[code] = BesoinsFactory(gouvernance=gouvernance)
    # Diagnostic: 58 (RH 0.5 + prestation), 21 (prestation), 23 (RH 1.25)
    BesoinFactory(besoins=sets["58"], item=Item.DIAGNOSTIC, rh_et_prestation=True)
    BesoinFactory(besoins=sets["21"], item=Item.DIAGNOSTIC)
    BesoinFactory(
        besoins=sets["23"],
        item=Item.DIAGNOSTIC,
        ressource_humaine=True,
        etp=Decimal("1.25"),
        prestation=False,
    )
    # Animer: 58 (RH 1), 21 (RH 2)
    BesoinFactory(besoins=sets["58"], item=Item.ANIMER, rh=True)
    BesoinFactory(besoins=sets["21"], item=Item.ANIMER, rh=True, etp=Decimal("2"))
    # Former les agents: 58 (40), 23 (15)
    BesoinFactory(besoins=sets["58"], formation=True, personnes_a_former=40)
    BesoinFactory(besoins=sets["23"], formation=True, personnes_a_former=15)
    # Autre (outiller), with a formula-looking précision
    BesoinFactory(besoins=sets["21"], item=Item.OUTILLER_AUTRE, precision='=HYPERLINK("http://x")')
    sets["58"].chef_de_projet = True
    sets["58"].chef_de_projet_structure = "@Conseil départemental"
    sets["58"].etudes = ["Étude A"]
    sets["58"].priorites = ["former_agents", "ressource_humaine", "diagnostic"]
    sets["58"].priorisee_le = timezone.now()
    sets["58"].save()
    sets["21"].chef_de_projet = False
    sets["21"].save()
    return sets


def test_consolidation_figures(trois_departements, admin_user, django_assert_num_queries):
    with django_assert_num_queries(4):
        consolidation = selectors.consolidation(user=admin_user)
    by_code = {row.code: row for row in consolidation.items}

    diagnostic = by_code["diagnostic"]
    assert (
        diagnostic.departements,
        diagnostic.etp,
        diagnostic.prestations,
        diagnostic.ressources_humaines,
    ) == (
        3,
        Decimal("1.75"),
        2,
        2,
    )
    animer = by_code["animer"]
    assert (animer.departements, animer.etp, animer.prestations) == (2, Decimal("3"), 0)
    former = by_code["former_agents"]
    assert (former.departements, former.personnes_a_former) == (2, 55)
    assert by_code["qualiopi"].departements == 0
    assert len(consolidation.items) == 17

    heads = {head.code: head for head, _ in consolidation.categories}
    assert heads["formaliser"].departements == 3
    assert heads["financer"].departements == 2
    assert heads["former"].personnes_a_former == 55
    assert consolidation.total.departements == 3
    assert consolidation.total.etp == Decimal("4.75")
    assert consolidation.total.prestations == 3
    assert consolidation.departements_avec_besoins == 3
    assert consolidation.chefs_de_projet == 1
    assert consolidation.etudes == 1


def test_consolidation_queries_do_not_grow_with_departements(
    trois_departements, admin_user, django_assert_num_queries
):
    gouvernance = GouvernanceFactory(departement=Departement.objects.get(code="16"))
    BesoinFactory(besoins=BesoinsFactory(gouvernance=gouvernance), rh=True)
    with django_assert_num_queries(4):
        selectors.consolidation(user=admin_user)


@pytest.mark.parametrize(("role", "status"), NATIONAL_ACCESS.items())
@pytest.mark.parametrize(
    "path",
    [
        reverse("besoins:national"),
        reverse("besoins:national_item", kwargs={"item": "diagnostic"}),
        reverse("besoins:national_export", kwargs={"vue": "par-besoin", "fmt": "csv"}),
        reverse("besoins:national_export", kwargs={"vue": "par-departement", "fmt": "xlsx"}),
    ],
)
def test_national_access(client_for, trois_departements, role, status, path):
    response = client_for(role).get(path)
    assert response.status_code == status
    if status == 302:
        assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize("role", ["demo", "admin"])
def test_national_pages_are_read_only(client_for, role):
    assert client_for(role).post(reverse("besoins:national")).status_code == 405


def test_national_page_and_drill_down(client_for, trois_departements):
    client = client_for("demo")
    html = client.get(reverse("besoins:national")).content.decode()
    assert 'data-testid="national-etp">4,75<' in html
    item_url = reverse("besoins:national_item", kwargs={"item": "diagnostic"})
    assert f'href="{item_url}"' in html
    html = client.get(item_url).content.decode()
    for code in ("58", "21", "23"):
        assert f'href="{reverse("besoins:synthese", kwargs={"code": code})}"' in html
    assert "1,25" in html
    assert client.get(reverse("besoins:national_item", kwargs={"item": "inconnu"})).status_code == 404
    # And the drill-down target opens for the démo account.
    assert client.get(reverse("besoins:synthese", kwargs={"code": "23"})).status_code == 200


def test_national_pages_query_count(client_for, trois_departements, django_assert_max_num_queries):
    client = client_for("admin")
    with django_assert_max_num_queries(12):
        client.get(reverse("besoins:national"))
    with django_assert_max_num_queries(10):
        client.get(reverse("besoins:national_item", kwargs={"item": "diagnostic"}))


def _csv(response):
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_export_par_besoin_csv(client_for, trois_departements):
    response = client_for("admin").get(
        reverse("besoins:national_export", kwargs={"vue": "par-besoin", "fmt": "csv"})
    )
    today = timezone.localdate().isoformat()
    assert response["Content-Type"].startswith("text/csv")
    assert (
        response["Content-Disposition"] == f'attachment; filename="besoins-national-par-besoin-{today}.csv"'
    )
    rows = _csv(response)
    assert rows[0] == CONSOLIDATION_HEADERS
    assert len(rows) == 1 + 17
    diagnostic = next(row for row in rows if row[1] == "diagnostic")
    assert diagnostic == [
        "Formaliser les feuilles de route",
        "diagnostic",
        "Faire un diagnostic territorial",
        "3",
        "2",
        "1,75",
        "2",
        "0",
    ]


def test_export_par_departement_xlsx_neutralises_formulas(client_for, trois_departements):
    response = client_for("admin").get(
        reverse("besoins:national_export", kwargs={"vue": "par-departement", "fmt": "xlsx"})
    )
    today = timezone.localdate().isoformat()
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="besoins-national-par-departement-{today}.xlsx"'
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == DETAIL_HEADERS
    assert len(rows) == 1 + 8
    autre = next(row for row in rows if row[4] == Item.OUTILLER_AUTRE.label)
    # An XLSX text cell is never a formula: the text shows as typed, no apostrophe.
    assert autre[5] == '=HYPERLINK("http://x")'
    nievre_diag = next(row for row in rows if row[1] == "58" and row[4] == Item.DIAGNOSTIC.label)
    assert nievre_diag[:3] == ["Bourgogne-Franche-Comté", "58", "Nièvre"]
    assert nievre_diag[6:12] == [
        "Oui",
        Decimal("0.5") if isinstance(nievre_diag[7], Decimal) else 0.5,
        "Oui",
        None,
        3,
        "Oui",
    ]
    assert nievre_diag[12] == "@Conseil départemental"
    nievre_rh = next(row for row in rows if row[1] == "58" and row[4] == Item.ANIMER.label)
    assert nievre_rh[10] == 2  # an RH-only item takes the rank of the RH card
    formation = next(row for row in rows if row[1] == "58" and row[4] == Item.FORMER_AGENTS.label)
    # Not asked for a formation item: left empty.
    assert (formation[6], formation[8], formation[9], formation[10]) == (None, None, 40, 1)


def test_export_par_departement_csv(client_for, trois_departements):
    response = client_for("demo").get(
        reverse("besoins:national_export", kwargs={"vue": "par-departement", "fmt": "csv"})
    )
    rows = _csv(response)
    assert rows[0] == DETAIL_HEADERS
    creuse = next(row for row in rows if row[1] == "23" and row[4] == Item.DIAGNOSTIC.label)
    assert creuse[6:9] == ["Oui", "1,25", "Non"]
    assert any(row[5] == '\'=HYPERLINK("http://x")' for row in rows)


def test_unknown_export_is_404(client_for):
    client = client_for("admin")
    assert (
        client.get(reverse("besoins:national_export", kwargs={"vue": "tout", "fmt": "csv"})).status_code
        == 404
    )
    assert (
        client.get(reverse("besoins:national_export", kwargs={"vue": "par-besoin", "fmt": "pdf"})).status_code
        == 404
    )
