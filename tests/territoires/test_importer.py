import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from core.cache import invalidate
from territoires.importer import (
    CommuneRow,
    EpciRow,
    RegionRow,
    RowError,
    TerritoiresFileError,
    import_territoires,
    parse_territoires,
    read_territoires_file,
)
from territoires.models import AncienCodeCommune, Commune, Departement, Epci, Region
from territoires.signals import REFERENTIEL

FIXTURE = Path(__file__).parent / "fixtures" / "territoires-mini.json"
MOULINS_COMMUNAUTE = "200071140"


def _counts():
    return {
        "regions": Region.objects.count(),
        "departements": Departement.objects.count(),
        "epci": Epci.objects.count(),
        "communes": Commune.objects.count(),
        "anciens_codes": AncienCodeCommune.objects.count(),
    }


@pytest.fixture
def empty_referentiel(db):
    """The session's subset removed, inside this test's transaction (no user refers to it yet).

    Plain DELETEs: the ORM's delete() loads every row of the subset to send each one's
    post_delete signal, and each signal renews the referential's cache generation (a Redis round
    trip per commune: seconds per test on PostgreSQL). The generation is renewed once instead."""
    tables = [
        model._meta.db_table
        for model in (AncienCodeCommune, Commune, Epci.departements.through, Epci, Departement, Region)
    ]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608 - model tables
    invalidate(REFERENTIEL)
    assert _counts() == dict.fromkeys(("regions", "departements", "epci", "communes", "anciens_codes"), 0)


@pytest.fixture
def fixture_data():
    return json.loads(FIXTURE.read_text())


def write(tmp_path, data, name="territoires.json.gz"):
    path = tmp_path / name
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    return path


# --- Parsing ------------------------------------------------------------------------------------


def test_parse_yields_typed_rows(fixture_data):
    rows = list(parse_territoires(fixture_data))

    assert RegionRow(code="27", nom="Bourgogne-Franche-Comté", zone="metro", chef_lieu="21231") in rows
    assert EpciRow(code=MOULINS_COMMUNAUTE, nom="CA Moulins Communauté", type="CA") in rows
    nevers = next(row for row in rows if isinstance(row, CommuneRow) and row.code == "58194")
    assert (nevers.nom, nevers.departement, nevers.codes_postaux, nevers.epci) == (
        "Nevers",
        "58",
        "58000",
        "245804406",
    )
    assert not [row for row in rows if isinstance(row, RowError)]


def test_parse_reports_malformed_rows_with_their_index(fixture_data):
    fixture_data["communes"][1][2] = "99"  # unknown département
    fixture_data["communes"][3] = ["58999", "Trop court"]
    fixture_data["epci"][0][2] = "SIVOM"

    errors = [str(row) for row in parse_territoires(fixture_data) if isinstance(row, RowError)]

    assert "epci[0] : type d'EPCI inconnu « SIVOM »" in errors
    assert "communes[1] : département inconnu « 99 »" in errors
    assert "communes[3] : 7 colonnes attendues" in errors


def test_parse_refuses_another_format(fixture_data):
    fixture_data["format"] = 2
    with pytest.raises(TerritoiresFileError, match="format"):
        list(parse_territoires(fixture_data))


def test_shipped_file_is_gzipped_and_has_the_source_counts():
    data = read_territoires_file(settings.TERRITOIRES_FILE)
    assert data["source"]["version"] == "6.0.0"
    assert {kind: len(data[kind]) for kind in ("regions", "departements", "epci", "communes")} == {
        "regions": 26,
        "departements": 109,
        "epci": 1255,
        "communes": 34969,
    }


# --- Loading ------------------------------------------------------------------------------------


def test_import_into_an_empty_referentiel(empty_referentiel):
    report = import_territoires(path=FIXTURE)

    assert _counts() == {"regions": 3, "departements": 4, "epci": 6, "communes": 8, "anciens_codes": 1}
    assert (report.communes.created, report.epci.created, report.regions.created) == (8, 6, 3)
    assert report.changed

    nevers = Commune.objects.get(code="58194")
    assert (nevers.nom_recherche, nevers.epci_id, nevers.siren) == ("nevers", "245804406", "215801945")
    assert Commune.objects.get(code="58238").nom_recherche == "saint eloi"
    assert Departement.objects.get(code="21").nom_recherche == "cote d or"
    assert AncienCodeCommune.objects.get(code="58091").commune_id == "58086"
    assert Region.objects.get(code="01").zone == "drom"
    # Populations are sums of the communes of the file.
    assert Departement.objects.get(code="58").population == 1770 + 9733 + 1437 + 33085 + 2296
    assert Epci.objects.get(code=MOULINS_COMMUNAUTE).population == 19206 + 1437
    assert Epci.objects.get(code="245804406").population == 33085 + 2296


def test_second_run_changes_nothing(empty_referentiel):
    import_territoires(path=FIXTURE)

    report = import_territoires(path=FIXTURE)

    assert not report.changed
    assert report.communes.unchanged == 8
    assert report.epci.unchanged == 6


def test_epci_straddling_two_departements_belongs_to_both(empty_referentiel):
    import_territoires(path=FIXTURE)

    moulins = Epci.objects.get(code=MOULINS_COMMUNAUTE)
    assert set(moulins.departements.values_list("code", flat=True)) == {"03", "58"}
    assert Departement.objects.get(code="03").epcis.filter(code=MOULINS_COMMUNAUTE).exists()
    assert Departement.objects.get(code="58").epcis.filter(code=MOULINS_COMMUNAUTE).exists()
    assert list(Departement.objects.get(code="21").epcis.values_list("code", flat=True)) == ["242100410"]


