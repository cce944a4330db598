"""The import services and commands on the project's fixtures and, when present, the real samples."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from diagnostic import services
from diagnostic.enums import Echelon, Source
from diagnostic.models import (
    AidantsConnectStructure,
    ConseillersNumeriquesActivite,
    ImportRun,
    IndiceFragilite,
    LieuMediation,
)
from territoires.models import Epci

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_DATA = Path(settings.BASE_DIR).parent / "shared" / "data"

pytestmark = pytest.mark.django_db


def text(name):
    return (FIXTURES / name).read_text(encoding="utf-8-sig")


def counts(run):
    return run.lus, run.crees, run.mis_a_jour, run.inchanges, run.rejetes


def motifs(run):
    return {r["ligne"]: r["motif"] for r in run.rejets}


def test_lieux_v1_import_is_idempotent_and_reports_rejects():
    run = services.lieux_import(text=text("lieux_v1.0.2.csv"), fichier="lieux_v1.0.2.csv")
    assert counts(run) == (8, 3, 0, 0, 5)
    assert sorted(motifs(run)) == [6, 7, 8, 9, 10]
    assert (
        "aucune commune unique ne correspond au code postal 99999" in motifs(run)[10]
        or "99999" in motifs(run)[10]
    )
    nevers = LieuMediation.objects.get(identifiant="mediatheque-nevers")
    assert nevers.commune_id == "58194"
    assert nevers.typologie == "BIB"
    assert nevers.france_services
    assert nevers.conseillers_numeriques
    assert not nevers.aidants_connect
    # No code_insee: « ST ELOI » + 58000 (shared by four communes) finds Saint-Éloi.
    eloi = LieuMediation.objects.get(identifiant="centre-social-saint-eloi")
    assert eloi.commune_id == "58238"
    assert any(
        w["ligne"] == 3 and "retrouvée par le code postal 58000" in w["message"] for w in run.avertissements
    )
    # The date of the data is the most recent update of a lieu.
    assert run.date_donnees.isoformat() == "2024-03-14"
    assert run.source == Source.LIEUX

    again = services.lieux_import(text=text("lieux_v1.0.2.csv"), fichier="lieux_v1.0.2.csv")
    assert counts(again) == (8, 0, 0, 3, 5)
    assert LieuMediation.objects.count() == 3

    changed = text("lieux_v1.0.2.csv").replace("Médiathèque Jean Jaurès", "Médiathèque Jean-Jaurès")
    third = services.lieux_import(text=changed, fichier="lieux_v1.0.2.csv")
    assert counts(third) == (8, 0, 1, 2, 5)
    assert LieuMediation.objects.get(identifiant="mediatheque-nevers").nom == "Médiathèque Jean-Jaurès"


def test_lieux_v0_import():
    run = services.lieux_import(text=text("lieux_v0.json"), fichier="lieux_20231003.json")
    assert counts(run) == (4, 2, 0, 0, 2)
    quartier = LieuMediation.objects.get(source="Bus test en Charente", identifiant="2")
    assert quartier.commune_id == "16295"  # recovered from 16330 + « Saint-Amant-de-Boixe »
    assert quartier.en_qpv
    assert quartier.en_zrr
    assert quartier.aidants_connect
    bus = LieuMediation.objects.get(source="Bus test en Charente", identifiant="1")
    assert bus.date_maj is None
    assert bus.dispositifs == ["Conseillers numériques", "France Services", "APTIC"]


def test_ifn_communes_import_maps_merged_communes():
    run = services.ifn_import(text=text("ifn_communes.csv"), fichier="ifn_2021.csv", echelon=Echelon.COMMUNE)
    assert counts(run) == (13, 5, 0, 0, 8)
    assert run.date_donnees_affichage == "2021"
    rejects = motifs(run)
    # 23023 Blaudeix is now part of 23149 Parsac, which has its own line: reported, not kept twice.
    assert "ancien code 23023 rattaché à la commune actuelle 23149 Parsac" in rejects[5]
    assert "déjà renseignée par la ligne 6" in rejects[5]
    assert rejects[12] == "code INSEE 58999 inconnu du référentiel"
    assert IndiceFragilite.objects.get(commune_id="23149").score == 8.0
    nevers = IndiceFragilite.objects.get(commune_id="58194")
    assert (nevers.score, nevers.pauvrete, nevers.code_source) == (4.2, 7.0, "58194")
    again = services.ifn_import(
        text=text("ifn_communes.csv"), fichier="ifn_2021.csv", echelon=Echelon.COMMUNE
    )
    assert counts(again) == (13, 0, 0, 5, 8)


def test_ifn_merged_code_alone_lands_on_current_commune():
    csv = text("ifn_communes.csv").splitlines()
    without_parsac = "\n".join(line for line in csv if not line.startswith("Parsac")) + "\n"
    run = services.ifn_import(text=without_parsac, fichier="ifn.csv", echelon=Echelon.COMMUNE)
    ifn = IndiceFragilite.objects.get(commune_id="23149")
    assert (ifn.code_source, ifn.score) == ("23023", 8.8)
    assert any("ancien code 23023" in w["message"] for w in run.avertissements)


def test_ifn_epci_import():
    run = services.ifn_import(text=text("ifn_epci.csv"), fichier="ifn_epci.csv", echelon=Echelon.EPCI)
    assert counts(run) == (3, 1, 0, 0, 2)
    assert motifs(run) == {3: "code « ZZZZZZZZZ » invalide", 4: "EPCI 200000000 inconnu du référentiel"}
    assert IndiceFragilite.objects.get(epci_id="245804406").score == 4.3


def test_aidants_connect_import():
    run = services.aidants_connect_import(text=text("aidants_connect_structures.csv"), fichier="ac.csv")
    assert counts(run) == (8, 4, 0, 0, 4)
    assert sorted(motifs(run)) == [8, 9, 10, 12]
    assert "58000" in motifs(run)[10]
    nevers = AidantsConnectStructure.objects.get(identifiant=101)
    assert (nevers.siret, nevers.nb_aidants, nevers.commune_id) == ("21580194700019", 6, "58194")
    assert AidantsConnectStructure.objects.get(identifiant=103).commune_id == "58238"
    chinon = AidantsConnectStructure.objects.get(identifiant=102)
    assert chinon.adresse == "Hôtel de ville, 14 rue du Champlain, 58120 Château-Chinon"
    assert chinon.nb_usagers is None
    again = services.aidants_connect_import(text=text("aidants_connect_structures.csv"), fichier="ac.csv")
    assert counts(again) == (8, 0, 0, 4, 4)


def test_conseillers_numeriques_import():
    run = services.conseillers_numeriques_import(text=text("conseillers_numeriques.json"), fichier="cn.json")
    # « 5 » lost its leading zero: read as 05.
    assert counts(run) == (7, 3, 0, 0, 4)
    assert ConseillersNumeriquesActivite.objects.filter(departement_id="05").exists()
    nievre = ConseillersNumeriquesActivite.objects.get(departement_id="58")
    assert (nievre.accompagnements, nievre.accompagnements_individuels, nievre.ateliers) == (2400, 1200, 500)


def test_commands_print_the_report_and_say_when_nothing_changed(tmp_path):
    out = StringIO()
    call_command("import_ifn", FIXTURES / "ifn_epci.csv", stdout=out)
    assert "Indice de fragilité numérique des EPCI — ifn_epci.csv" in out.getvalue()
    assert "3 lus, 1 créés, 0 mis à jour, 0 inchangés, 2 rejetés" in out.getvalue()
    assert "ligne 3 rejetée : code « ZZZZZZZZZ » invalide" in out.getvalue()
    out = StringIO()
    call_command("import_ifn", FIXTURES / "ifn_epci.csv", "--date", "2021-06-01", stdout=out)
    assert "0 créés, 0 mis à jour, 1 inchangés" in out.getvalue()
    assert ImportRun.objects.latest("pk").date_donnees_affichage == "01/06/2021"

    for command, name in [
        ("import_lieux", "lieux_v1.0.2.csv"),
        ("import_aidants_connect", "aidants_connect_structures.csv"),
        ("import_conseillers_numeriques", "conseillers_numeriques.json"),
        ("import_ifn", "ifn_communes.csv"),
    ]:
        out = StringIO()
        call_command(command, FIXTURES / name, stdout=out)
        assert " lus, " in out.getvalue()
    bad = tmp_path / "lieux.csv"
    bad.write_text("nom;adresse\nA;B\n")
    with pytest.raises(CommandError, match="Colonnes absentes"):
        call_command("import_lieux", bad, stdout=StringIO())


# --- The real samples of ../shared/data, when present -------------------------------------------

needs_samples = pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data absent")


@needs_samples
def test_real_lieux_samples():
    v1 = services.lieux_import(
        text=(SHARED_DATA / "lieux-mediation-numerique_exemple-valide_schema-v1.0.2.csv").read_text(
            "utf-8-sig"
        ),
        fichier="exemple-valide.csv",
    )
    # The standard's example is in Reims (51), outside the test referential: reported, not kept.
    assert counts(v1) == (1, 0, 0, 0, 1)
    assert "51454" in v1.rejets[0]["motif"]
    name = "lieux-mediation-numerique_format-v0_bus-france-services-charente_20231003.json"
    v0 = services.lieux_import(text=(SHARED_DATA / name).read_text("utf-8"), fichier=name)
    assert counts(v0) == (12, 12, 0, 0, 0)
    assert v0.date_donnees.isoformat() == "2023-10-03"  # every date_maj is 1969-12-31: the file name's
    assert (
        LieuMediation.objects.filter(france_services=True, conseillers_numeriques=True, en_zrr=True).count()
        == 12
    )


@needs_samples
def test_real_ifn_samples():
    name = "ifn_communes_tout-age_2021_extrait-dep23-creuse.csv"
    run = services.ifn_import(
        text=(SHARED_DATA / name).read_text("utf-8"), fichier=name, echelon=Echelon.COMMUNE
    )
    assert counts(run) == (256, 255, 0, 0, 1)
    assert run.rejets[0]["ligne"] == 24  # 23023 Blaudeix, now in 23149 which has its own line
    name = "ifn_epci_tout-age_2021.csv"
    epci_text = (SHARED_DATA / name).read_text("utf-8")
    run = services.ifn_import(text=epci_text, fichier=name, echelon=Echelon.EPCI)
    in_file = {line.split(",")[-7] for line in epci_text.splitlines()[1:]}
    known = Epci.objects.filter(code__in=in_file).count()
    assert known >= 10  # the 10 EPCI of the Creuse at least
    assert counts(run) == (1255, known, 0, 0, 1255 - known)


@needs_samples
def test_real_aidants_connect_and_conseillers_samples():
    name = "aidants-connect_structures_export-metabase.csv"
    run = services.aidants_connect_import(text=(SHARED_DATA / name).read_text("utf-8-sig"), fichier=name)
    assert run.lus == 5227
    # Structures outside the 12 départements of the test referential are rejected (commune unknown);
    # 71 of those kept are in Seine-Saint-Denis (65 by their code Insee, the others by postal code).
    assert (run.crees, run.rejetes) == (546, 4681)
    # The sample's notes: all 63 structures of the Creuse with a code have a known one; two more
    # without a code are found from their postal code and city.
    assert AidantsConnectStructure.objects.filter(commune__departement="23").count() == 65
    sirets = set(AidantsConnectStructure.objects.values_list("siret", flat=True))
    assert all(len(siret) == 14 and siret.isdigit() for siret in sirets - {""})  # « ….0 » floats no more
    name = "conseillers-numeriques_cra-agreges-par-departement.json"
    run = services.conseillers_numeriques_import(text=(SHARED_DATA / name).read_text("utf-8"), fichier=name)
    assert counts(run) == (101, 101, 0, 0, 0)  # every département is in the test referential
