"""The PDF service called directly, without Celery: what a préfecture would sign, read back with pdftotext."""

import datetime
import subprocess

import pytest

from feuilles_de_route.enums import Indicateur
from feuilles_de_route.pdf import (
    PdfAxe,
    PdfComite,
    PdfDocument,
    PdfFiche,
    PdfIndicateur,
    PdfLigne,
    PdfSignataire,
    render_pdf,
)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "document.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout


def a_document(*, axes=3, fiches=2) -> PdfDocument:
    return PdfDocument(
        titre="Feuille de route départementale de la Nièvre",
        prefecture="Préfecture de la Nièvre",
        territoire="Département de la Nièvre",
        porteur="le Conseil départemental de la Nièvre",
        date=datetime.date(2024, 6, 14),
        statut="Approuvée",
        specificites="Un département rural de 200 000 habitants.",
        etapes="Trois ateliers de co-construction.",
        besoins_publics="Les personnes âgées isolées.",
        comites=[
            PdfComite("Comité stratégique", "Préfet, président du Département", "Arbitrer", "Semestrielle")
        ],
        axes=[
            PdfAxe(
                nom=f"Axe prioritaire numéro {a}",
                description="Pourquoi cet axe.",
                fiches=[
                    PdfFiche(
                        nom=f"Action {a}-{f} : bus numérique", objectifs="Aller vers", pilote="Département"
                    )
                    for f in range(1, fiches + 1)
                ],
            )
            for a in range(1, axes + 1)
        ],
        indicateurs=[
            PdfIndicateur(label, 10 * i, 20 * i, 12500 if i == 1 else None)
            for i, label in enumerate(Indicateur.labels, start=1)
        ],
        moyens=[PdfLigne("Nombre de postes de coordinateurs sollicités", "2")],
        cofinancements=[PdfLigne("Financements européens", "FEDER : 120 000 €")],
        signataires=[
            PdfSignataire("État", "Le préfet de la Nièvre", requis=True),
            PdfSignataire("Conseil départemental de la Nièvre", "Le président", requis=True),
            PdfSignataire("CAF de la Nièvre", "La directrice"),
        ],
    )


@pytest.fixture(scope="module")
def rendered():
    return render_pdf(a_document())


def test_the_pdf_has_the_cover_the_sections_the_fiches_and_the_indicators(rendered, tmp_path):
    assert rendered.content.startswith(b"%PDF-")
    text = pdf_text(rendered.content, tmp_path)
    flat = " ".join(text.split())

    # Cover
    assert "RÉPUBLIQUE" in text
    assert "Préfecture de la Nièvre" in flat
    assert "Feuille de route départementale de la Nièvre" in flat
    assert "14 juin 2024" in flat
    # Sections of the official model, in order
    titles = [
        "Introduction",
        "I. Méthode d’élaboration de la feuille de route",
        "II. Synthèse du diagnostic territorial",
        "III. Ambition et positionnement du territoire sur l’inclusion numérique",
        "IV. Priorités d’action",
        "V. Signataires de la feuille de route",
    ]
    positions = [flat.index(title) for title in titles]
    assert positions == sorted(positions)
    # Every fiche action, as a two-column table with the model's row labels
    for a in range(1, 4):
        for f in range(1, 3):
            assert f"Action {a}-{f} : bus numérique" in flat
    for label in ("Objectifs", "Pilote", "Partenaires impliqués", "Cibles", "Indicateurs de réussite"):
        assert label in flat
    # The twelve indicators with their targets
    for label in Indicateur.labels:
        assert label in flat
    assert "12\u202f500" in text or "12 500" in flat
    # Comités, signatories, page numbers
    assert "Comité stratégique" in flat
    assert "Le préfet de la Nièvre" in flat
    assert "CAF de la Nièvre" in flat
    assert f"Page 2 sur {rendered.pages}" in flat