def test_changed_name_and_membership_are_updated(empty_referentiel, fixture_data, tmp_path):
    import_territoires(path=FIXTURE)
    nevers = next(row for row in fixture_data["communes"] if row[0] == "58194")
    nevers[1] = "Nevers-sur-Loire"
    dornes = next(row for row in fixture_data["communes"] if row[0] == "58104")
    dornes[6] = "245804406"  # Dornes leaves Moulins Communauté for the CA de Nevers

    report = import_territoires(path=write(tmp_path, fixture_data))

    nevers = Commune.objects.get(code="58194")
    assert (nevers.nom, nevers.nom_recherche) == ("Nevers-sur-Loire", "nevers sur loire")
    assert report.communes.updated == 2
    assert report.communes.unchanged == 6
    # Moulins Communauté now lies in the Allier only; its population and the Nièvre's EPCI follow.
    moulins = Epci.objects.get(code=MOULINS_COMMUNAUTE)
    assert list(moulins.departements.values_list("code", flat=True)) == ["03"]
    assert moulins.population == 19206
    assert not Departement.objects.get(code="58").epcis.filter(code=MOULINS_COMMUNAUTE).exists()
    assert report.epci.updated == 2  # Moulins Communauté and the CA de Nevers (population)


def test_rows_gone_from_the_file_are_deleted(empty_referentiel, fixture_data, tmp_path):
    import_territoires(path=FIXTURE)
    fixture_data["communes"] = [row for row in fixture_data["communes"] if row[0] != "97105"]
    fixture_data["epci"] = [row for row in fixture_data["epci"] if row[0] != "249710070"]

    report = import_territoires(path=write(tmp_path, fixture_data))

    assert (report.communes.deleted, report.epci.deleted) == (1, 1)
    assert not Commune.objects.filter(code="97105").exists()
    assert Departement.objects.get(code="971").population == 0


def test_a_malformed_file_writes_nothing(empty_referentiel, fixture_data, tmp_path):
    fixture_data["communes"][0][2] = "99"

    with pytest.raises(TerritoiresFileError, match=r"communes\[0\]") as refused:
        import_territoires(path=write(tmp_path, fixture_data))
    assert str(refused.value).startswith("1 ligne invalide, rien n'a été importé")

    assert _counts() == dict.fromkeys(("regions", "departements", "epci", "communes", "anciens_codes"), 0)


def test_subset_loads_every_departement_but_only_the_communes_asked(empty_referentiel):
    report = import_territoires(path=FIXTURE, departements=["03"])

    assert _counts() == {"regions": 3, "departements": 4, "epci": 1, "communes": 1, "anciens_codes": 0}
    assert report.communes.created == 1
    # Populations and départements of an EPCI come from the whole file.
    moulins = Epci.objects.get(code=MOULINS_COMMUNAUTE)
    assert set(moulins.departements.values_list("code", flat=True)) == {"03", "58"}
    assert moulins.population == 19206 + 1437
    assert Departement.objects.get(code="58").population > 0


def test_subset_leaves_other_departements_alone(empty_referentiel):
    import_territoires(path=FIXTURE)

    report = import_territoires(path=FIXTURE, departements=["21"])

    assert not report.changed
    assert Commune.objects.count() == 8


def test_unknown_departement_in_subset_is_refused(empty_referentiel):
    with pytest.raises(TerritoiresFileError, match="99"):
        import_territoires(path=FIXTURE, departements=["99"])


# --- Command ------------------------------------------------------------------------------------


def test_command_prints_counts_then_says_nothing_changed(empty_referentiel):
    first = StringIO()
    call_command("import_territoires", file=str(FIXTURE), stdout=first)
    second = StringIO()
    call_command("import_territoires", file=str(FIXTURE), stdout=second)

    assert "Communes : 8 créé(s), 0 mis à jour, 0 supprimé(s), 0 inchangé(s)" in first.getvalue()
    assert "Référentiel territorial mis à jour." in first.getvalue()
    assert "Communes : 0 créé(s), 0 mis à jour, 0 supprimé(s), 8 inchangé(s)" in second.getvalue()
    assert "Aucune modification : le référentiel est à jour." in second.getvalue()
    assert "Durée :" in second.getvalue()


@pytest.mark.parametrize("departements", ["58,03", ["58", "03"]])
def test_command_takes_a_comma_list_or_a_list(empty_referentiel, departements):
    call_command("import_territoires", file=str(FIXTURE), departements=departements, verbosity=0)

    assert set(Commune.objects.values_list("departement", flat=True)) == {"58", "03"}


def test_command_from_the_command_line(empty_referentiel):
    out = StringIO()
    call_command("import_territoires", "--file", str(FIXTURE), "--departements", "21", stdout=out)

    assert list(Commune.objects.values_list("code", flat=True)) == ["21231"]


# --- The whole shipped file ---------------------------------------------------------------------


def test_full_file(db):
    """The whole of France over the session's subset (a few seconds on SQLite)."""
    import_territoires(path=settings.TERRITOIRES_FILE)

    assert _counts() == {
        "regions": 26,
        "departements": 109,
        "epci": 1255,
        "communes": 34969,
        "anciens_codes": 4240,
    }
    moulins = Epci.objects.get(code=MOULINS_COMMUNAUTE)
    assert moulins.nom == "CA Moulins Communauté"
    for code in ("03", "58"):
        assert Departement.objects.get(code=code).epcis.filter(code=MOULINS_COMMUNAUTE).exists()
    assert Region.objects.filter(zone="metro").count() == 13
    assert Departement.objects.filter(zone="metro").count() == 96
    assert Commune.objects.get(code="75056").codes_postaux_list[:2] == ["75001", "75002"]
    assert Epci.objects.filter(departements__isnull=True).count() == 0

    assert not import_territoires(path=settings.TERRITOIRES_FILE).changed
