"""The feuille de route rendered to PDF in the layout of the official model (WeasyPrint).

A plain function over plain data: `render_pdf(PdfDocument) -> RenderedPdf`. The selector
`selectors.pdf_document_for` builds the data from the database; the Celery task only calls the
service that stores the result. Tests call `render_pdf` directly on a document built in the test.

It is a State document: the cover carries the bloc-marque (Marianne, « République française »,
the devise) drawn from the DSFR files django-dsfr ships, set in the Marianne font of the same
files, read from disk so that WeasyPrint never fetches anything over the network. The PDF is
tagged (PDF/UA-1) with its title, author and language.

Speed: the stylesheet and the fonts are prepared once per process (the fonts decoded once, not
on every render), and every table has a fixed layout with explicit column widths (WeasyPrint's
automatic table layout measures every cell twice and was most of the layout time). Of a long
document's render (bench/pdf.py), layout takes about half, mostly breaking the lines of the
fiches' cells through Pango, and drawing a third (one Python step per glyph); parsing, the cascade
(about 0.1 s), font subsetting (under 0.01 s), the PDF/UA tags and writing share the rest. What
made WeasyPrint do the same work again is gone: the margin boxes have widths (with `auto` their
text was measured on every page), a fiche may go on over a page break (kept whole, every fiche
that did not fit was laid out twice), and the garbage collector waits for the end of the render
(see `_collector_paused`).
"""

import atexit
import datetime
import gc
import logging
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from urllib.parse import quote

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .libelles import nom_axe, nom_fiche

CSS_FILE = Path(__file__).resolve().parent / "pdf" / "feuille_de_route.css"
MARIANNE = "dsfr/dist/fonts/Marianne-Regular.woff"
DSFR_CSS = "dsfr/dist/dsfr.min.css"
PDF_VARIANT = "pdf/ua-1"

# WeasyPrint reports each layout step, fontTools each subsetted font: noise in worker logs.
for _noisy in ("weasyprint.progress", "fontTools"):
    logging.getLogger(_noisy).setLevel(logging.WARNING)


@dataclass(frozen=True)
class PdfFiche:
    nom: str
    objectifs: str = ""
    description: str = ""
    pilote: str = ""
    partenaires: str = ""
    cibles: str = ""
    indicateurs: str = ""

    def rows(self) -> list[tuple[str, str]]:
        """The two columns of the official « exemple de fiche action »."""
        return [
            ("Nom de l'action", self.nom),
            ("Objectifs", self.objectifs),
            ("Description", self.description),
            ("Pilote", self.pilote),
            ("Partenaires impliqués", self.partenaires),
            ("Cibles", self.cibles),
            ("Indicateurs de réussite", self.indicateurs),
        ]


@dataclass(frozen=True)
class PdfAxe:
    nom: str
    description: str = ""
    fiches: list[PdfFiche] = field(default_factory=list)


@dataclass(frozen=True)
class PdfComite:
    libelle: str
    composition: str
    role: str
    frequence: str


@dataclass(frozen=True)
class PdfIndicateur:
    libelle: str
    cible_2023: int | None = None
    cible_2025: int | None = None
    cible_2027: int | None = None


@dataclass(frozen=True)
class PdfSignataire:
    organisation: str
    qualite: str = ""
    nom: str = ""
    requis: bool = False


@dataclass(frozen=True)
class PdfLigne:
    """A labelled paragraph of the annex (« Nombre de postes… » → « 2 »)."""

    libelle: str
    valeur: str


