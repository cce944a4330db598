"""The parsers on the project's own files in the published formats: quirks and malformed rows."""

from datetime import date
from pathlib import Path

import pytest

from diagnostic.enums import Echelon
from diagnostic.parsers.aidants_connect import normalise_siret, parse_aidants_connect
from diagnostic.parsers.common import FormatError, ParseError, date_from_filename, fold, iter_json_array
from diagnostic.parsers.conseillers_numeriques import parse_conseillers_numeriques
from diagnostic.parsers.ifn import parse_ifn
from diagnostic.parsers.lieux import parse_lieux

FIXTURES = Path(__file__).parent / "fixtures"


def read(name):
    return (FIXTURES / name).read_text(encoding="utf-8-sig")


def lines(name):
    return read(name).splitlines(keepends=True)


def split(items):
    rows = [i for i in items if not isinstance(i, ParseError)]
    errors = [i for i in items if isinstance(i, ParseError)]
    return rows, errors


def test_lieux_v1_rows_and_quirks():
    rows, errors = split(list(parse_lieux(read("lieux_v1.0.2.csv"))))
    assert [r.identifiant for r in rows] == [
        "mediatheque-nevers",
        "centre-social-saint-eloi",
        "bus-numerique",
        "nulle-part",
    ]
    nevers, saint_eloi, bus, perdu = rows
    assert nevers.line == 2
    assert nevers.typologies == ("BIB", "EPN")
    assert nevers.dispositifs == ("Conseillers numériques", "France Services")
    assert nevers.services == (
        "Maîtrise des outils numériques du quotidien",
        "Accès internet et matériel informatique",
    )
    assert nevers.date_maj == date(2024, 3, 14)
    assert (nevers.latitude, nevers.longitude) == (46.9896, 3.159)
    # The INSEE code is optional in the standard: left empty for the service to recover.
    assert (saint_eloi.code_insee, saint_eloi.code_postal, saint_eloi.commune) == ("", "58000", "ST ELOI")
    assert saint_eloi.dispositifs == ("Aidants Connect",)
    # A quoted address over two lines is one record, read on one line.
    assert bus.adresse == "Place Notre-Dame Parking de la mairie"
    assert bus.itinerant is True
    assert bus.pivot == ""  # « 00000000000000 » means no SIRET
    assert bus.line == 4
    assert perdu.line == 10  # physical lines: the address of line 4 spans two
    assert perdu.date_maj is None
    assert any("date de mise à jour invalide" in w for w in perdu.warnings)
    assert any("Label inventé" in w for w in perdu.warnings)
    assert [(e.line, e.message) for e in errors] == [
        (6, "champ obligatoire vide : nom"),
        (7, "code postal invalide : « ABCDE »"),
        (8, "4 colonnes au lieu de celles de l'en-tête"),
        (9, "identifiant « mediatheque-nevers » déjà vu ligne 2"),
    ]


def test_lieux_v0_json_labels_and_placeholder_date():
    rows, errors = split(list(parse_lieux(read("lieux_v0.json"))))
    assert len(rows) == 2
    bus, quartier = rows
    # « CNFS;France Services;APTIC » with `;`: abbreviations mapped to the standard's values.
    assert bus.dispositifs == ("Conseillers numériques", "France Services", "APTIC")
    assert bus.en_zrr is True
    assert bus.en_qpv is False
    assert bus.date_maj is None
    assert "date de mise à jour 1969-12-31 (valeur par défaut) ignorée" in bus.warnings
    assert bus.line == 2
    assert quartier.typologies == ("EPN", "MUNI")
    assert quartier.en_qpv is True
    assert quartier.en_zrr is True
    assert quartier.code_insee == ""
    assert quartier.line == 20
    assert [(e.line, e.message) for e in errors] == [
        (36, "élément n° 3 : champ obligatoire vide : nom"),
        (50, "élément n° 4 : pas un objet JSON"),
    ]


def test_lieux_rejects_a_file_without_the_standard_header():
    with pytest.raises(FormatError, match="Colonnes absentes"):
        list(parse_lieux("nom;adresse\nA;B\n"))


