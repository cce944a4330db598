#!/usr/bin/env python3
"""Build the map geometry shipped in territoires/data/geo/ from IGN GEOFLA 2016 outlines.

Source: the GeoJSON files of `gregoiredavid/france-geojson` (IGN GEOFLA 2016, Licence Ouverte),
kept beside the project in `../shared/geo/` (`--source` to read them elsewhere). Usage, from the
project root, with shapely installed (`pip install -e .[dev]` brings it):

    python scripts/build_geo.py --source ../shared/geo             # everything
    python scripts/build_geo.py --source ../shared/geo --departements 58,2A

What it writes (see territoires/data/geo/README.md):
- `france.json.gz`: the 101 départements as SVG paths, the metropole in Lambert-93 and each DROM
  in its own inset frame;
- `communes/<code>.json.gz`, one per département: today's communes (the 2016 communes merged since
  are dissolved into the commune they joined, through the referential's former codes), the
  département's outline, and the frame that projects a longitude and latitude onto the drawing.

Outlines are simplified as a coverage (shapely's coverage_simplify, topology-preserving across
neighbours: no gap nor overlap appears between two départements or two communes), coordinates are
rounded to whole SVG units and written as relative path commands. The output is deterministic
(sorted keys, gzip header without name nor date): rebuilding from the same files gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from territoires.geo.projection import DROM_CENTRES, Cadre, project, projection_name  # noqa: E402

FORMAT = 1
OUTPUT = ROOT / "territoires" / "data" / "geo"
REFERENTIEL = ROOT / "territoires" / "data" / "territoires-2026.json.gz"
DEPARTEMENTS_FILE = "departements-avec-outre-mer_geofla-2016.geojson"
SOURCE = {
    "donnees": "IGN GEOFLA 2.2 (28 juin 2016), codes et noms INSEE 2016",
    "depot": "gregoiredavid/france-geojson @ 5d34ee6d0140c29f785fdb047d9329f1aab58833",
    "licence": "Licence Ouverte (Etalab)",
    "credit": "Contours : IGN GEOFLA 2016, Licence Ouverte, via france-geojson",
}

# National drawing (SVG units): the DROM insets in a column on the left, the metropole beside them.
INSET_WIDTH, INSET_HEIGHT, INSET_GAP, INSET_TITLE = 150, 138, 10, 20
METRO_X, METRO_WIDTH = INSET_WIDTH + 20, 760
DROM_ORDER = ("971", "972", "973", "974", "976")
# Simplification tolerance (about the side of the smallest triangle kept), in SVG units, and the
# smallest island drawn (area in square units): below that, a shape is invisible on screen.
NATIONAL_TOLERANCE, NATIONAL_MIN_AREA = 1.2, 3.0
# One département's drawing: its longer side is this many units.
COMMUNES_SIZE, COMMUNES_PADDING = 600, 6
COMMUNES_TOLERANCE, COMMUNES_MIN_AREA = 1.4, 1.5


def project_geometry(geometry, projection: str):
    def transform(coords: np.ndarray) -> np.ndarray:
        return np.array([project(projection, lon, lat) for lon, lat in coords])

    return shapely.transform(geometry, transform)


def fit(geometries: list, *, projection: str, x: float, y: float, width: float, height: float) -> Cadre:
    """The frame that puts projected `geometries` inside the box (x, y, width, height), centred."""
    minx, miny, maxx, maxy = shapely.total_bounds(geometries)
    k = min(width / (maxx - minx), height / (maxy - miny))
    dx = (width - (maxx - minx) * k) / 2
    dy = (height - (maxy - miny) * k) / 2
    # x_svg = (X − x0)·k with x_svg = x + dx at X = minx; y_svg = (y0 − Y)·k with y + dy at Y = maxy.
    return Cadre(projection=projection, x0=minx - (x + dx) / k, y0=maxy + (y + dy) / k, k=k)


def to_svg_units(geometry, cadre: Cadre):
    return shapely.transform(
        geometry, lambda c: np.column_stack(((c[:, 0] - cadre.x0) * cadre.k, (cadre.y0 - c[:, 1]) * cadre.k))
    )


def polygons(geometry) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in polygons(part)]


def ring_path(coords) -> str:
    points: list[tuple[int, int]] = []
    for cx, cy in coords:
        p = (round(cx), round(cy))
        if not points or p != points[-1]:
            points.append(p)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(set(points)) < 3:
        return ""
    x, y = points[0]
    parts = [f"M{x} {y}l"]
    moves = []
    for px, py in points[1:]:
        moves.append(f"{px - x} {py - y}")
        x, y = px, py
    return parts[0] + " ".join(moves) + "z"


def path(geometry, *, min_area: float) -> str:
    """SVG path data: every polygon (holes included, drawn with fill-rule evenodd), the tiny
    islands left out — but never every polygon of a shape."""
    parts = sorted(polygons(geometry), key=lambda p: p.area, reverse=True)
    kept = [p for i, p in enumerate(parts) if i == 0 or p.area >= min_area]
    rings = []
    for polygon in kept:
        rings.append(ring_path(polygon.exterior.coords))
        rings.extend(ring_path(hole.coords) for hole in polygon.interiors if Polygon(hole).area >= min_area)
    return "".join(r for r in rings if r)


def simplify(geometries: list, tolerance: float) -> list:
    return list(shapely.coverage_simplify(np.array(geometries, dtype=object), tolerance))


def write(target: Path, data: dict) -> int:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(payload)
    return target.stat().st_size


def cadre_dict(cadre: Cadre) -> dict:
    return {"projection": cadre.projection, "x0": round(cadre.x0, 3), "y0": round(cadre.y0, 3), "k": cadre.k}


# --- National map -------------------------------------------------------------------------------


def build_france(source: Path, output: Path) -> int:
    features = json.loads((source / DEPARTEMENTS_FILE).read_text(encoding="utf-8"))["features"]
    by_code = {f["properties"]["code"]: shape(f["geometry"]) for f in features}
    metro = sorted(code for code in by_code if code not in DROM_CENTRES)
    projected = {code: project_geometry(g, projection_name(code)) for code, g in by_code.items()}

    metro_geoms = [projected[c] for c in metro]
    minx, miny, maxx, maxy = shapely.total_bounds(metro_geoms)
    height = round(METRO_WIDTH * (maxy - miny) / (maxx - minx))
    cadres = [
        {
            "code": "metro",
            "libelle": "France métropolitaine",
            "x": METRO_X,
            "y": 0,
            "largeur": METRO_WIDTH,
            "hauteur": height,
            **cadre_dict(
                fit(metro_geoms, projection="lambert93", x=METRO_X, y=0, width=METRO_WIDTH, height=height)
            ),
        }
    ]
    step = (height - INSET_HEIGHT) / (len(DROM_ORDER) - 1)
    for i, code in enumerate(DROM_ORDER):
        y = round(i * step)
        cadre = fit(
            [projected[code]],
            projection=code,
            x=6,
            y=y + INSET_TITLE,
            width=INSET_WIDTH - 12,
            height=INSET_HEIGHT - INSET_TITLE - 6,
        )
        cadres.append(
            {
                "code": code,
                "libelle": next(f["properties"]["nom"] for f in features if f["properties"]["code"] == code),
                "x": 0,
                "y": y,
                "largeur": INSET_WIDTH,
                "hauteur": INSET_HEIGHT,
                **cadre_dict(cadre),
            }
        )
    frames = {c["code"]: Cadre(c["projection"], c["x0"], c["y0"], c["k"]) for c in cadres}

    shapes: dict[str, str] = {}
    groups = [metro] + [[code] for code in DROM_ORDER]
    for codes in groups:
        frame = frames["metro"] if codes is metro else frames[codes[0]]
        svg = [to_svg_units(projected[c], frame) for c in codes]
        for code, geometry in zip(codes, simplify(svg, NATIONAL_TOLERANCE), strict=True):
            shapes[code] = path(geometry, min_area=NATIONAL_MIN_AREA)
    data = {
        "format": FORMAT,
        "source": SOURCE,
        "largeur": METRO_X + METRO_WIDTH,
        "hauteur": height,
        "cadres": cadres,
        "departements": [[code, shapes[code]] for code in sorted(shapes)],
    }
    return write(output / "france.json.gz", data)


# --- Communes, per département ------------------------------------------------------------------


def load_referential() -> tuple[dict[str, str], dict[str, str]]:
    """(current commune code → département, former code → current commune code)."""
    with gzip.open(REFERENTIEL, "rt", encoding="utf-8") as f:
        data = json.load(f)
    cols = data["colonnes"]
    code_i, dep_i = cols["communes"].index("code"), cols["communes"].index("departement")
    communes = {row[code_i]: row[dep_i] for row in data["communes"]}
    a_code, a_commune = cols["anciens_codes"].index("code"), cols["anciens_codes"].index("commune")
    anciens = {row[a_code]: row[a_commune] for row in data["anciens_codes"]}
    return communes, anciens


def build_communes(source: Path, only: set[str] | None, output: Path) -> tuple[int, int, list[str]]:
    communes, anciens = load_referential()
    parts: dict[str, list] = defaultdict(list)
    unknown: list[str] = []
    for file in sorted((source / "communes").glob("communes-*.geojson")):
        for feature in json.loads(file.read_text(encoding="utf-8"))["features"]:
            code = feature["properties"]["code"]
            current = code if code in communes else anciens.get(code)
            if current is None:
                unknown.append(code)
                continue
            parts[current].append(shape(feature["geometry"]))
    by_departement: dict[str, list[str]] = defaultdict(list)
    for code in sorted(parts):
        by_departement[communes[code]].append(code)

    total = files = 0
    for departement in sorted(by_departement):
        if only and departement not in only:
            continue
        codes = by_departement[departement]
        projection = projection_name(departement)
        geoms = [project_geometry(shapely.union_all(parts[c]), projection) for c in codes]
        minx, miny, maxx, maxy = shapely.total_bounds(geoms)
        inner = COMMUNES_SIZE - 2 * COMMUNES_PADDING
        ratio = (maxy - miny) / (maxx - minx)
        width = inner if ratio <= 1 else round(inner / ratio)
        height = round(inner * ratio) if ratio <= 1 else inner
        cadre = fit(
            geoms, projection=projection, x=COMMUNES_PADDING, y=COMMUNES_PADDING, width=width, height=height
        )
        simplified = simplify([to_svg_units(g, cadre) for g in geoms], COMMUNES_TOLERANCE)
        outline = shapely.union_all(simplified)
        sans_contour = sorted(c for c, d in communes.items() if d == departement and c not in parts)
        data = {
            "format": FORMAT,
            "source": SOURCE,
            "departement": departement,
            "largeur": width + 2 * COMMUNES_PADDING,
            "hauteur": height + 2 * COMMUNES_PADDING,
            "cadre": cadre_dict(cadre),
            "contour": path(outline, min_area=COMMUNES_MIN_AREA),
            "communes": [
                [code, path(g, min_area=COMMUNES_MIN_AREA)] for code, g in zip(codes, simplified, strict=True)
            ],
            "sans_contour": sans_contour,
        }
        total += write(output / "communes" / f"{departement}.json.gz", data)
        files += 1
    return files, total, unknown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "geo")
    parser.add_argument("--departements", help="codes séparés par des virgules (communes seulement)")
    parser.add_argument(
        "--output", type=Path, default=OUTPUT, help="dossier produit (par défaut, celui du projet)"
    )
    args = parser.parse_args()
    if not (args.source / DEPARTEMENTS_FILE).is_file():
        raise SystemExit(f"{args.source / DEPARTEMENTS_FILE} introuvable (option --source)")
    only = set(args.departements.split(",")) if args.departements else None
    if only is None:
        size = build_france(args.source, args.output)
        print(f"france.json.gz : {size} octets")
    files, total, unknown = build_communes(args.source, only, args.output)
    print(f"communes : {files} fichiers, {total} octets")
    if unknown:
        print(f"codes 2016 sans commune actuelle, ignorés : {', '.join(sorted(unknown))}")


if __name__ == "__main__":
    main()
