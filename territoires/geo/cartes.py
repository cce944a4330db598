"""Maps drawn server-side as SVG from the shipped geometry, for templates/includes/carte.html.

The geometry is read once per process (the files are a few kilobytes, already projected and
simplified at build time): a request only picks the paths and gives each shape its colour class,
its accessible name and its link. Which indicator colours the shapes, and how, is the calling
app's business: it hands `carte()` one `Valeur` per territory and an `Echelle`.

Colours are CSS classes (static/css/cartes.css): the Content-Security-Policy forbids style
attributes, and a class keeps the palette in one place.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from django.conf import settings

from .projection import Cadre

NON_RENSEIGNE = "non renseigné"


def geo_dir() -> Path:
    return Path(settings.GEO_DIR)


@lru_cache(maxsize=1)
def france() -> dict:
    with gzip.open(geo_dir() / "france.json.gz", "rt", encoding="utf-8") as f:
        return json.load(f)


@lru_cache(maxsize=128)
def communes_geometrie(code: str) -> dict | None:
    """The département's commune drawing, or None when the project ships none for it."""
    file = geo_dir() / "communes" / f"{code}.json.gz"
    if not file.is_file():
        return None
    with gzip.open(file, "rt", encoding="utf-8") as f:
        return json.load(f)


# --- Scales: how a value becomes a colour class and a legend entry ------------------------------


@dataclass(frozen=True)
class Classe:
    cle: str  # CSS modifier: « s0 »…« s4 » (sequential) or « k0 »… (categories), « na »
    libelle: str


@dataclass(frozen=True)
class Echelle:
    """Sequential thresholds (`seuils`, increasing) or named categories (`categories`)."""

    seuils: tuple[float, ...] = ()
    categories: tuple[tuple[str, str], ...] = ()  # (value, label)
    formater: Callable[[float], str] = str
    unite: str = ""
    libelles: tuple[tuple[str, str], ...] = ()  # (class, label) replacing the generated label

    def classes(self) -> list[Classe]:
        if self.categories:
            return [Classe(f"k{i}", label) for i, (_, label) in enumerate(self.categories)]
        f, s, u = self.formater, self.seuils, f" {self.unite}" if self.unite else ""
        out = [Classe("s0", f"moins de {f(s[0])}{u}")]
        out += [
            Classe(f"s{i + 1}", f"de {f(low)} à moins de {f(high)}{u}")
            for i, (low, high) in enumerate(pairwise(s))
        ]
        out.append(Classe(f"s{len(s)}", f"{f(s[-1])}{u} ou plus"))
        overrides = dict(self.libelles)
        return [Classe(c.cle, overrides.get(c.cle, c.libelle)) for c in out]

    def classe(self, valeur) -> str:
        if valeur is None:
            return "na"
        if self.categories:
            for i, (value, _) in enumerate(self.categories):
                if value == valeur:
                    return f"k{i}"
            return "na"
        return f"s{sum(1 for s in self.seuils if valeur >= s)}"


@dataclass(frozen=True)
class Valeur:
    """One territory's figure: `brute` is classified, `texte` is what the map and the table say."""

    brute: object
    texte: str


# --- What the template draws ----------------------------------------------------------------------


@dataclass(frozen=True)
class Forme:
    code: str
    nom: str
    d: str
    classe: str
    texte: str
    lien: str

    @property
    def libelle(self) -> str:
        """The accessible name (and hover title): « Nièvre (58) : 2,1 lieux pour 10 000 habitants »."""
        return f"{self.nom} ({self.code}) : {self.texte}"


@dataclass(frozen=True)
class Encart:
    code: str
    libelle: str
    x: float
    y: float
    largeur: float
    hauteur: float


@dataclass(frozen=True)
class EntreeLegende:
    classe: str
    libelle: str
    nombre: int


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    classe: str
    libelle: str


@dataclass
class Carte:
    identifiant: str
    titre: str
    largeur: int
    hauteur: int
    formes: list[Forme]
    legende: list[EntreeLegende]
    encarts: list[Encart] = field(default_factory=list)
    contour: str = ""
    points: list[Point] = field(default_factory=list)
    legende_points: list[EntreeLegende] = field(default_factory=list)
    sans_contour: list[str] = field(default_factory=list)  # names of territories not drawn

    @property
    def view_box(self) -> str:
        return f"0 0 {self.largeur} {self.hauteur}"