def test_ifn_communes():
    rows, errors = split(list(parse_ifn(lines("ifn_communes.csv"), echelon=Echelon.COMMUNE)))
    codes = [r.code for r in rows]
    # 23023 (Blaudeix, merged since) is kept as it is: the service maps it.
    assert codes == ["58194", "58238", "58062", "23023", "23149", "58086", "58999"]
    nevers = rows[0]
    assert (nevers.score, nevers.sans_tres_haut_debit, nevers.sans_4g) == (4.2, 1.0, 2.0)
    assert (nevers.pauvrete, nevers.plus_de_65_ans, nevers.non_diplomes) == (7.0, 6.0, 5.0)
    sans = rows[5]
    assert sans.score == 5.5
    assert sans.pauvrete is None
    assert sans.warnings
    assert [(e.line, e.message) for e in errors] == [
        (8, "total : « abc » n'est pas un nombre"),
        (9, "total : 11.5 hors de l'échelle 0–10"),
        (10, "division « epci » au lieu de « city »"),
        (11, "code « 5X000 » invalide"),
        (13, "code 58194 déjà vu ligne 2"),
        (14, "3 colonnes au lieu de 9"),
    ]


def test_ifn_epci():
    rows, errors = split(list(parse_ifn(lines("ifn_epci.csv"), echelon=Echelon.EPCI)))
    assert [r.code for r in rows] == ["245804406", "200000000"]
    assert rows[0].score == 4.3
    assert [(e.line, e.message) for e in errors] == [(3, "code « ZZZZZZZZZ » invalide")]


def test_aidants_connect_quirks():
    rows, errors = split(list(parse_aidants_connect(lines("aidants_connect_structures.csv"))))
    assert [r.identifiant for r in rows] == [101, 102, 103, 104, 107]
    nevers, chinon, eloi, ain, sans_commune = rows
    assert nevers.siret == "21580194700019"  # written 21580194700019.0
    assert nevers.france_services is True
    assert nevers.actif is True
    assert (nevers.nb_aidants, nevers.nb_usagers, nevers.nb_demarches) == (6, 120, 310)
    assert nevers.demarches_par_theme["argent"] == 40
    assert "justice" not in nevers.demarches_par_theme  # empty count
    assert chinon.adresse == "Hôtel de ville, 14 rue du Champlain, 58120 Château-Chinon"
    assert chinon.actif is False
    assert (chinon.nb_usagers, chinon.nb_demarches, chinon.demarches_par_theme) == (None, None, {})
    assert (eloi.code_insee, eloi.code_postal, eloi.ville, eloi.siret) == ("", "58000", "Saint-Eloi", "")
    assert ain.siret == "04189774500020"
    assert ain.code_postal == "01000"
    assert ain.nb_aidants is None
    assert sans_commune.line == 10  # the address of line 3 spans three lines
    assert [(e.line, e.message) for e in errors] == [
        (8, "Is Active : « peut-être » n'est ni true ni false"),
        (9, "Nombre d'aidants : « deux » n'est pas un nombre entier"),
        (12, "UUID « pas-un-uuid » invalide"),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13002603200016.0", ("13002603200016", None)),
        ("0.0", ("", None)),
        ("", ("", None)),
        ("4189774500020.0", ("04189774500020", None)),
        ("265905075000053.0", ("", "SIRET de 15 chiffres ignoré : « 265905075000053.0 »")),
    ],
)
def test_normalise_siret(raw, expected):
    assert normalise_siret(raw) == expected


def test_conseillers_numeriques():
    rows, errors = split(list(parse_conseillers_numeriques(read("conseillers_numeriques.json"))))
    assert [r.departement for r in rows] == ["58", "23", "05"]
    nievre = rows[0]
    assert (nievre.usagers, nievre.accompagnements) == (1815, 2400)
    assert nievre.accompagnement == {"atelier": 500, "individuel": 1200, "redirection": 30}
    assert nievre.ages["plus60ans"] == 900
    assert [(e.line, e.message) for e in errors] == [
        (4, "élément n° 4 : département 58 déjà vu (élément n° 1)"),
        (5, "élément n° 5 : code de département « 999 » invalide"),
        (6, "élément n° 6 : usagers : « -3 » n'est pas un nombre entier positif"),
        (7, "élément n° 7 : usagers ou accompagnements absents"),
    ]


def test_json_array_errors_are_format_errors():
    with pytest.raises(FormatError, match="liste"):
        list(iter_json_array('{"a": 1}'))
    with pytest.raises(FormatError, match="ligne 2"):
        list(iter_json_array('[{"a": 1},\n{"a": }]'))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lieux_20231003.json", (date(2023, 10, 3), False)),
        ("export-2024-02-22.csv", (date(2024, 2, 22), False)),
        ("ifn_communes_tout-age_2021_extrait.csv", (date(2021, 1, 1), True)),
        ("aidants-connect_structures.csv", (None, False)),
    ],
)
def test_date_from_filename(name, expected):
    assert date_from_filename(name) == expected


def test_fold():
    assert fold("ST AMANT DE BOIXE") == fold("Saint-Amant-de-Boixe") == "saint amant de boixe"
    assert fold("Château-Chinon (Ville)") == "chateau chinon ville"
