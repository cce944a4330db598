"""The published files: every one valid against its Table Schema (frictionless, foreign keys
included), in the open-data formats, with the rows and values a reuser expects."""

import csv
import io
import json

import pytest
from django.utils import timezone
from frictionless import Package, Schema, resources

from diagnostic.enums import Source
from diagnostic.models import ImportRun
from donnees_ouvertes.jeux import PUBLIES
from territoires.models import Commune
from tests.diagnostic.factories import AidantsConnectStructureFactory, LieuMediationFactory
from tests.donnees_ouvertes.conftest import SIRET_STRUCTURE, publier

pytestmark = pytest.mark.django_db


def rows(fichiers, jeu) -> list[dict]:
    return list(csv.DictReader(io.StringIO(fichiers[(jeu, "csv")].decode("utf-8"))))


def objects(fichiers, jeu) -> list[dict]:
    return json.loads(fichiers[(jeu, "json")])


def validate_package(fichiers: dict, fmt: str, tmp_path):
    """All the data sets of one format as one Data Package, validated by frictionless."""
    folder = tmp_path / fmt
    folder.mkdir()
    found = []
    for slug, jeu in PUBLIES.items():
        (folder / f"{slug}.{fmt}").write_bytes(fichiers[(slug, fmt)])
        found.append(
            resources.TableResource(
                name=slug,
                path=f"{slug}.{fmt}",
                format=fmt,
                encoding="utf-8",
                schema=Schema.from_descriptor(jeu.table_schema()),
            )
        )
    return Package(resources=found, basepath=str(folder)).validate()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_file_is_valid_against_its_table_schema(publie, tmp_path, fmt):
    _, fichiers = publie
    report = validate_package(fichiers, fmt, tmp_path)
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    counts = {task.name: task.stats["rows"] for task in report.tasks}
    assert counts["gouvernances"] == 101
    assert counts["membres"] == 4
    assert counts["feuilles-de-route"] == 3
    assert counts["besoins-ingenierie"] == 1
    assert counts["diagnostic-communes"] > 1000


def test_the_validation_catches_a_broken_file(publie, tmp_path):
    """The check above would see a value outside the schema or a foreign key to nothing."""
    fichiers = dict(publie[1])
    membres = objects(fichiers, "membres")
    membres[0]["role"] = "chef"
    membres[1]["code_departement"] = "99"
    fichiers[("membres", "json")] = json.dumps(membres).encode()
    report = validate_package(fichiers, "json", tmp_path)
    assert {error[0] for error in report.flatten(["type"])} == {"constraint-error", "foreign-key"}


def test_every_schema_is_a_valid_table_schema():
    for jeu in PUBLIES.values():
        schema = Schema.from_descriptor(jeu.table_schema())
        assert [f.name for f in schema.fields] == jeu.noms
        assert schema.primary_key == list(jeu.cle_primaire)
        assert all(f.description for f in schema.fields), jeu.slug


def test_csv_is_the_open_data_flavour(publie):
    content = publie[1][("gouvernances", "csv")]
    assert not content.startswith(b"\xef\xbb\xbf")  # no BOM
    text = content.decode("utf-8")
    header = text.split("\r\n", 1)[0]
    assert header.split(",") == PUBLIES["gouvernances"].noms
    nievre_row = next(r for r in rows({("g", "csv"): content}, "g") if r["code_departement"] == "58")
    assert nievre_row["statut"] == "definitive"
    assert nievre_row["nom_departement"] == "Nièvre"
    assert nievre_row["coporteurs"] == "Conseil départemental de la Nièvre|CA de Nevers"
    assert len(nievre_row["date_remontee_definitive"]) == 10  # AAAA-MM-JJ
    assert nievre_row["page_publique"].endswith("/departements/58/gouvernance/publique/")
    cote_dor = next(r for r in rows({("g", "csv"): content}, "g") if r["code_departement"] == "21")
    assert cote_dor["statut"] == "non_remontee"  # a draft is not public
    assert cote_dor["nombre_membres"] == ""


def test_membres_are_organisations_with_their_codes(publie):
    nievre, fichiers = publie
    membres = {m["nom"]: m for m in objects(fichiers, "membres")}
    assert membres["Conseil départemental de la Nièvre"] == {
        "id": nievre["cd"].pk,
        "code_departement": "58",
        "type": "departement",
        "nom": "Conseil départemental de la Nièvre",
        "code_insee": "58",
        "siren": None,
        "role": "coporteur",
    }
    assert membres["CA de Nevers"]["siren"] == "245804406"
    assert membres["La Poste — Nièvre"]["type"] == "structure"
    assert membres["La Poste — Nièvre"]["siren"] == SIRET_STRUCTURE[:9]
    assert membres["CC Haut Nivernais - Val d'Yonne"]["role"] == "membre"