def _legende(echelle: Echelle, formes: Iterable[Forme]) -> list[EntreeLegende]:
    counts: dict[str, int] = {}
    for forme in formes:
        counts[forme.classe] = counts.get(forme.classe, 0) + 1
    entrees = [EntreeLegende(c.cle, c.libelle, counts.get(c.cle, 0)) for c in echelle.classes()]
    if counts.get("na"):
        entrees.append(EntreeLegende("na", NON_RENSEIGNE.capitalize(), counts["na"]))
    return entrees


def _formes(
    paths: Iterable[tuple[str, str]],
    *,
    noms: Mapping[str, str],
    valeurs: Mapping[str, Valeur],
    echelle: Echelle,
    lien: Callable[[str], str],
) -> list[Forme]:
    formes = []
    for code, d in paths:
        if code not in noms or not d:
            continue
        valeur = valeurs.get(code)
        formes.append(
            Forme(
                code=code,
                nom=noms[code],
                d=d,
                classe=echelle.classe(valeur.brute if valeur else None),
                texte=valeur.texte if valeur else NON_RENSEIGNE,
                lien=lien(code),
            )
        )
    return formes


def carte_france(
    *,
    identifiant: str,
    titre: str,
    noms: Mapping[str, str],
    valeurs: Mapping[str, Valeur],
    echelle: Echelle,
    lien: Callable[[str], str],
) -> Carte:
    """The 101 départements (those of `noms`), the DROM in their insets."""
    geo = france()
    formes = _formes(geo["departements"], noms=noms, valeurs=valeurs, echelle=echelle, lien=lien)
    return Carte(
        identifiant=identifiant,
        titre=titre,
        largeur=geo["largeur"],
        hauteur=geo["hauteur"],
        formes=formes,
        legende=_legende(echelle, formes),
        encarts=[
            Encart(c["code"], c["libelle"], c["x"], c["y"], c["largeur"], c["hauteur"])
            for c in geo["cadres"]
            if c["code"] != "metro"
        ],
    )


@dataclass(frozen=True)
class Lieu:
    """A point to put on a commune map: WGS 84 coordinates and its colour class."""

    longitude: float
    latitude: float
    classe: str
    libelle: str


def carte_communes(
    *,
    identifiant: str,
    titre: str,
    departement: str,
    noms: Mapping[str, str],
    valeurs: Mapping[str, Valeur],
    echelle: Echelle,
    lien: Callable[[str], str],
    lieux: Iterable[Lieu] = (),
    legende_points: list[EntreeLegende] | None = None,
) -> Carte | None:
    """Today's communes of a département (`noms`: code → name), with the lieux on top.

    None when no geometry is shipped for the département. Communes of `noms` without an outline
    (created after 2016, or missing at the source) are listed in `sans_contour`; lieux whose
    coordinates fall outside the drawing (a geocoding error) are left off the map.
    """
    geo = communes_geometrie(departement)
    if geo is None:
        return None
    formes = _formes(geo["communes"], noms=noms, valeurs=valeurs, echelle=echelle, lien=lien)
    drawn = {f.code for f in formes}
    cadre = Cadre(**geo["cadre"])
    largeur, hauteur = geo["largeur"], geo["hauteur"]
    points = []
    for lieu in lieux:
        x, y = cadre.point(lieu.longitude, lieu.latitude)
        if 0 <= x <= largeur and 0 <= y <= hauteur:
            points.append(Point(round(x, 1), round(y, 1), lieu.classe, lieu.libelle))
    return Carte(
        identifiant=identifiant,
        titre=titre,
        largeur=largeur,
        hauteur=hauteur,
        formes=formes,
        legende=_legende(echelle, formes),
        contour=geo["contour"],
        points=points,
        legende_points=legende_points or [],
        sans_contour=sorted(nom for code, nom in noms.items() if code not in drawn),
    )
