"""The convention de subvention of one bénéficiaire, as plain data, rendered to DOCX (docxtpl,
from the administrator's template or the one shipped in subventions/docx/) and to PDF (the
platform's WeasyPrint pipeline). Plain functions over plain data: the selector
`selectors.convention_for` builds the data, the Celery job stores what these return.

Every value handed to a DOCX template is already written for French readers (amounts in figures
and in words, dates, percentages), so that a template needs no filter: the keys are listed in
`TEMPLATE_KEYS` and in the README.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.text import slugify
from num2words import num2words

from core.formats import french_date, french_number

from .services.common import montant

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "docx" / "convention.docx"
CSS_FILE = Path(__file__).resolve().parent / "pdf" / "convention.css"

# Payment schedule of every convention: an advance when it is signed, the balance on the report.
ECHEANCIER = (
    (Decimal("0.5"), "Avance à la signature de la convention"),
    (Decimal("0.5"), "Solde à la remise du bilan d'exécution des actions"),
)


def montant_en_lettres(value: Decimal) -> str:
    """12345.6 → « douze mille trois cent quarante-cinq euros et soixante centimes »;
    2000000 → « deux millions d'euros »; 1 → « un euro »."""
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    euros = int(value)
    centimes = int((value - euros) * 100)
    words = num2words(euros, lang="fr")
    if euros and words.split()[-1] in {"million", "millions", "milliard", "milliards"}:
        text = f"{words} d'euros"
    else:
        text = f"{words} euro{'s' if euros > 1 else ''}"
    if centimes:
        text += f" et {num2words(centimes, lang='fr')} centime{'s' if centimes > 1 else ''}"
    return text


