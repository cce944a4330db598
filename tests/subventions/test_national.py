"""ANCT's side: the filterable table, the detail page's instruction, the consolidation, the exports."""

import csv
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from besoins.enums import Item
from subventions import selectors
from subventions.enums import StatutDemande
from subventions.models import Demande
from tests.subventions.factories import DotationFactory, acceptee, demande, formation


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def test_the_table_filters_by_status_besoin_and_amount(client_for, n, django_assert_max_num_queries):
    a = demande(n, subvention="10000", statut=StatutDemande.VALIDEE, besoins=(Item.DIAGNOSTIC,))
    b = demande(n, fiche=n.fiche_2, subvention="2000", rh="0", besoins=(Item.ANIMER,))
    client = client_for("demo")
    url = reverse("subventions:national")
    html = client.get(url).content.decode()
    assert "2 demandes." in html
    assert "50\u202f000\u202f€" in html  # the national dotation total
    assert client.get(url, {"statut": "validee"}).context["page_obj"].object_list[0] == a
    assert list(client.get(url, {"besoin": Item.ANIMER.value}).context["page_obj"]) == [b]
    assert list(client.get(url, {"montant_min": "5 000"}).context["page_obj"]) == [a]
    assert list(client.get(url, {"montant_max": "5000"}).context["page_obj"]) == [b]
    assert list(client.get(url, {"departement": "21"}).context["page_obj"]) == []
    too_long = client.get(url, {"departement": "5" * 500})
    assert "au plus 3 caractères" in too_long.content.decode()
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(5):
        demande(
            n, subvention="1000", rh="0", beneficiaires=[(n.departement_cd, "500"), (n.association, "500")]
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_modification_status_filter(client_for, n):
    changed = demande(n, instruction="modification")
    demande(n, fiche=n.fiche_2)
    page = (
        client_for("admin")
        .get(reverse("subventions:national"), {"statut": "modification"})
        .context["page_obj"]
    )
    assert list(page) == [changed]


def test_an_administrator_instructs_from_the_detail_page(
    client_for, n, prefecture_58, django_capture_on_commit_callbacks
):
    a = demande(n, statut=StatutDemande.VALIDEE)
    client = client_for("admin")
    detail = client.get(reverse("subventions:national_demande", kwargs={"pk": a.pk})).content.decode()
    assert "Enregistrer la décision" in detail
    url = reverse("subventions:national_instruire", kwargs={"pk": a.pk})
    refused = client.post(url, {"decision": "modification", "commentaire": ""})
    assert refused.status_code == 400
    assert "Dites à la préfecture ce qu&#x27;il faut modifier." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"decision": "modification", "commentaire": "Précisez le calendrier."})
    assert done.status_code == 302
    a.refresh_from_db()
    assert a.modification_demandee
    assert mail.outbox[0].to == [prefecture_58.email]


def test_the_demo_account_reads_but_does_not_instruct(client_for, n):
    a = demande(n, statut=StatutDemande.VALIDEE)
    client = client_for("demo")
    detail = client.get(reverse("subventions:national_demande", kwargs={"pk": a.pk})).content.decode()
    assert "Enregistrer la décision" not in detail
    response = client.post(
        reverse("subventions:national_instruire", kwargs={"pk": a.pk}), {"decision": "acceptation"}
    )
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.statut == StatutDemande.VALIDEE


def test_consolidation_per_departement_region_besoin_and_typology(admin_user, n):
    from territoires.models import Departement

    DotationFactory(departement=Departement.objects.get(code="21"), montant=Decimal("40000"))
    acceptee(
        n,
        subvention="10000",
        rh="0",
        besoins=(Item.DIAGNOSTIC, Item.ANIMER),
        beneficiaires=[(n.departement_cd, "6000"), (n.association, "4000")],
    )
    demande(n, fiche=n.fiche_2, subvention="5000", rh="0", besoins=(Item.DIAGNOSTIC,))
    demande(
        n,
        fiche=n.fiche_2,
        subvention="7000",
        rh="0",
        statut=StatutDemande.REJETEE,
        besoins=(Item.DIAGNOSTIC,),
    )
    formation(n, statut=StatutDemande.ACCEPTEE, instruction="acceptation")
    c = selectors.consolidation(user=admin_user)
    assert (c.total.dotation, c.total.demande, c.total.accepte, c.total.restant) == (
        Decimal("90000"),
        Decimal("15000"),
        Decimal("10000"),
        Decimal("75000"),
    )
    nievre = next(line for line in c.par_departement if line.cle == "58")
    assert (nievre.dotation, nievre.demande, nievre.accepte, nievre.restant) == (
        Decimal("50000"),
        Decimal("15000"),
        Decimal("10000"),
        Decimal("35000"),
    )
    bfc = next(line for line in c.par_region if line.cle == "27")
    assert bfc.dotation == Decimal("90000")
    assert bfc.demande == Decimal("15000")
    besoins = {line.cle: line for line in c.par_besoin}
    # A demande listing two besoins counts under each.
    assert besoins[Item.DIAGNOSTIC].demande == Decimal("15000")
    assert besoins[Item.ANIMER].demande == Decimal("10000")
    types = {line.cle: line for line in c.par_typologie}
    assert types["departement"].accepte == Decimal("6000")
    assert types["structure"].accepte == Decimal("24000")  # 4 000 + the formation fund's 20 000
    assert c.dotation_formation == Decimal("20000")


