"""Builds subventions/docx/convention.docx, the convention de subvention template shipped with the
platform (docxtpl tags; an administrator may upload another one with the same keys).

    .venv/bin/python scripts/build_convention_template.py

The file is committed; run this again after changing the text below.
"""

from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

OUT = Path(__file__).resolve().parent.parent / "subventions" / "docx" / "convention.docx"


def main() -> None:
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Marianne"
    style.font.size = Pt(10)

    entete = doc.add_paragraph()
    entete.add_run("RÉPUBLIQUE FRANÇAISE").bold = True
    entete.add_run("\nLiberté, Égalité, Fraternité\n{{ prefecture }}")

    titre = doc.add_heading("Convention de subvention", level=0)
    titre.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sous_titre = doc.add_paragraph("France Numérique Ensemble — campagne {{ annee }}")
    sous_titre.alignment = WD_ALIGN_PARAGRAPH.CENTER

    doc.add_heading("Entre les parties", level=1)
    doc.add_paragraph(
        "L'État, représenté par {{ prefet }}, pour le compte de l'Agence nationale de la cohésion "
        "des territoires (ANCT), ci-après « l'administration »,"
    )
    doc.add_paragraph("et")
    doc.add_paragraph(
        "{{ beneficiaire.nom }} ({{ beneficiaire.typologie }}, identifiant {{ beneficiaire.identifiant }}), "
        "représenté par {{ beneficiaire.representant }} ({{ beneficiaire.email }}), ci-après « le bénéficiaire »."
    )

    doc.add_heading("Article 1 — Objet", level=1)
    doc.add_paragraph(
        "La présente convention fixe les conditions dans lesquelles l'administration soutient les actions "
        "suivantes des feuilles de route France Numérique Ensemble du département {{ departement.de_nom }} "
        "({{ departement.code }}), portées par le bénéficiaire :"
    )
    table = doc.add_table(rows=3, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells,
        [
            "Feuille de route",
            "Action",
            "Besoins auxquels elle répond",
            "Budget global",
            "Montant attribué",
            "Part du budget",
        ],
        strict=True,
    ):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    table.rows[1].cells[0].text = "{%tr for a in actions %}"
    for cell, text in zip(
        table.rows[2].cells,
        [
            "{{ a.feuille_de_route }}",
            "{{ a.action }} ({{ a.fonds }})",
            "{{ a.besoins }}",
            "{{ a.budget_global }}",
            "{{ a.montant }}",
            "{{ a.part_budget }}",
        ],
        strict=True,
    ):
        cell.text = text
    fin = table.add_row()
    fin.cells[0].text = "{%tr endfor %}"

    doc.add_heading("Article 2 — Montant de la subvention", level=1)
    doc.add_paragraph(
        "L'administration attribue au bénéficiaire une subvention de {{ montant_chiffres }} "
        "({{ montant_lettres }}), soit {{ part_budget }} du budget global des actions financées "
        "({{ budget_total }})."
    )

    doc.add_heading("Article 3 — Échéancier de versement", level=1)
    doc.add_paragraph("{%p for e in echeancier %}")
    doc.add_paragraph("{{ e.libelle }} : {{ e.montant }} ({{ e.lettres }}).", style="List Bullet")
    doc.add_paragraph("{%p endfor %}")

    doc.add_heading("Article 4 — Engagements du bénéficiaire", level=1)
    doc.add_paragraph(
        "Le bénéficiaire s'engage à mettre en œuvre les actions décrites à l'article 1, à informer "
        "l'administration de toute modification, et à lui remettre un bilan d'exécution dans les douze mois "
        "suivant la signature. Les sommes non employées conformément à leur objet sont reversées."
    )

    doc.add_heading("Signatures", level=1)
    doc.add_paragraph("Fait le {{ date }}, en deux exemplaires.")
    signatures = doc.add_table(rows=2, cols=2)
    signatures.rows[0].cells[0].text = "Pour l'État,\n{{ prefet }}"
    signatures.rows[0].cells[1].text = "Pour le bénéficiaire,\n{{ beneficiaire.representant }}"
    signatures.rows[1].cells[0].text = "\n\n\nSignature"
    signatures.rows[1].cells[1].text = "\n\n\nSignature"

    OUT.parent.mkdir(parents=True, exist_ok=True)
    doc.save(OUT)
    print(f"{OUT} écrit.")


if __name__ == "__main__":
    main()