def test_the_pdf_uses_the_marianne_font(rendered, tmp_path):
    fonts = pdf_fonts(rendered.content, tmp_path)
    assert "Marianne" in fonts
    assert "DejaVu" not in fonts


def test_user_text_is_escaped_and_never_fetches_a_resource(tmp_path):
    doc = a_document(axes=1, fiches=1)
    doc.specificites = '<img src="file:///etc/passwd"> <b>gras</b>'
    text = " ".join(pdf_text(render_pdf(doc).content, tmp_path).split())
    assert '<img src="file:///etc/passwd">' in text
    assert "<b>gras</b>" in text


def test_empty_answers_read_non_renseigne(tmp_path):
    doc = PdfDocument(
        titre="Vide",
        prefecture="Préfecture de la Nièvre",
        territoire="Nièvre",
        date=datetime.date(2024, 1, 1),
    )
    text = pdf_text(render_pdf(doc).content, tmp_path)
    assert "Non renseigné." in text
    assert "Aucun axe prioritaire" in text


def test_the_pdf_is_tagged_with_title_author_and_language(rendered):
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(rendered.content))
    assert reader.metadata.title == (
        "Feuille de route France Numérique Ensemble — Feuille de route départementale de la Nièvre"
    )
    assert reader.metadata.author == "Préfecture de la Nièvre"
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "fr"
    assert bool(catalog["/MarkInfo"]["/Marked"])  # tagged: a structure tree for screen readers
    assert "/StructTreeRoot" in catalog
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()  # PDF/UA-1 declared


def test_the_cover_carries_the_bloc_marque_drawn_from_the_dsfr(rendered, tmp_path):
    from feuilles_de_route.pdf import bloc_marque

    marque = bloc_marque()
    assert marque.marianne.startswith("data:image/svg+xml")
    assert "%23000091" in marque.marianne
    assert "%23e1000f" in marque.marianne
    path = tmp_path / "cover.pdf"
    path.write_bytes(rendered.content)
    images = subprocess.run(
        ["pdfimages", "-f", "1", "-l", "1", "-list", str(path)], check=True, capture_output=True, text=True
    ).stdout
    # The Marianne and the devise are vector drawings (SVG), not raster images; the cover text
    # carries « RÉPUBLIQUE FRANÇAISE » above the préfecture.
    assert "image" not in images.split("\n", 2)[-1]
    cover = pdf_text(rendered.content, tmp_path).split("\f")[0]
    assert cover.index("RÉPUBLIQUE") < cover.index("FRANÇAISE") < cover.index("Préfecture de la Nièvre")


def test_axes_and_fiches_are_numbered_once(tmp_path):
    doc = a_document(axes=2, fiches=1)
    doc.axes[0] = PdfAxe(
        nom="Axe 1 – Aller vers les publics",
        fiches=[PdfFiche(nom="Fiche action 1.1 : Bus numérique")],
    )
    doc.axes[1] = PdfAxe(nom="2. Former les aidants", fiches=[PdfFiche(nom="2027 : zéro commune sans lieu")])
    flat = " ".join(pdf_text(render_pdf(doc).content, tmp_path).split())
    assert "AXE 1 – ALLER VERS LES PUBLICS" in flat
    assert "AXE 1 – AXE 1" not in flat
    assert "AXE 2 – FORMER LES AIDANTS" in flat
    assert "Bus numérique" in flat
    assert "Fiche action 1.1 : Bus" not in flat
    assert "2027 : zéro commune sans lieu" in flat  # a year is not a numbering


def test_section_ii_names_the_territory_its_figures_cover(tmp_path):
    doc = a_document(axes=1, fiches=1)
    doc.perimetre = "les communes de la CA de Nevers situées dans le département de la Nièvre"
    flat = " ".join(pdf_text(render_pdf(doc).content, tmp_path).split())
    assert (
        "Territoire couvert par la feuille de route : les communes de la CA de Nevers situées dans "
        "le département de la Nièvre." in flat
    )


