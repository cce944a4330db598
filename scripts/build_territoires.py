#!/usr/bin/env python3
"""Build territoires/data/territoires-2026.json.gz and ept-2026.csv from the npm package @etalab/decoupage-administratif.

Standard library only. Usage, from the project root:

    python scripts/build_territoires.py                 # runs `npm pack` in a temporary directory
    python scripts/build_territoires.py --tarball X.tgz  # uses a tarball already downloaded

The tarball's sha256 is checked before anything is read. The output is deterministic (rows sorted
by code, JSON keys sorted, gzip header without name nor timestamp): rebuilding from the same
package gives the same bytes.

Compact format (see territoires/data/README.md): a JSON object whose `colonnes` entry names the
columns of each list of rows, e.g. a commune is
`[code, nom, departement, siren, population, codes_postaux, epci]`.

The établissements publics territoriaux of the Grand Paris (`package/data/ept.json`) are written
beside it as a CSV in the layout their composition is published in
(`CODGEO,LIBGEO,EPT,LIBEPT,DEP`, one row per commune, sorted by commune code).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
MILLESIME = 2026
SHA256 = "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a"
FORMAT = 1

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "territoires" / "data" / f"territoires-{MILLESIME}.json.gz"
EPT_OUTPUT_NAME = f"ept-{MILLESIME}.csv"
EPT_HEADER = ["CODGEO", "LIBGEO", "EPT", "LIBEPT", "DEP"]

COLUMNS = {
    "regions": ["code", "nom", "zone", "chef_lieu"],
    "departements": ["code", "nom", "region", "zone", "chef_lieu"],
    "epci": ["code", "nom", "type"],
    "communes": ["code", "nom", "departement", "siren", "population", "codes_postaux", "epci"],
    "anciens_codes": ["code", "nom", "commune"],
}


def npm_pack(workdir: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarballs = list(workdir.glob("*.tgz"))
    if len(tarballs) != 1:
        raise SystemExit(f"npm pack: expected one tarball in {workdir}, found {tarballs}")
    return tarballs[0]


def verify(tarball: Path) -> None:
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SystemExit(f"{tarball.name}: sha256 {digest} differs from the expected {SHA256}")


def read_package(tarball: Path) -> tuple[dict[str, list[dict]], str]:
    """The four data files and the licence text, read straight from the tarball."""
    with tarfile.open(tarball, "r:gz") as tar:

        def read(name: str) -> bytes:
            member = tar.extractfile(f"package/{name}")
            if member is None:
                raise SystemExit(f"{tarball.name}: package/{name} is missing")
            return member.read()

        data = {
            name: json.loads(read(f"data/{name}.json"))
            for name in ("regions", "departements", "epci", "communes", "ept")
        }
        licence = read("LICENSE").decode()
    return data, licence


def build(data: dict[str, list[dict]]) -> dict:
    regions = [[r["code"], r["nom"], r["zone"], r["chefLieu"]] for r in data["regions"]]
    departements = [
        [d["code"], d["nom"], d["region"], d["zone"], d["chefLieu"]] for d in data["departements"]
    ]

    epci_of: dict[str, str] = {}
    epcis = []
    for e in data["epci"]:
        epcis.append([e["code"], e["nom"], e["type"]])
        for membre in e["membres"]:
            if membre["code"] in epci_of:
                raise SystemExit(f"commune {membre['code']} belongs to two EPCI")
            epci_of[membre["code"]] = e["code"]

    actuelles = {c["code"]: c for c in data["communes"] if c["type"] == "commune-actuelle"}

    # Paris, Lyon and Marseille: the postal codes of the arrondissements municipaux are searched
    # on the parent commune (the 2026 vintage already lists them there; older ones did not).
    postaux = {code: set(c.get("codesPostaux", [])) for code, c in actuelles.items()}
    for c in data["communes"]:
        if c["type"] == "arrondissement-municipal":
            postaux[c["commune"]].update(c.get("codesPostaux", []))

    communes = [
        [
            code,
            c["nom"],
            c["departement"],
            c.get("siren", ""),
            c.get("population", 0),
            " ".join(sorted(postaux[code])),
            epci_of.get(code, ""),
        ]
        for code, c in actuelles.items()
    ]
    unknown = set(epci_of) - set(actuelles)
    if unknown:
        raise SystemExit(f"EPCI members that are not current communes: {sorted(unknown)[:10]}")

    # Former codes → current commune. A commune déléguée or associée names its current chef-lieu;
    # that wins over an `anciensCodes` entry of another commune (a code can appear in both when a
    # commune was split). A former code equal to a current commune's code is not a former code.
    anciens: dict[str, list[str]] = {}
    for code, c in actuelles.items():
        for ancien in c.get("anciensCodes", []):
            if ancien not in actuelles:
                anciens.setdefault(ancien, ["", code])
    for c in data["communes"]:
        if c["type"] in ("commune-deleguee", "commune-associee") and c["code"] not in actuelles:
            anciens[c["code"]] = [c["nom"], c["chefLieu"]]
    anciens_codes = [[code, nom, commune] for code, (nom, commune) in anciens.items()]

    return {
        "format": FORMAT,
        "source": {
            "paquet": PACKAGE,
            "version": VERSION,
            "millesime": MILLESIME,
            "sha256": SHA256,
            "licence": "MIT (paquet), Licence Ouverte 2.0 (données)",
        },
        "colonnes": COLUMNS,
        "regions": sorted(regions),
        "departements": sorted(departements),
        "epci": sorted(epcis),
        "communes": sorted(communes),
        "anciens_codes": sorted(anciens_codes),
    }


def build_ept(data: dict[str, list[dict]]) -> list[list[str]]:
    """One row per member commune of an EPT: [commune, its name, EPT SIREN, EPT name, département]."""
    departement_of = {
        c["code"]: c["departement"] for c in data["communes"] if c["type"] == "commune-actuelle"
    }
    rows = []
    for ept in data["ept"]:
        for membre in ept["membres"]:
            if membre["code"] not in departement_of:
                raise SystemExit(f"EPT member {membre['code']} is not a current commune")
            rows.append(
                [membre["code"], membre["nom"], ept["code"], ept["nom"], departement_of[membre["code"]]]
            )
    return sorted(rows)


def write_ept(rows: list[list[str]], output: Path) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(EPT_HEADER)
    writer.writerows(rows)
    output.write_text(buffer.getvalue(), encoding="utf-8")


def write(compact: dict, output: Path) -> None:
    payload = json.dumps(compact, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=buffer, mtime=0) as gz:
        gz.write(payload)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(buffer.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="use this tarball instead of running npm pack")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        tarball = args.tarball or npm_pack(Path(tmp))
        verify(tarball)
        data, licence = read_package(tarball)

    compact = build(data)
    write(compact, args.output)
    ept_output = args.output.parent / EPT_OUTPUT_NAME
    ept_rows = build_ept(data)
    write_ept(ept_rows, ept_output)
    (args.output.parent / "LICENSE").write_text(licence)
    counts = ", ".join(f"{kind}: {len(compact[kind])}" for kind in COLUMNS)
    print(f"{args.output.name}: {args.output.stat().st_size} octets ({counts})")
    print(f"{ept_output.name}: {len({r[2] for r in ept_rows})} EPT, {len(ept_rows)} communes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