def test_feuilles_de_route_give_their_perimetre_porteur_and_approved_targets(publie):
    nievre, fichiers = publie
    feuilles = {f["nom"]: f for f in objects(fichiers, "feuilles-de-route")}
    departementale = feuilles["Feuille de route départementale de la Nièvre"]
    assert departementale["perimetre_codes"] == "58"
    assert departementale["porteur_membre_id"] == nievre["cd"].pk
    # The latest version is in redaction; the targets are the approved version's.
    assert departementale["statut_document"] == "redaction"
    assert departementale["date_approbation"] == "2024-05-14"
    assert (
        departementale["cible_conseillers_2023"],
        departementale["cible_conseillers_2025"],
        departementale["cible_conseillers_2027"],
    ) == (20, 25, 30)
    assert departementale["cible_lieux_2027"] == 120
    assert departementale["cible_lieux_2023"] is None
    infra = feuilles["Nevers numérique"]
    assert infra["perimetre"] == "epci"
    assert infra["perimetre_codes"] == "200067429|245804406"
    assert infra["contrat_preexistant"] == "crte"
    assert infra["statut_document"] == "non_commence"
    assert infra["cible_conseillers_2027"] is None
    seule = feuilles["Morvan connecté"]
    assert (seule["porteur_membre_id"], seule["porteur_nom"]) == (None, "Préfecture")
    csv_row = next(r for r in rows(fichiers, "feuilles-de-route") if r["nom"] == "Morvan connecté")
    assert csv_row["porteur_membre_id"] == ""


def test_besoins_are_consolidated_per_departement(publie):
    _, fichiers = publie
    [besoins] = objects(fichiers, "besoins-ingenierie")
    assert besoins == {
        "code_departement": "58",
        "besoins": "diagnostic|subventions|former_agents|former_autre",
        "nombre_besoins": 4,
        "besoins_formaliser": 1,
        "besoins_financer": 1,
        "besoins_outiller": 0,
        "besoins_former": 2,
        "besoins_ressource_humaine": 2,
        "etp": 1.5,
        "besoins_prestation": 1,
        "personnes_a_former": 25,
        "chef_de_projet": True,
    }
    [csv_row] = rows(fichiers, "besoins-ingenierie")
    assert (csv_row["etp"], csv_row["chef_de_projet"]) == ("1.5", "true")


def test_diagnostic_per_commune_from_the_imported_open_data(publie, db):
    nevers = Commune.objects.get(code="58194")
    fichiers = publier()
    before = next(c for c in objects(fichiers, "diagnostic-communes") if c["code_commune"] == "58194")
    # No source imported yet: no figure (not zero).
    assert before["nombre_lieux"] is None
    assert before["aidants_connect"] is None
    assert before["population"] == nevers.population
    assert before["code_epci"] == "245804406"
    for source in (Source.LIEUX, Source.AIDANTS_CONNECT):
        ImportRun.objects.create(
            source=source, fichier=f"{source}.csv", empreinte="x", finished_at=timezone.now()
        )
    LieuMediationFactory(commune=nevers, france_services_label=True)
    LieuMediationFactory(commune=nevers, cnfs=True)
    AidantsConnectStructureFactory(commune=nevers, nb_aidants=4)
    AidantsConnectStructureFactory(commune=nevers, nb_aidants=9, inactive=True)
    fichiers = publier()
    after = next(c for c in objects(fichiers, "diagnostic-communes") if c["code_commune"] == "58194")
    assert after["nombre_lieux"] == 2
    assert after["lieux_france_services"] == 1
    assert after["lieux_conseillers_numeriques"] == 1
    assert after["lieux_pour_10000_habitants"] == round(2 * 10000 / nevers.population, 2)
    assert (after["structures_aidants_connect"], after["aidants_connect"]) == (1, 4)
    assert "ifn" not in " ".join(after)  # the IFN has no reuse licence: not republished


def test_a_formula_is_neutralised_in_csv_not_in_json(publie, db):
    nievre, _ = publie
    nievre["structure"].structure_nom = '=HYPERLINK("http://pirate.example")'
    nievre["structure"].save()
    fichiers = publier()
    [row] = [r for r in rows(fichiers, "membres") if r["type"] == "structure"]
    assert row["nom"].startswith("'=")
    [obj] = [m for m in objects(fichiers, "membres") if m["type"] == "structure"]
    assert obj["nom"].startswith("=")
