"""The établissements publics territoriaux of the Grand Paris in the referential.

The test database holds the Seine-Saint-Denis (93) from the shipped files (tests/conftest.py):
its four EPT, under the Métropole du Grand Paris, which straddles six départements."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from territoires.ept import EptError, EptRow, parse_ept, read_ept_file
from territoires.importer import TerritoiresFileError, import_territoires
from territoires.models import Commune, Departement, Epci
from territoires.search import search_collectivites
from territoires.selectors import departement_figures

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_SAMPLE = Path(settings.BASE_DIR).parent / "shared" / "data" / "ept-communes_grand-paris.csv"

MGP = "200054781"
PLAINE_COMMUNE = "200057867"
EST_ENSEMBLE = "200057875"
TERRES_D_ENVOL = "200058097"
GRAND_EST = "200058790"
SAINT_DENIS = "93066"


def test_the_parser_reads_the_published_layout():
    rows = list(parse_ept(read_ept_file(FIXTURES / "ept-extrait.csv")))
    assert rows[0] == EptRow(2, "93001", "Aubervilliers", PLAINE_COMMUNE, "Plaine Commune", "93")
    assert [r.commune for r in rows] == ["93001", "93059", "93066", "93008"]


def test_the_parser_reports_malformed_rows_with_their_line():
    rows = list(parse_ept(read_ept_file(FIXTURES / "ept-erreurs.csv")))  # `;` as saved by Excel
    errors = {r.line: r.message for r in rows if isinstance(r, EptError)}
    assert errors == {
        3: "code de commune invalide « 9300X »",
        4: "SIREN d'EPT invalide « 20005787 »",
        5: "commune 93001 déjà rattachée à un EPT ligne 2",
        8: "l'EPT 200057875 porte deux noms : « Est Ensemble » et « Est Ensemble (bis) »",
    }


@pytest.mark.django_db
def test_a_file_with_errors_is_refused_whole_and_names_the_lines():
    with pytest.raises(TerritoiresFileError) as error:
        import_territoires(
            path=settings.TERRITOIRES_FILE, ept_path=FIXTURES / "ept-erreurs.csv", departements=["93"]
        )
    message = str(error.value)
    assert "ept, ligne 3 : code de commune invalide" in message
    # Nevers is no commune of the Métropole: Est Ensemble would straddle two EPCI.
    assert "les communes de « Est Ensemble » n'appartiennent pas à une même métropole" in message
    assert Commune.objects.get(code="93001").ept_id == PLAINE_COMMUNE  # nothing written


@pytest.mark.django_db
def test_the_shipped_referential_has_the_ept_of_the_seine_saint_denis():
    plaine = Epci.objects.get(code=PLAINE_COMMUNE)
    assert plaine.type == "EPT"
    assert plaine.parent_id == MGP
    assert [d.code for d in plaine.departements.all()] == ["93"]
    saint_denis = Commune.objects.get(code=SAINT_DENIS)
    assert (saint_denis.epci_id, saint_denis.ept_id) == (MGP, PLAINE_COMMUNE)
    assert plaine.communes_territoire.count() == 8
    assert plaine.population == sum(c.population for c in plaine.communes_territoire.all())
    seine_saint_denis = Departement.objects.get(code="93")
    assert set(
        Epci.objects.filter(departements=seine_saint_denis, parent=MGP).values_list("code", flat=True)
    ) == {PLAINE_COMMUNE, EST_ENSEMBLE, TERRES_D_ENVOL, GRAND_EST}
    # Every commune of the département is in one territoire.
    assert not Commune.objects.filter(departement="93", ept__isnull=True).exists()
    # The Métropole still straddles its six départements.
    assert sorted(Epci.objects.get(code=MGP).departements.values_list("code", flat=True)) == [
        "75",
        "91",
        "92",
        "93",
        "94",
        "95",
    ]
    figures = departement_figures(seine_saint_denis)
    assert (figures.epcis, figures.epts) == (1, 4)


@pytest.mark.django_db
def test_a_second_import_changes_nothing():
    report = import_territoires(
        path=settings.TERRITOIRES_FILE, ept_path=settings.EPT_FILE, departements=["93"]
    )
    assert not report.changed
    assert report.ept.unchanged == 4


@pytest.mark.django_db
def test_the_whole_referential_has_twelve_territoires_paris_included():
    import_territoires(path=settings.TERRITOIRES_FILE, ept_path=settings.EPT_FILE, departements=["75", "92"])
    territoires = Epci.objects.filter(parent=MGP)
    assert territoires.filter(type="EPT").count() == 4 + 4  # those touching 93, then 92 (one in 95)
    paris = Epci.objects.get(parent=MGP, type="PARIS")
    assert (paris.code, paris.nom) == ("217500016", "Paris")  # the Ville de Paris's SIREN
    assert Commune.objects.get(code="75056").ept == paris
    # Not a collectivité of its own: the Ville de Paris is the commune and the département.
    assert not Epci.objects.collectivites().filter(type="PARIS").exists()


@pytest.mark.django_db
def test_a_file_in_the_older_vintage_places_a_merged_commune_by_its_current_code():
    # Pierrefitte-sur-Seine (93059) merged into Saint-Denis (93066) on 1 January 2025.
    report = import_territoires(
        path=settings.TERRITOIRES_FILE, ept_path=FIXTURES / "ept-extrait.csv", departements=["93"]
    )
    assert report.ept.deleted == 2  # Paris Terres d'Envol and Grand Paris Grand Est are not in it
    assert Commune.objects.get(code=SAINT_DENIS).ept_id == PLAINE_COMMUNE
    assert Commune.objects.filter(ept=PLAINE_COMMUNE).count() == 2


@pytest.mark.django_db
@pytest.mark.skipif(not SHARED_SAMPLE.exists(), reason="open-data samples absent")
def test_the_published_sample_loads_to_the_same_composition():
    report = import_territoires(path=settings.TERRITOIRES_FILE, ept_path=SHARED_SAMPLE, departements=["93"])
    assert not report.changed


@pytest.mark.django_db
def test_search_finds_an_ept_with_its_type_label():
    [result] = search_collectivites("plaine commune", types=["epci"])
    assert result.key == f"epci:{PLAINE_COMMUNE}"
    assert result.type_label == "Établissement public territorial"
    assert result.label == "Plaine Commune (EPT, 200057867)"
    assert result.detail == "Seine-Saint-Denis"
    [by_siren] = search_collectivites(PLAINE_COMMUNE)
    assert by_siren.key == result.key


@pytest.mark.django_db
def test_the_public_endpoint_keeps_its_shape_and_adds_the_type_label(client):
    response = client.get(reverse("territoires:recherche"), {"q": "est ensemble", "departement": "93"})
    [row] = [r for r in response.json() if r["code"] == EST_ENSEMBLE]
    assert row == {
        "key": f"epci:{EST_ENSEMBLE}",
        "label": "Est Ensemble (EPT, 200057875)",
        "detail": "Seine-Saint-Denis",
        "type": "epci",
        "type_label": "Établissement public territorial",
        "code": EST_ENSEMBLE,
        "nom": "Est Ensemble",
    }
    nevers = client.get(reverse("territoires:recherche"), {"q": "nevers", "types": "commune"}).json()[0]
    assert nevers["type_label"] == "Commune"


@pytest.mark.django_db
def test_the_command_loads_the_shipped_composition_or_the_one_given():
    out = StringIO()
    call_command("import_territoires", departements="93", stdout=out)
    assert (
        "Territoires du Grand Paris (EPT et Paris) : 0 créé(s), 0 mis à jour, 0 supprimé(s), 4 inchangé(s)"
        in (out.getvalue())
    )
    out = StringIO()
    call_command(
        "import_territoires",
        "--file",
        str(settings.TERRITOIRES_FILE),
        "--ept",
        str(FIXTURES / "ept-extrait.csv"),
        "--departements",
        "93",
        stdout=out,
    )
    assert (
        "Territoires du Grand Paris (EPT et Paris) : 0 créé(s), 2 mis à jour, 2 supprimé(s)" in out.getvalue()
    )
    assert Commune.objects.get(code="93008").ept_id == EST_ENSEMBLE
    assert not Commune.objects.filter(code="93005", ept__isnull=False).exists()  # Aulnay: none now


@pytest.mark.django_db
def test_the_command_refuses_a_bad_composition_and_names_both_files():
    with pytest.raises(CommandError, match=r"(?s)ept-erreurs\.csv : .*ligne 3 : code de commune invalide"):
        call_command(
            "import_territoires", ept=str(FIXTURES / "ept-erreurs.csv"), departements="93", verbosity=0
        )
    assert Commune.objects.get(code="93005").ept_id == TERRES_D_ENVOL


@pytest.mark.django_db
def test_a_groupement_is_named_with_its_article():
    assert Epci.objects.get(code="245804406").de_nom == "de la CA de Nevers"
    assert Epci.objects.get(code=EST_ENSEMBLE).de_nom == "de l'EPT Est Ensemble"