@dataclass
class PdfDocument:
    titre: str
    prefecture: str  # « Préfecture de la Nièvre »
    territoire: str  # « Département de la Nièvre », or the EPCI of an infra-départementale
    date: datetime.date
    porteur: str = ""  # « Conseil départemental de la Nièvre », or « la préfecture seule »
    perimetre: str = ""  # the territory section II's figures cover (« le département de la Nièvre »)
    auteur: str = ""  # the PDF's author metadata; the préfecture when empty
    version: int = 1
    statut: str = ""
    associes: str = ""  # who co-wrote it, for the model's introduction sentence
    specificites: str = ""
    historique: str = ""
    etapes: str = ""
    parties_prenantes: str = ""
    besoins_publics: str = ""
    offre: str = ""
    enjeux: str = ""
    positionnement: str = ""
    comites: list[PdfComite] = field(default_factory=list)
    lien_coordinateur: str = ""
    axes: list[PdfAxe] = field(default_factory=list)
    indicateurs: list[PdfIndicateur] = field(default_factory=list)
    publics_cibles: str = ""
    structures_prioritaires: str = ""
    moyens: list[PdfLigne] = field(default_factory=list)
    cofinancements: list[PdfLigne] = field(default_factory=list)
    mutualisation: str = ""
    vehicule: str = ""
    signataires: list[PdfSignataire] = field(default_factory=list)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


@cache
def _font_base_url() -> str:
    """The DSFR's font directory as a file URL (the stylesheet names the files relative to it)."""
    found = finders.find(MARIANNE)
    if not found:  # pragma: no cover - django-dsfr is a dependency
        raise RuntimeError("Police Marianne introuvable dans les fichiers statiques du DSFR.")
    return Path(found).resolve().parent.as_uri() + "/"


# --- The bloc-marque ------------------------------------------------------------------------------
# The DSFR draws it in CSS (`.fr-logo`): the Marianne is a white SVG over a blue and red band, the
# devise an SVG sprite (black and white versions). Both SVGs are taken from django-dsfr's
# stylesheet so that the cover carries the State's own drawing, not a copy of it.

_LOGO_RULE = re.compile(
    r"\.fr-logo:(before|after)\{background-image:url\(\"data:image/svg\+xml;charset=utf8,([^\"]*)\"\)"
)


@dataclass(frozen=True)
class BlocMarque:
    marianne: str  # data: URL of the Marianne over the blue-white-red band
    devise: str  # data: URL of « Liberté Égalité Fraternité »


def _data_url(svg: str) -> str:
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe="")


@cache
def bloc_marque() -> BlocMarque:
    from urllib.parse import unquote

    found = finders.find(DSFR_CSS)
    if not found:  # pragma: no cover - django-dsfr is a dependency
        raise RuntimeError("Feuille de style du DSFR introuvable.")
    svgs = {m[1]: unquote(m[2]) for m in _LOGO_RULE.finditer(Path(found).read_text(encoding="utf-8"))}
    if set(svgs) != {"before", "after"}:  # pragma: no cover - a DSFR release that draws it otherwise
        raise RuntimeError("Bloc-marque introuvable dans la feuille de style du DSFR.")
    # The Marianne's paths (44 × 18) sit 1 unit above a 44 × 16 band, half blue, half red.
    paths = svgs["before"].split(">", 1)[1].rsplit("</svg>", 1)[0]
    marianne = (
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 44 16' width='44' height='16'>"
        "<rect width='22' height='16' fill='#000091'/><rect x='22' width='22' height='16' fill='#e1000f'/>"
        f"<g transform='translate(0 -1)'>{paths}</g></svg>"
    )
    # The sprite holds the black devise in its top-left quarter: keep that one alone.
    devise = svgs["after"].replace("viewBox='0 0 252 180'", "viewBox='0 0 126 90'", 1)
    devise = re.sub(r"<use fill='#fff'[^>]*/>", "", devise)
    return BlocMarque(marianne=_data_url(marianne), devise=_data_url(devise))


# --- Rendering -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _FicheNumerotee:
    numero: str  # « 2.3 »
    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class _AxeNumerote:
    numero: int
    nom: str
    axe: PdfAxe
    fiches: list[_FicheNumerotee]


