"""Horizontal bar charts drawn server-side in SVG (templates/includes/graphique.html).

The view hands the figures; this module places the bars (coordinates in SVG units) so that the
template only writes them out. Each chart is an image named by its title, followed by the table
of the same figures: what the bars say can always be read as text. Colours are CSS classes
(static/css/cartes.css): the Content-Security-Policy forbids style attributes.

Why not the State's chart web components (@gouvfr/dsfr-chart, version 2.0.4 read): they are Vue
custom elements that draw on a canvas (Chart.js) from data given as JSON in HTML attributes and
insert `<style>` elements into their shadow root at run time, which the `style-src 'self'`
policy blocks; they also show nothing without JavaScript. An SVG written by the server needs
neither, prints, and is tested like any other HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from .formats import french_number

WIDTH = 640
LABEL_HEIGHT = 18  # the category's label sits above its bars, so a long label never gets cut
BAR_HEIGHT = 16
BAR_GAP = 4
ROW_GAP = 14
VALUE_SPACE = 110  # room kept right of the longest bar for its figure
MAX_SERIES = 4


@dataclass(frozen=True)
class Barre:
    serie: int
    valeur: float
    texte: str
    x: float
    y: float
    largeur: float
    hauteur: float

    @property
    def texte_x(self) -> float:
        return round(self.x + self.largeur + 6, 1)

    @property
    def texte_y(self) -> float:
        return round(self.y + self.hauteur - 3, 1)


@dataclass(frozen=True)
class Categorie:
    libelle: str
    valeurs: tuple[float, ...]
    textes: tuple[str, ...]
    libelle_y: float
    barres: tuple[Barre, ...]


@dataclass
class Graphique:
    identifiant: str
    titre: str
    series: list[str]
    categories: list[Categorie]
    largeur: int = WIDTH
    hauteur: int = 0
    entete: str = ""  # header of the table's first column
    grille: list[tuple[float, str]] = field(default_factory=list)  # (x, label) of the scale's ticks

    @property
    def view_box(self) -> str:
        return f"0 0 {self.largeur} {self.hauteur}"

    @property
    def vide(self) -> bool:
        return not self.categories


def _ticks(maximum: float) -> list[float]:
    """Three or four round ticks from 0 to at least `maximum`."""
    if maximum <= 0:
        return [0]
    step = 1.0
    while maximum / step > 4:
        for factor in (2, 2.5, 2):
            step *= factor
            if maximum / step <= 4:
                break
    ticks = [0.0]
    while ticks[-1] < maximum:
        ticks.append(ticks[-1] + step)
    return ticks


def graphique_barres(
    *,
    identifiant: str,
    titre: str,
    categories: Sequence[tuple[str, Sequence[float | None]]],
    series: Sequence[str] = ("",),
    entete: str = "",
    maximum: float | None = None,
    formater: Callable[[float], str] = french_number,
) -> Graphique:
    """`categories`: (label, one value per series). `maximum` fixes the scale (e.g. the number of
    départements for a share of them); otherwise the largest value, rounded up to a tick."""
    if not 1 <= len(series) <= MAX_SERIES:
        raise ValueError(f"between 1 and {MAX_SERIES} series")
    values = [v or 0 for _, vs in categories for v in vs]
    top = maximum if maximum is not None else max(values, default=0)
    ticks = _ticks(top) if maximum is None else [0, maximum / 2, maximum]
    scale_max = ticks[-1] or 1
    bar_space = WIDTH - VALUE_SPACE
    y = 24.0  # room for the scale's labels
    out = []
    for libelle, valeurs in categories:
        libelle_y = y + LABEL_HEIGHT - 5
        y += LABEL_HEIGHT
        barres = []
        for i, valeur in enumerate(valeurs):
            v = valeur or 0
            texte = formater(valeur) if valeur is not None else "—"
            barres.append(Barre(i, v, texte, 0, round(y, 1), round(bar_space * v / scale_max, 1), BAR_HEIGHT))
            y += BAR_HEIGHT + BAR_GAP
        y += ROW_GAP - BAR_GAP
        out.append(
            Categorie(
                libelle,
                tuple(b.valeur for b in barres),
                tuple(b.texte for b in barres),
                libelle_y,
                tuple(barres),
            )
        )
    return Graphique(
        identifiant=identifiant,
        titre=titre,
        series=list(series),
        categories=out,
        hauteur=round(y),
        entete=entete,
        grille=[(round(bar_space * t / scale_max, 1), formater(t)) for t in ticks],
    )