def pourcentage(part: Decimal, total: Decimal | None) -> str:
    """« 40 % », « 12,5 % » (narrow no-break space before the sign)."""
    if not total:
        return ""
    ratio = (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{french_number(ratio)}\u202f%"


@dataclass(frozen=True)
class ActionFinancee:
    feuille_de_route: str
    action: str
    fonds: str
    besoins: list[str]
    budget_global: Decimal | None
    subvention: Decimal  # the whole demande
    part_beneficiaire: Decimal  # what this bénéficiaire receives

    def context(self) -> dict:
        return {
            "feuille_de_route": self.feuille_de_route,
            "action": self.action,
            "fonds": self.fonds,
            "besoins": " ; ".join(self.besoins) or "—",
            "budget_global": montant(self.budget_global) if self.budget_global else "—",
            "subvention": montant(self.subvention),
            "montant": montant(self.part_beneficiaire),
            "part_budget": pourcentage(self.part_beneficiaire, self.budget_global) or "—",
        }


@dataclass(frozen=True)
class Echeance:
    libelle: str
    montant: Decimal


@dataclass
class ConventionData:
    departement_code: str
    departement_nom: str
    departement_de_nom: str  # « de la Nièvre », « du Nord », « d'Eure-et-Loir »
    prefecture: str  # « Préfecture de la Nièvre »
    prefet: str  # « le préfet de la Nièvre »
    beneficiaire_nom: str
    beneficiaire_typologie: str
    beneficiaire_identifiant: str  # SIRET, or the collectivité's INSEE / SIREN code
    representant: str  # « Camille Référent, élue en charge du numérique »
    representant_email: str
    annee: int
    date: datetime.date
    actions: list[ActionFinancee] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((a.part_beneficiaire for a in self.actions), Decimal("0"))

    @property
    def budget_total(self) -> Decimal:
        return sum((a.budget_global or Decimal("0") for a in self.actions), Decimal("0"))

    @property
    def echeancier(self) -> list[Echeance]:
        """The schedule's amounts, the balance taking the rounding so that they add up exactly."""
        rows, left = [], self.total
        for index, (share, libelle) in enumerate(ECHEANCIER):
            amount = left if index == len(ECHEANCIER) - 1 else (self.total * share).quantize(Decimal("0.01"))
            rows.append(Echeance(libelle, amount))
            left -= amount
        return rows

    def filename(self, extension: str) -> str:
        """« convention-58-conseil-departemental-nievre-2026-05-12.docx »."""
        return f"convention-{self.departement_code}-{slugify(self.beneficiaire_nom)[:80]}-{self.date.isoformat()}.{extension}"

    def context(self) -> dict:
        """What a DOCX template (and the PDF's HTML) reads: text only."""
        return {
            "departement": {
                "code": self.departement_code,
                "nom": self.departement_nom,
                "de_nom": self.departement_de_nom,
            },
            "prefecture": self.prefecture,
            "prefet": self.prefet,
            "beneficiaire": {
                "nom": self.beneficiaire_nom,
                "typologie": self.beneficiaire_typologie,
                "identifiant": self.beneficiaire_identifiant,
                "representant": self.representant,
                "email": self.representant_email,
            },
            "annee": str(self.annee),
            "date": french_date(self.date),
            "actions": [a.context() for a in self.actions],
            "montant_chiffres": montant(self.total),
            "montant_lettres": montant_en_lettres(self.total),
            "part_budget": pourcentage(self.total, self.budget_total) or "—",
            "budget_total": montant(self.budget_total) if self.budget_total else "—",
            "echeancier": [
                {
                    "libelle": e.libelle,
                    "montant": montant(e.montant),
                    "lettres": montant_en_lettres(e.montant),
                }
                for e in self.echeancier
            ],
        }


TEMPLATE_KEYS = (
    "departement.code",
    "departement.nom",
    "departement.de_nom",
    "prefecture",
    "prefet",
    "beneficiaire.nom",
    "beneficiaire.typologie",
    "beneficiaire.identifiant",
    "beneficiaire.representant",
    "beneficiaire.email",
    "annee",
    "date",
    "actions (feuille_de_route, action, fonds, besoins, budget_global, subvention, montant, part_budget)",
    "montant_chiffres",
    "montant_lettres",
    "part_budget",
    "budget_total",
    "echeancier (libelle, montant, lettres)",
)


def sample() -> ConventionData:
    """A convention with every key filled: an administrator's template is tried on it on upload."""
    return ConventionData(
        departement_code="58",
        departement_nom="Nièvre",
        departement_de_nom="de la Nièvre",
        prefecture="Préfecture de la Nièvre",
        prefet="le préfet de la Nièvre",
        beneficiaire_nom="Conseil départemental de la Nièvre",
        beneficiaire_typologie="Conseil départemental",
        beneficiaire_identifiant="58",
        representant="Camille Exemple, élue en charge du numérique",
        representant_email="camille.exemple@example.org",
        annee=2024,
        date=datetime.date(2024, 10, 1),
        actions=[
            ActionFinancee(
                "Feuille de route départementale",
                "Médiation numérique itinérante",
                "Fonds d'ingénierie",
                ["Faire un diagnostic territorial"],
                Decimal("50000"),
                Decimal("30000"),
                Decimal("20000"),
            )
        ],
    )


def render_docx(data: ConventionData, *, template: bytes | None = None) -> bytes:
    """The convention as a DOCX file, from `template` (bytes of a .docx) or the shipped one."""
    from docxtpl import DocxTemplate

    source = io.BytesIO(template) if template is not None else str(DEFAULT_TEMPLATE)
    document = DocxTemplate(source)
    document.render(data.context(), autoescape=True)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def check_template(template: bytes) -> str:
    """The French refusal of an uploaded template that cannot be filled, or ""."""
    try:
        render_docx(sample(), template=template)
    except Exception as exc:  # a broken zip, XML or Jinja syntax: all say the same to the admin
        return f"Ce modèle ne peut pas être rempli ({str(exc)[:200] or exc.__class__.__name__}) : vérifiez que c'est un document Word (.docx) et que ses balises sont fermées."
    return ""


def render_html(data: ConventionData) -> str:
    return render_to_string("subventions/pdf/convention.html", {"c": data.context()})


def render_pdf(data: ConventionData) -> bytes:
    from feuilles_de_route.pdf import render_html_pdf

    return render_html_pdf(render_html(data), css_file=CSS_FILE).content
