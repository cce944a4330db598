"""/national/indicateurs/: the feuilles de route's targets summed, checked against a case built by
hand (two départements, approved and draft versions), the drafts switch, the national objectives,
the co-financements and the exports; the coverage and the campaign map of the dashboard."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from feuilles_de_route.enums import Indicateur, StatutDocument, TypeFinanceur
from feuilles_de_route.models import Cofinancement, IndicateurCible
from national.cartes import communes_couvertes, lignes_carte
from national.cibles import cibles_nationales
from territoires.models import Commune, Departement, Epci
from tests.feuilles_de_route.factories import DocumentFactory
from tests.gouvernances.factories import FeuilleDeRouteFactory, GouvernanceFactory

pytestmark = pytest.mark.django_db
APPROUVEE = {"statut": StatutDocument.APPROUVEE, "approuvee_le": datetime.date(2024, 6, 20)}


def cibles(document, indicateur, c2023=None, c2025=None, c2027=None):
    IndicateurCible.objects.create(
        document=document, indicateur=indicateur, cible_2023=c2023, cible_2025=c2025, cible_2027=c2027
    )


@pytest.fixture
def cas(db):
    """Nièvre: two feuilles de route. The first has version 1 approved (lieux 10/20/30, aidants
    100/–/300, co-financement État 50 000 €) and a version 2 in draft (lieux 99/99/99). The second
    is approved (lieux 5/–/7, collectivités 20 000 €). Côte-d'Or: one feuille in draft only (lieux
    1 000 in 2027, État 1 000 000 €). Other départements: nothing."""
    nievre = GouvernanceFactory(departement=Departement.objects.get(code="58"))
    cote_dor = GouvernanceFactory(
        departement=Departement.objects.get(code="21"), sous_prefet_email="sp@21.example"
    )
    f1 = FeuilleDeRouteFactory(gouvernance=nievre)
    v1 = DocumentFactory(feuille_de_route=f1, numero=1, **APPROUVEE)
    cibles(v1, Indicateur.LIEUX, 10, 20, 30)
    cibles(v1, Indicateur.AIDANTS_FORMES, 100, None, 300)
    Cofinancement.objects.create(document=v1, type_financeur=TypeFinanceur.ETAT, montant=Decimal("50000"))
    v2 = DocumentFactory(feuille_de_route=f1, numero=2)
    cibles(v2, Indicateur.LIEUX, 99, 99, 99)
    f2 = FeuilleDeRouteFactory(gouvernance=nievre, infra=True)
    v = DocumentFactory(feuille_de_route=f2, numero=1, **APPROUVEE)
    cibles(v, Indicateur.LIEUX, 5, None, 7)
    Cofinancement.objects.create(
        document=v, type_financeur=TypeFinanceur.COLLECTIVITES, montant=Decimal("20000")
    )
    brouillon = DocumentFactory(feuille_de_route=FeuilleDeRouteFactory(gouvernance=cote_dor), numero=1)
    cibles(brouillon, Indicateur.LIEUX, None, None, 1000)
    Cofinancement.objects.create(
        document=brouillon, type_financeur=TypeFinanceur.ETAT, montant=Decimal("1000000")
    )


def by(rows, code):
    return next(r for r in rows if r.code == code)


def test_approved_versions_only_by_default(admin_user, cas):
    c = cibles_nationales(user=admin_user)
    lieux = next(line for line in c.indicateurs if line.indicateur == Indicateur.LIEUX)
    assert (lieux.national.cible_2023, lieux.national.cible_2025, lieux.national.cible_2027) == (15, 20, 37)
    assert lieux.national.departements == 1
    assert lieux.part_departements == round(100 / c.nb_departements)
    aidants = next(line for line in c.indicateurs if line.indicateur == Indicateur.AIDANTS_FORMES)
    assert (aidants.national.cible_2023, aidants.national.cible_2025, aidants.national.cible_2027) == (
        100,
        None,
        300,
    )
    assert c.documents == 2
    assert c.departements_avec_cibles == 1
    nievre = by(c.par_departement[Indicateur.LIEUX], "58")
    assert nievre.sommes.cible_2027 == 37
    assert by(c.par_departement[Indicateur.LIEUX], "21").sommes.cible_2027 is None
    bfc = next(r for r in c.par_region[Indicateur.LIEUX] if r.nom == "Bourgogne-Franche-Comté")
    assert (bfc.sommes.cible_2027, bfc.sommes.departements) == (37, 1)
    objectifs = {o.objectif.cle: o for o in c.objectifs}
    assert objectifs["lieux"].cible_2027 == 37
    assert objectifs["lieux"].part == "0,1 %"  # 37 of 25 000
    assert objectifs["aidants"].cible_2027 == 300
    assert objectifs["accompagnes"].cible_2027 is None
    cofinancements = {line.type_financeur: line for line in c.cofinancements}
    assert cofinancements[TypeFinanceur.ETAT].montant == Decimal("50000")
    assert cofinancements[TypeFinanceur.COLLECTIVITES].montant == Decimal("20000")
    assert cofinancements[TypeFinanceur.EUROPE].montant is None
    assert c.cofinancements_total == Decimal("70000")


def test_with_drafts_the_latest_version_of_each_feuille_counts(admin_user, cas):
    c = cibles_nationales(user=admin_user, brouillons=True)
    lieux = next(line for line in c.indicateurs if line.indicateur == Indicateur.LIEUX)
    # Nièvre: 99 (version 2, a draft, replaces version 1) + 5/–/7; Côte-d'Or: 1 000 in 2027.
    assert (lieux.national.cible_2023, lieux.national.cible_2025, lieux.national.cible_2027) == (
        104,
        99,
        1106,
    )
    assert lieux.national.departements == 2
    aidants = next(line for line in c.indicateurs if line.indicateur == Indicateur.AIDANTS_FORMES)
    assert aidants.national.cible_2027 is None  # version 2 has no aidants target
    assert c.documents == 3
    assert {line.type_financeur: line.montant for line in c.cofinancements}[TypeFinanceur.ETAT] == Decimal(
        "1000000"
    )


def test_nobody_else_reads_the_sums(structure_user, prefecture_58):
    assert cibles_nationales(user=structure_user) is None
    assert cibles_nationales(user=prefecture_58) is None


def test_page_shows_the_sums_and_switches_to_drafts(client_for, cas):
    client = client_for("demo")
    page = client.get(reverse("national:indicateurs")).content.decode()
    row = page.split('data-indicateur="lieux"', 1)[1].split("</tr>", 1)[0]
    assert "<td>15</td>" in row
    assert "<td>37</td>" in row
    assert "Versions approuvées seulement" in page
    assert "50\u202f000\u202f€" in page
    page = client.get(reverse("national:indicateurs") + "?brouillons=1&indicateur=lieux").content.decode()
    # Whole numbers go through humanize's intcomma like every other page (a no-break space).
    assert "<td>1\xa0106</td>" in page.split('data-indicateur="lieux"', 1)[1].split("</tr>", 1)[0]
    detail = page.split('id="table-departements"', 1)[1].split("</table>", 1)[0]
    assert "Côte-d&#x27;Or (21)" in detail


def test_exports_are_csv_and_xlsx_with_numbers(client_for, cas):
    client = client_for("admin")
    response = client.get(reverse("national:indicateurs_export", kwargs={"vue": "cibles", "fmt": "csv"}))
    assert "cibles-des-feuilles-de-route-approuvees-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8").lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Code département",
        "Département",
        "Région",
        "Indicateur",
        "Cible 2023",
        "Cible 2025",
        "Cible 2027",
    ]
    nievre = [r for r in rows if r[0] == "58" and r[3] == Indicateur.LIEUX.label]
    assert nievre == [["58", "Nièvre", "Bourgogne-Franche-Comté", Indicateur.LIEUX.label, "15", "20", "37"]]
    assert len(rows) == 1 + 12 * Departement.objects.exclude(zone="com").count()
    response = client.get(
        reverse("national:indicateurs_export", kwargs={"vue": "cofinancements", "fmt": "xlsx"})
        + "?brouillons=1"
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[0].value: row[1].value for row in sheet.iter_rows(min_row=2)}
    # Version 2 of the Nièvre's first feuille (a draft, no co-financement) replaces version 1.
    assert values[TypeFinanceur.ETAT.label] == 1000000  # a number cell, not text
    assert values[TypeFinanceur.COLLECTIVITES.label] == 20000


def test_indicateurs_page_query_count_does_not_grow(client_for, cas):
    client = client_for("admin")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("national:indicateurs") + "?brouillons=1").status_code == 200
        return len(queries)

    before = count()
    for code in ("25", "39", "70"):
        g = GouvernanceFactory(
            departement=Departement.objects.get(code=code), sous_prefet_email=f"sp@{code}.example"
        )
        for _ in range(3):
            d = DocumentFactory(feuille_de_route=FeuilleDeRouteFactory(gouvernance=g), numero=1, **APPROUVEE)
            for i in Indicateur:
                cibles(d, i, 1, 2, 3)
            Cofinancement.objects.create(
                document=d, type_financeur=TypeFinanceur.EUROPE, montant=Decimal("1")
            )
    assert count() == before


def test_coverage_by_feuilles_de_route_for_the_campaign_map(admin_user):
    nievre = Departement.objects.get(code="58")
    g = GouvernanceFactory(departement=nievre)
    epci = Epci.objects.filter(communes__departement=nievre).order_by("code").first()
    FeuilleDeRouteFactory(gouvernance=g, infra=True, epcis=[epci])
    couvertes = communes_couvertes()
    assert couvertes["58"] == Commune.objects.filter(departement=nievre, epci=epci).count()
    FeuilleDeRouteFactory(gouvernance=g)  # a départementale covers everything
    assert communes_couvertes()["58"] == Commune.objects.filter(departement=nievre).count()
    ligne = by(lignes_carte(user=admin_user), "58")
    assert ligne.feuilles == 2
    assert ligne.communes_couvertes == ligne.communes == 309