def long_fiches_document() -> PdfDocument:
    long = " ".join(["Les habitants éloignés du numérique sont accompagnés au plus près de chez eux."] * 8)
    doc = a_document(axes=1, fiches=0)
    doc.axes = [
        PdfAxe(
            nom="Aller vers les publics",
            fiches=[
                PdfFiche(
                    nom=f"Bus numérique {f}",
                    objectifs=f"Objectif de la fiche {f}. {long}",
                    description=long,
                    pilote="Département",
                )
                for f in range(1, 7)
            ],
        )
    ]
    return doc


def test_a_long_fiche_goes_on_over_the_next_page_between_two_rows(tmp_path):
    rendered = render_pdf(long_fiches_document())
    pages = [" ".join(page.split()) for page in pdf_text(rendered.content, tmp_path).split("\f")]
    # Six fiches of two long rows each (about two thirds of a page): a fiche that does not fit
    # the end of a page begins there and goes on over the next one, between two rows, instead of
    # leaving the end of the page empty.
    assert any(page.startswith("Feuille de route départementale de la Nièvre Description") for page in pages)
    for f in range(1, 7):
        (title_page,) = [page for page in pages if f"Bus numérique {f}" in page]
        assert f"Objectif de la fiche {f}." in title_page


def test_a_fiche_title_row_is_never_alone_at_the_bottom_of_a_page(tmp_path):
    phrase = "Les habitants éloignés du numérique sont accompagnés au plus près de chez eux."
    doc = a_document(axes=1, fiches=0)
    # The first fiche ends low enough on its page for the second one's title row to fit below
    # it, but not its long « Objectifs » row.
    doc.axes = [
        PdfAxe(
            nom="Aller vers les publics",
            fiches=[
                PdfFiche(nom="Bus numérique 1", objectifs="Court.", description=" ".join([phrase] * 16)),
                PdfFiche(
                    nom="Bus numérique 2", objectifs="Objectif de la fiche 2. " + " ".join([phrase] * 8)
                ),
            ],
        )
    ]
    pages = [" ".join(page.split()) for page in pdf_text(render_pdf(doc).content, tmp_path).split("\f")]
    (first_page,) = [page for page in pages if "Bus numérique 1" in page]
    (title_page,) = [page for page in pages if "Bus numérique 2" in page]
    assert title_page != first_page  # the title row went over with the next row
    assert "Objectif de la fiche 2." in title_page


def test_every_page_after_the_cover_has_its_running_head_footer_and_number(tmp_path):
    rendered = render_pdf(long_fiches_document())
    pages = pdf_text(rendered.content, tmp_path).split("\f")[: rendered.pages]
    assert "Page 1 sur" not in pages[0]  # the cover has no margin text
    assert "France Numérique Ensemble" not in pages[0].replace(
        "Feuille de route France Numérique Ensemble", ""
    )
    for number, page in enumerate(pages[1:], start=2):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "Feuille de route départementale de la Nièvre"
        assert "France Numérique Ensemble" in lines
        assert lines[-1] == f"Page {number} sur {rendered.pages}"


def test_the_render_pauses_the_garbage_collector_and_gives_it_back_as_it_was(monkeypatch):
    import gc

    import weasyprint

    from feuilles_de_route.pdf import render_html_pdf

    seen = []
    original = weasyprint.HTML.render

    def render(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", render)
    assert render_html_pdf("<p>Bonjour</p>").pages == 1
    assert seen == [False]
    assert gc.isenabled()

    gc.disable()
    try:
        render_html_pdf("<p>Bonjour</p>")
        assert not gc.isenabled()  # a caller that paused it keeps it paused
    finally:
        gc.enable()

    def failing(self, *args, **kwargs):
        raise RuntimeError("panne de rendu")

    monkeypatch.setattr(weasyprint.HTML, "render", failing)
    with pytest.raises(RuntimeError):
        render_html_pdf("<p>Bonjour</p>")
    assert gc.isenabled()
