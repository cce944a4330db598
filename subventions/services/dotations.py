"""Dotations: what each fund gives a département for a campaign year, and what is left of it.

The CSV import (`import_dotations`) reads `code_departement;montant` lines with French decimals
through `parse_dotations`, a pure function that yields typed rows and errors with line numbers;
`dotations_import` writes them idempotently (a second run with the same file changes nothing).
"""

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum

from comptes import perms
from territoires.models import Departement

from ..enums import Fonds, StatutDemande
from ..models import Demande, Dotation
from .common import montant


def engage(dotation: Dotation, *, sauf: Demande | None = None) -> Decimal:
    """Σ subventions demandées on the dotation by demandes that are not rejected."""
    demandes = Demande.objects.filter(dotation=dotation).exclude(statut=StatutDemande.REJETEE)
    if sauf is not None and sauf.pk:
        demandes = demandes.exclude(pk=sauf.pk)
    return demandes.aggregate(total=Sum("subvention_demandee"))["total"] or Decimal("0")


def restante(dotation: Dotation, *, sauf: Demande | None = None) -> Decimal:
    """Dotation restante: never negative, even if an administrator lowered the dotation."""
    return max(dotation.montant - engage(dotation, sauf=sauf), Decimal("0"))


def dotation_courante(*, departement: Departement, fonds: str) -> Dotation | None:
    """The dotation of the latest campaign year of this fund for the département."""
    return Dotation.objects.filter(departement=departement, fonds=fonds).order_by("-annee").first()


def depassement(dotation: Dotation, *, demande: Demande | None, subvention: Decimal) -> str:
    """The French refusal when `subvention` exceeds what is left of the dotation ("" when it fits).
    Call with the dotation row locked, so that two demandes cannot both take the last euros."""
    reste = restante(dotation, sauf=demande)
    if subvention <= reste:
        return ""
    return (
        f"La subvention demandée ({montant(subvention)}) dépasse la dotation restante : il reste "
        f"{montant(reste)} sur la dotation « {Fonds(dotation.fonds).label} » {dotation.annee} du département."
    )


# --- CSV import -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LigneDotation:
    numero: int
    code_departement: str
    montant: Decimal


@dataclass
class Lecture:
    lignes: list[LigneDotation] = field(default_factory=list)
    erreurs: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


def parse_montant(text: str) -> Decimal:
    """« 49 500,50 », « 49500.5 », « 49 500 € » → Decimal; ValueError with a French reason."""
    cleaned = (text or "").replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace("€", "")
    cleaned = cleaned.replace(",", ".")
    if not cleaned:
        raise ValueError("montant absent")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"montant illisible « {text.strip()} »") from None
    if not value.is_finite():
        raise ValueError(f"montant illisible « {text.strip()} »")
    if value < 0:
        raise ValueError("montant négatif")
    if value.as_tuple().exponent < -2:
        raise ValueError("plus de deux décimales")
    if value >= Decimal("1e10"):
        raise ValueError("montant trop élevé")
    return value.quantize(Decimal("0.01"))


def parse_dotations(text: str, *, codes_connus: set[str]) -> Lecture:
    """Lines `code_departement;montant`; a header line (first cell not a code) is skipped."""
    lecture = Lecture()
    vus: dict[str, int] = {}
    for numero, row in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"), start=1):
        if not row or all(not cell.strip() for cell in row):
            continue
        if numero == 1 and row[0].strip().lower().startswith("code"):
            continue
        if len(row) < 2:
            lecture.erreurs.append((numero, "deux colonnes attendues (code_departement;montant)"))
            continue
        code = row[0].strip().upper()
        if len(code) == 1 and code.isdigit():
            code = f"0{code}"  # « 1 » from a spreadsheet that dropped the leading zero
        if code not in codes_connus:
            lecture.erreurs.append((numero, f"département inconnu « {row[0].strip()} »"))
            continue
        try:
            value = parse_montant(row[1])
        except ValueError as exc:
            lecture.erreurs.append((numero, str(exc)))
            continue
        if code in vus:
            lecture.erreurs.append((numero, f"département {code} déjà présent ligne {vus[code]}"))
            continue
        vus[code] = numero
        lecture.lignes.append(LigneDotation(numero, code, value))
    return lecture


@dataclass
class Bilan:
    creees: int = 0
    modifiees: int = 0
    inchangees: int = 0
    rejetees: list[tuple[int, str]] = field(default_factory=list)


@transaction.atomic
def dotations_import(*, lignes: list[LigneDotation], fonds: str, annee: int, source: str, user=None) -> Bilan:
    """Create or update one dotation per line. A line that would put a dotation below what its
    demandes already ask is rejected (with the amount engaged), not written."""
    fonds = Fonds(fonds)
    bilan = Bilan()
    existing = {
        d.departement_id: d for d in Dotation.objects.select_for_update().filter(fonds=fonds, annee=annee)
    }
    for ligne in lignes:
        dotation = existing.get(ligne.code_departement)
        if dotation is None:
            dotation = Dotation(
                departement_id=ligne.code_departement, fonds=fonds, annee=annee, source=source
            )
            dotation.montant = ligne.montant
            dotation._history_user = user
            dotation.save()
            bilan.creees += 1
            continue
        if dotation.montant == ligne.montant and (not source or dotation.source == source):
            bilan.inchangees += 1
            continue
        deja = engage(dotation)
        if ligne.montant < deja:
            bilan.rejetees.append(
                (
                    ligne.numero,
                    f"les demandes du département {ligne.code_departement} engagent déjà {montant(deja)}",
                )
            )
            continue
        dotation.montant = ligne.montant
        dotation.source = source or dotation.source
        dotation._history_user = user
        dotation.save()
        bilan.modifiees += 1
    return bilan


@transaction.atomic
def dotation_save(*, dotation: Dotation, montant_nouveau: Decimal, source: str, user) -> Dotation:
    """An administrator's edit of one dotation (the admin page goes through here)."""
    if not perms.can_write_national(user):
        raise PermissionDenied(perms.READ_ONLY_NATIONAL)
    locked = Dotation.objects.select_for_update().get(pk=dotation.pk) if dotation.pk else dotation
    deja = engage(locked) if locked.pk else Decimal("0")
    if montant_nouveau < deja:
        raise ValidationError(
            {
                "montant": f"Les demandes non rejetées engagent déjà {montant(deja)} : la dotation ne peut pas être inférieure."
            }
        )
    locked.montant = montant_nouveau
    locked.source = source
    locked._history_user = user
    locked.full_clean()
    locked.save()
    return locked
