"""The shipped map geometry: what the files hold, the projection, and the rebuild from the
source outlines (when ../shared/geo and shapely are there)."""

import gzip
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from territoires.geo.cartes import Echelle, Valeur, carte_france, communes_geometrie, france
from territoires.geo.projection import Cadre, lambert93

GEO = Path(settings.GEO_DIR)
SOURCE = Path(settings.BASE_DIR).parent / "shared" / "geo"
PATH_DATA = re.compile(r"^(M-?\d+ -?\d+l(-?\d+ -?\d+ ?)+z)+$")


def test_lambert93_matches_the_ign_reference_point():
    # The projection's origin and a point of Paris (Lambert-93 of Notre-Dame ≈ 652 470, 6 862 035).
    assert lambert93(3.0, 46.5) == pytest.approx((700000, 6600000), abs=0.01)
    assert lambert93(2.3522, 48.8566) == pytest.approx((652469, 6862035), abs=5)


def test_the_national_file_holds_the_101_departements_and_five_insets():
    geo = france()
    codes = [code for code, _ in geo["departements"]]
    assert len(codes) == 101
    assert {"2A", "2B", "971", "972", "973", "974", "976"} <= set(codes)
    assert all(PATH_DATA.match(d) for _, d in geo["departements"])
    assert [c["code"] for c in geo["cadres"]] == ["metro", "971", "972", "973", "974", "976"]
    assert geo["source"]["credit"] == "Contours : IGN GEOFLA 2016, Licence Ouverte, via france-geojson"


def test_every_departement_has_a_commune_file_and_a_frame_that_places_points():
    files = sorted(p.name for p in (GEO / "communes").glob("*.json.gz"))
    assert len(files) == 101
    nievre = communes_geometrie("58")
    assert len(nievre["communes"]) == 309
    assert nievre["sans_contour"] == []
    cadre = Cadre(**nievre["cadre"])
    x, y = cadre.point(3.159, 46.990)  # Nevers
    assert 0 < x < nievre["largeur"]
    assert 0 < y < nievre["hauteur"]
    assert communes_geometrie("975") is None  # Saint-Pierre-et-Miquelon: no outline shipped


def test_shipped_files_stay_small():
    assert (GEO / "france.json.gz").stat().st_size < 20_000
    assert sum(p.stat().st_size for p in (GEO / "communes").glob("*.json.gz")) < 1_600_000


def test_a_map_names_each_shape_and_classifies_its_value():
    echelle = Echelle(seuils=(1, 2), unite="lieux")
    carte = carte_france(
        identifiant="t",
        titre="Essai",
        noms={"58": "Nièvre", "21": "Côte-d'Or"},
        valeurs={"58": Valeur(2.5, "2,5 lieux")},
        echelle=echelle,
        lien=lambda code: f"/d/{code}/",
    )
    by_code = {f.code: f for f in carte.formes}
    assert set(by_code) == {"58", "21"}
    assert by_code["58"].classe == "s2"
    assert by_code["58"].libelle == "Nièvre (58) : 2,5 lieux"
    assert by_code["21"].classe == "na"
    assert [(e.classe, e.nombre) for e in carte.legende] == [("s0", 0), ("s1", 0), ("s2", 1), ("na", 1)]
    assert [c.libelle for c in echelle.classes()] == [
        "moins de 1 lieux",
        "de 1 à moins de 2 lieux",
        "2 lieux ou plus",
    ]


@pytest.mark.skipif(
    not SOURCE.is_dir() or importlib.util.find_spec("shapely") is None,
    reason="../shared/geo ou shapely absent",
)
def test_rebuilding_a_departement_gives_the_same_bytes(tmp_path):
    script = Path(settings.BASE_DIR) / "scripts" / "build_geo.py"
    shipped = (GEO / "communes" / "90.json.gz").read_bytes()
    subprocess.run(
        [
            sys.executable,
            str(script),
            "--source",
            str(SOURCE),
            "--departements",
            "90",
            "--output",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
        timeout=900,
    )
    rebuilt = (tmp_path / "communes" / "90.json.gz").read_bytes()
    assert rebuilt == shipped
    assert json.loads(gzip.decompress(rebuilt))["departement"] == "90"
