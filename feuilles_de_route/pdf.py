"""The feuille de route rendered to PDF in the layout of the official model (WeasyPrint).

A plain function over plain data: `render_pdf(PdfDocument) -> RenderedPdf`. The selector
`selectors.pdf_document_for` builds the data from the database; the Celery task only calls the
service that stores the result. Tests call `render_pdf` directly on a document built in the test.

The Marianne font comes from the DSFR files shipped by django-dsfr, referenced by file URL so
that WeasyPrint never fetches anything over the network.
"""

import datetime
import logging
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

CSS_FILE = Path(__file__).resolve().parent / "pdf" / "feuille_de_route.css"
MARIANNE = "dsfr/dist/fonts/Marianne-Regular.woff2"

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


def render_html(document: PdfDocument) -> str:
    return render_to_string("feuilles_de_route/pdf/document.html", {"doc": document})


def _fonts_only_fetcher(base_url: str):
    """A URL fetcher that reads the DSFR font files and nothing else (no network, no other file)."""
    from weasyprint.urls import URLFetcher

    class FontsOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(base_url) or ".." in url:
                raise ValueError(f"Ressource refusée dans le PDF : {url}")
            return super().fetch(url, headers)

    return FontsOnlyFetcher(allowed_protocols=["file"])


def render_pdf(document: PdfDocument) -> RenderedPdf:
    return render_html_pdf(render_html(document), css=CSS_FILE.read_text(encoding="utf-8"))


def render_html_pdf(html_text: str, *, css: str) -> RenderedPdf:
    """The platform's one PDF pipeline (feuilles de route, conventions de subvention): HTML and a
    print stylesheet whose fonts are the DSFR's Marianne files; nothing else is fetched."""
    # Imported here: WeasyPrint loads pango and friends, which only the rendering needs.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    base_url = _font_base_url()
    fetcher = _fonts_only_fetcher(base_url)
    # @font-face rules only apply through a FontConfiguration shared by the stylesheet and the render.
    fonts = FontConfiguration()
    stylesheet = CSS(string=css, base_url=base_url, url_fetcher=fetcher, font_config=fonts)
    html = HTML(string=html_text, base_url=base_url, url_fetcher=fetcher)
    rendered = html.render(stylesheets=[stylesheet], font_config=fonts)
    return RenderedPdf(content=rendered.write_pdf(), pages=len(rendered.pages))