def _axes_numerotes(document: PdfDocument) -> list[_AxeNumerote]:
    """Axes and fiches with the document's numbers, and names without the writer's own numbering."""
    axes = []
    for a, axe in enumerate(document.axes, start=1):
        fiches = []
        for f, fiche in enumerate(axe.fiches, start=1):
            rows = fiche.rows()
            rows[0] = (rows[0][0], nom_fiche(fiche.nom, a, f))
            fiches.append(_FicheNumerotee(f"{a}.{f}", rows))
        axes.append(_AxeNumerote(a, nom_axe(axe.nom, a), axe, fiches))
    return axes


def render_html(document: PdfDocument) -> str:
    return render_to_string(
        "feuilles_de_route/pdf/document.html",
        {"doc": document, "axes": _axes_numerotes(document), "marque": bloc_marque()},
    )


def _fonts_only_fetcher(base_url: str):
    """A URL fetcher that reads the DSFR font files and the bloc-marque's inline SVG, and nothing
    else (no network, no other file)."""
    from weasyprint.urls import URLFetcher

    class FontsOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:image/svg+xml"):
                return super().fetch(url, headers)
            if not url.startswith(base_url) or ".." in url:
                raise ValueError(f"Ressource refusée dans le PDF : {url}")
            return super().fetch(url, headers)

    return FontsOnlyFetcher(allowed_protocols=["file", "data"])


@dataclass(frozen=True)
class Engine:
    """What every render with one stylesheet shares: the fetcher, the fonts (decoded once) and the
    parsed stylesheet."""

    base_url: str
    fetcher: object
    fonts: object
    stylesheet: object


@cache
def engine(css_file: Path = CSS_FILE) -> Engine:
    # Imported here: WeasyPrint loads pango and friends, which only the rendering needs.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    base_url = _font_base_url()
    fetcher = _fonts_only_fetcher(base_url)
    # @font-face rules only apply through a FontConfiguration shared by the stylesheet and the
    # render; kept for the process, it decodes each font file once.
    fonts = FontConfiguration()
    stylesheet = CSS(
        string=css_file.read_text(encoding="utf-8"), base_url=base_url, url_fetcher=fetcher, font_config=fonts
    )
    return Engine(base_url, fetcher, fonts, stylesheet)


# The font configuration removes its temporary files when it goes: let it go while the
# interpreter can still run its cleanup, not during the final teardown.
atexit.register(engine.cache_clear)


# Pango and the shared font configuration are not safe across threads: one render at a time per
# process (Celery's prefork workers run one task per process anyway).
_RENDER_LOCK = threading.Lock()


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while WeasyPrint works, then one collection of what
    the render made. A long document allocates hundreds of thousands of objects, enough to trigger
    a full collection that walks the whole process (Django, WeasyPrint's modules): a tenth of the
    render. The render's own cycles are all in the youngest generation, which one cheap collection
    frees at the end (meanwhile they hold a few megabytes). A caller that had paused the collector
    keeps it paused."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)


def render_html_pdf(html: str, *, css_file: Path = CSS_FILE) -> RenderedPdf:
    """The platform's one PDF pipeline (feuilles de route, conventions de subvention): HTML and a
    print stylesheet whose fonts are the DSFR's Marianne files; nothing else is fetched."""
    from weasyprint import HTML

    shared = engine(css_file)
    with _RENDER_LOCK, _collector_paused():
        rendered = HTML(string=html, base_url=shared.base_url, url_fetcher=shared.fetcher).render(
            stylesheets=[shared.stylesheet], font_config=shared.fonts, pdf_variant=PDF_VARIANT
        )
        result = RenderedPdf(content=rendered.write_pdf(pdf_variant=PDF_VARIANT), pages=len(rendered.pages))
        del rendered  # its boxes become garbage before the collection that ends the pause
    return result


def render_pdf(document: PdfDocument) -> RenderedPdf:
    return render_html_pdf(render_html(document))