def test_the_consolidation_page_labels_the_besoins_overlap(client_for, n):
    acceptee(n, besoins=(Item.DIAGNOSTIC, Item.ANIMER))
    html = client_for("demo").get(reverse("subventions:national_consolidation")).content.decode()
    assert "comptée sous chacun d'eux : les montants de ce tableau ne s'additionnent pas" in html
    assert "Nièvre (58)" in html


def test_the_demandes_export_in_csv_and_xlsx(client_for, n):
    acceptee(
        n, subvention="10000.50", budget="20000", rh="4000", beneficiaires=[(n.departement_cd, "10000.50")]
    )
    client = client_for("admin")
    rows = _csv(client.get(reverse("subventions:national_export", kwargs={"vue": "demandes", "fmt": "csv"})))
    header, line = rows[0], rows[1]
    assert line[header.index("Subvention demandée (€)")] == "10000,5"
    assert line[header.index("Statut")] == "Acceptée"
    assert line[header.index("Bénéficiaires")] == "Conseil départemental de la Nièvre (10\u202f000,50\u202f€)"
    response = client.get(reverse("subventions:national_export", kwargs={"vue": "demandes", "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=headers.index("Subvention demandée (€)") + 1).value == Decimal("10000.50")


def test_the_gouvernances_export_has_one_row_per_departement(client_for, n):
    acceptee(n, subvention="10000", rh="0")
    demande(n, fiche=n.fiche_2, subvention="3000", rh="0", instruction="modification")
    rows = _csv(
        client_for("admin").get(
            reverse("subventions:national_export", kwargs={"vue": "gouvernances", "fmt": "csv"})
        )
    )
    header = rows[0]
    by_code = {row[header.index("Code département")]: row for row in rows[1:]}
    assert len(by_code) == len(rows) - 1
    nievre = by_code["58"]
    assert nievre[header.index("Dotation ingénierie (€)")] == "50000"
    assert nievre[header.index("Subventions demandées, hors rejetées (€)")] == "13000"
    assert nievre[header.index("Demandes acceptées")] == "1"
    assert nievre[header.index("Demandes en modification demandée")] == "1"
    assert nievre[header.index("Statut des subventions")] == "En cours"
    assert by_code["21"][header.index("Statut des subventions")] == "Non renseigné"


def test_the_beneficiaires_export_has_one_row_per_member(client_for, n):
    acceptee(
        n, subvention="10000", rh="0", beneficiaires=[(n.departement_cd, "6000"), (n.association, "4000")]
    )
    demande(n, fiche=n.fiche_2, subvention="1000", rh="0", beneficiaires=[(n.association, "1000")])
    rows = _csv(
        client_for("admin").get(
            reverse("subventions:national_export", kwargs={"vue": "beneficiaires", "fmt": "csv"})
        )
    )
    header = rows[0]
    assert len(rows) == 3
    association = next(
        r for r in rows[1:] if r[header.index("Bénéficiaire")] == "Association Numérique en Morvan"
    )
    assert association[header.index("Typologie")] == "Structure"
    assert association[header.index("Rôle dans la gouvernance")] == "Membre"
    assert association[header.index("Montant demandé, hors rejets (€)")] == "5000"
    assert association[header.index("Montant accepté (€)")] == "4000"
    assert association[header.index("Nombre de demandes")] == "2"
    cd = next(r for r in rows[1:] if r[header.index("Bénéficiaire")].startswith("Conseil départemental"))
    assert cd[header.index("Rôle dans la gouvernance")] == "Co-porteur"
    assert cd[header.index("SIRET ou code INSEE")] == "58"
    assert "@example.org" in cd[header.index("E-mail du référent")]


@pytest.mark.parametrize("role", ["prefecture", "region", "structure"])
def test_the_national_pages_are_for_anct(client_for, n, role):
    assert client_for(role).get(reverse("subventions:national")).status_code == 404
    assert Demande.objects.count() == 0


def test_the_detail_and_consolidation_pages_query_count_does_not_grow(
    client_for, n, django_assert_max_num_queries
):
    from tests.feuilles_de_route.factories import FicheActionFactory, MembreFactory

    first = demande(n, statut=StatutDemande.VALIDEE)
    client = client_for("admin")
    detail = reverse("subventions:national_demande", kwargs={"pk": first.pk})
    consolidation = reverse("subventions:national_consolidation")
    with django_assert_max_num_queries(30) as few_detail:
        client.get(detail)
    with django_assert_max_num_queries(30) as few_consolidation:
        client.get(consolidation)
    membres = [MembreFactory(gouvernance=n.gouvernance) for _ in range(4)]
    crowded = demande(
        n,
        fiche=n.fiche_2,
        subvention="6000",
        rh="0",
        statut=StatutDemande.VALIDEE,
        beneficiaires=[(n.departement_cd, "2000"), *((m, "1000") for m in membres)],
        besoins=(Item.DIAGNOSTIC, Item.ANIMER, Item.DONNEES),
    )
    for membre in membres:
        acceptee(
            n, fiche=FicheActionFactory(axe=n.axe), subvention="500", rh="0", beneficiaires=[(membre, "500")]
        )
    detail = reverse("subventions:national_demande", kwargs={"pk": crowded.pk})
    with django_assert_max_num_queries(len(few_detail.captured_queries)):
        html = client.get(detail).content.decode()
    assert membres[3].nom in html
    with django_assert_max_num_queries(len(few_consolidation.captured_queries)):
        assert client.get(consolidation).status_code == 200
