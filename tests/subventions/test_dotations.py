"""Dotations: the CSV parser, the import command (French decimals, rejected lines, idempotent),
the administrator's edit, and the demo split of the 2024 fund."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from subventions import demo, services
from subventions.enums import Fonds
from subventions.models import Dotation
from tests.subventions.factories import demande

CSV = "\ufeffcode_departement;montant\n58;49 500,50\n21;61500\n1;12 000\n99;1000\n89;-5\n70;douze\n58;1\n25\n"


def test_the_parser_reads_french_decimals_and_reports_each_rejected_line():
    lecture = services.parse_dotations(CSV, codes_connus={"58", "21", "01", "89", "70", "25"})
    assert [(ligne.numero, ligne.code_departement, ligne.montant) for ligne in lecture.lignes] == [
        (2, "58", Decimal("49500.50")),
        (3, "21", Decimal("61500.00")),
        (4, "01", Decimal("12000.00")),
    ]
    assert lecture.erreurs == [
        (5, "département inconnu « 99 »"),
        (6, "montant négatif"),
        (7, "montant illisible « douze »"),
        (8, "département 58 déjà présent ligne 2"),
        (9, "deux colonnes attendues (code_departement;montant)"),
    ]


@pytest.mark.parametrize("text", ["1,234", "12.345,6", "1e3"])
def test_amounts_with_too_many_decimals_or_odd_forms(text):
    if text == "1e3":
        assert services.parse_montant(text) == Decimal("1000.00")
        return
    with pytest.raises(ValueError, match=r"décimales|illisible"):
        services.parse_montant(text)


def test_the_import_command_is_idempotent_and_reports(db, tmp_path):
    path = tmp_path / "dotations.csv"
    path.write_text("code_departement;montant\n58;49 500,50\n21;61500\n99;3\n", encoding="utf-8")
    out, err = StringIO(), StringIO()
    call_command(
        "import_dotations", str(path), fonds="ingenierie", annee=2024, source="Arrêté", stdout=out, stderr=err
    )
    assert "2 créée(s), 0 modifiée(s), 0 inchangée(s), 1 ligne(s) rejetée(s)" in out.getvalue()
    assert "Ligne 4 rejetée : département inconnu « 99 »" in err.getvalue()
    assert Dotation.objects.get(departement_id="58").montant == Decimal("49500.50")
    out = StringIO()
    call_command(
        "import_dotations",
        str(path),
        fonds="ingenierie",
        annee=2024,
        source="Arrêté",
        stdout=out,
        stderr=StringIO(),
    )
    assert "0 créée(s), 0 modifiée(s), 2 inchangée(s)" in out.getvalue()
    assert Dotation.objects.count() == 2


def test_an_import_never_puts_a_dotation_below_what_is_asked(n, tmp_path):
    demande(n, subvention="30000", budget="30000", rh="0")
    path = tmp_path / "d.csv"
    path.write_text("58;20000\n", encoding="utf-8")
    err = StringIO()
    call_command("import_dotations", str(path), fonds="ingenierie", annee=2024, stdout=StringIO(), stderr=err)
    assert (
        "Ligne 1 rejetée : les demandes du département 58 engagent déjà 30\u202f000\u202f€" in err.getvalue()
    )
    n.dotation.refresh_from_db()
    assert n.dotation.montant == Decimal("50000")


def test_the_admin_edits_a_dotation_but_not_below_what_is_asked(n, client_for):
    demande(n, subvention="30000", budget="30000", rh="0")
    client = client_for("admin")
    url = reverse("admin:subventions_dotation_change", args=[n.dotation.pk])
    data = {"departement": "58", "fonds": "ingenierie", "annee": "2024", "montant": "25000", "source": "x"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "engagent déjà 30\u202f000\u202f€" in response.content.decode()
    n.dotation.refresh_from_db()
    assert n.dotation.montant == Decimal("50000")
    assert client.post(url, {**data, "montant": "60000"}).status_code == 302
    n.dotation.refresh_from_db()
    assert n.dotation.montant == Decimal("60000")
    assert n.dotation.history.first().history_user.email == "admin@anct.test"
    # A stored dotation keeps its département, fund and year (its demandes hang on it): the
    # change page does not offer them, and a POST that sends them changes nothing.
    page = client.get(url).content.decode()
    assert 'name="departement"' not in page
    assert 'name="annee"' not in page
    client.post(url, {**data, "departement": "21", "annee": "2025"})
    n.dotation.refresh_from_db()
    assert (n.dotation.departement_id, n.dotation.annee) == ("58", 2024)


def test_the_demo_split_gives_the_whole_fund_with_a_floor():
    amounts = demo.repartition({"58": 200_000, "21": 530_000, "90": 140_000})
    assert sum(amounts.values()) == Decimal("5000000")
    assert all(value >= Decimal("25000") for value in amounts.values())
    assert amounts["21"] > amounts["58"] > amounts["90"]


def test_bulk_dotations_covers_every_departement_once(db):
    created = demo.bulk_dotations()
    assert created == 2 * Dotation.objects.values("departement").distinct().count()
    assert demo.bulk_dotations() == 0
    total = sum(Dotation.objects.filter(fonds=Fonds.INGENIERIE).values_list("montant", flat=True))
    assert total == Decimal("5000000")
    assert set(Dotation.objects.filter(fonds=Fonds.FORMATION).values_list("montant", flat=True)) == {
        Decimal("20000")
    }
