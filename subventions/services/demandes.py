"""Writes on demandes de subvention and the note de contexte des subventions.

Every rule is checked before anything is written, and refused with a French message keyed by the
form field it concerns (ValidationError with an error dict); a save from a stale page raises
core.versioning.StaleVersion. The dotation row is locked while a demande is saved or validated, so
that two demandes cannot both take what is left of it.

Workflow: brouillon → validée et envoyée (the préfecture; read-only from then) → acceptée,
modification demandée (back to brouillon, the préfecture is told by e-mail) or rejetée (ANCT).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from besoins.enums import Item
from comptes import perms
from core.versioning import check_version, lock_current
from feuilles_de_route import services as feuilles_services
from feuilles_de_route.models import Axe, FeuilleDeRoute, FicheAction
from feuilles_de_route.selectors import current_document
from gouvernances.models import Gouvernance, Membre
from gouvernances.services import sanitize_note

from ..enums import Fonds, Instruction, StatutDemande
from ..models import CONTEXTE_MAX, Beneficiaire, BesoinVise, Demande, Dotation, NoteSubventions
from .common import check_can_write, montant, plain_text
from .dotations import depassement, dotation_courante

NOTE_MIN = 100
BUDGET_MAX_OCTETS = 40 * 1024 * 1024
DESCRIPTION_MAX = 20_000
FIGEE = "Cette demande est validée et envoyée : elle ne peut plus être modifiée."


# --- The note de contexte des subventions ---------------------------------------------------------


def note_errors(texte: str) -> list[str]:
    longueur = len(plain_text(texte))
    if longueur < NOTE_MIN:
        return [
            f"La note de contexte des subventions compte au moins {NOTE_MIN} caractères de texte "
            f"(mise en forme non comprise) ; la vôtre en compte {longueur}."
        ]
    return []


@transaction.atomic
def note_save(*, gouvernance: Gouvernance, version: int, texte: str, user) -> NoteSubventions:
    check_can_write(user=user, departement=gouvernance.departement)
    cleaned = sanitize_note(texte)
    errors = note_errors(cleaned)
    if errors:
        raise ValidationError({"texte": errors})
    # The row is created at version 0 before the first save, which is what an empty page read.
    NoteSubventions.objects.get_or_create(gouvernance=gouvernance, defaults={"texte": ""})
    note = lock_current(
        NoteSubventions.objects.all(),
        version=version,
        label="la note de contexte des subventions",
        gouvernance=gouvernance,
    )
    note.texte = cleaned
    note.touch(user=user)
    note._history_user = user
    note.save()
    return note


# --- A demande of the ingénierie fund ------------------------------------------------------------


@dataclass(frozen=True)
class NouvelleAction:
    """An action typed on the demande's page: it becomes a fiche action of the chosen axe."""

    axe_id: int | None
    nom: str


@dataclass(frozen=True)
class DemandeInput:
    feuille_id: int | None = None
    fiche_id: int | None = None
    nouvelle_action: NouvelleAction | None = None
    besoins: Sequence[str] = ()
    contexte: str = ""
    description: str = ""
    budget_global: Decimal | None = None
    subvention_demandee: Decimal | None = None
    montant_rh: Decimal | None = None
    montant_prestations: Decimal | None = None
    beneficiaires: Sequence[tuple[int, Decimal | None]] = field(default_factory=tuple)


class _Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)


def check_budget_file(fichier) -> str:
    """The budget prévisionnel is a PDF, a JPEG or a PNG of at most 40 Mo, by content (not by
    name). Returns the French refusal, or ""."""
    if fichier.size > BUDGET_MAX_OCTETS:
        return "Le fichier dépasse 40 Mo : déposez une version plus légère du budget prévisionnel."
    fichier.seek(0)
    head = fichier.read(16)
    fichier.seek(0)
    if head.startswith(b"%PDF-"):
        fichier.seek(max(fichier.size - 2048, 0))
        tail = fichier.read()
        fichier.seek(0)
        if b"%%EOF" not in tail:
            return "Ce PDF est incomplet ou endommagé : déposez de nouveau le budget prévisionnel."
        return ""
    if head.startswith(b"\xff\xd8\xff") or head.startswith(b"\x89PNG\r\n\x1a\n"):
        from PIL import Image, UnidentifiedImageError

        try:
            with Image.open(fichier) as image:
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            return "Cette image est illisible ou endommagée : déposez de nouveau le budget prévisionnel."
        finally:
            fichier.seek(0)
        return ""
    return "Le budget prévisionnel doit être un fichier PDF, JPEG ou PNG."


def _fiche_of(feuille: FeuilleDeRoute, fiche_id: int) -> FicheAction | None:
    return (
        FicheAction.objects.select_related("axe__document")
        .filter(pk=fiche_id, axe__document__feuille_de_route=feuille)
        .first()
    )


def _axe_for_new_action(feuille: FeuilleDeRoute, axe_id: int | None, errors: _Errors) -> Axe | None:
    document = current_document(feuille)
    if document is None:
        errors.add(
            "nouvelle_action_axe",
            "La rédaction de cette feuille de route n'a pas commencé : ouvrez son document et "
            "ajoutez-y un axe avant d'y créer une action.",
        )
        return None
    if document.est_fige:
        errors.add(
            "nouvelle_action_axe",
            "La version en cours de cette feuille de route est approuvée : ouvrez-en une nouvelle "
            "version pour y ajouter une action, ou choisissez une action existante.",
        )
        return None
    if axe_id is None:
        errors.add("nouvelle_action_axe", "Choisissez l'axe prioritaire auquel rattacher la nouvelle action.")
        return None
    axe = Axe.objects.filter(pk=axe_id, document=document).first()
    if axe is None:
        errors.add(
            "nouvelle_action_axe", "Cet axe n'appartient pas à la version en cours de la feuille de route."
        )
    return axe


def _check_montants(data: DemandeInput, errors: _Errors) -> None:
    budget, subvention = data.budget_global, data.subvention_demandee
    if budget is None:
        errors.add("budget_global", "Indiquez le budget global de l'action.")
    elif budget <= 0:
        errors.add("budget_global", "Le budget global doit être supérieur à 0 €.")
    if subvention is None:
        errors.add("subvention_demandee", "Indiquez la subvention demandée.")
        return
    if subvention <= 0:
        errors.add("subvention_demandee", "La subvention demandée doit être supérieure à 0 €.")
        return
    if budget is not None and budget > 0 and subvention > budget:
        errors.add(
            "subvention_demandee",
            f"La subvention demandée ({montant(subvention)}) ne peut pas dépasser le budget global "
            f"({montant(budget)}).",
        )
    rh, prestations = data.montant_rh, data.montant_prestations
    for key, value in (("montant_rh", rh), ("montant_prestations", prestations)):
        if value is None:
            errors.add(key, "Indiquez ce montant (0 s'il n'y en a pas).")
        elif value < 0:
            errors.add(key, "Ce montant ne peut pas être négatif.")
    if (
        rh is not None
        and prestations is not None
        and rh >= 0
        and prestations >= 0
        and rh + prestations != subvention
    ):
        errors.add(
            "montant_prestations",
            f"Ressources humaines et prestations ({montant(rh)} + {montant(prestations)} = "
            f"{montant(rh + prestations)}) doivent faire la subvention demandée ({montant(subvention)}).",
        )


def _check_beneficiaires(
    gouvernance: Gouvernance, lignes: Sequence[tuple[int, Decimal | None]], subvention, errors: _Errors
) -> dict[int, Membre]:
    if not lignes:
        errors.add(
            "beneficiaires", "Choisissez au moins un bénéficiaire parmi les membres de la gouvernance."
        )
        return {}
    membres = {m.pk: m for m in Membre.objects.filter(gouvernance=gouvernance, pk__in=[i for i, _ in lignes])}
    seen: set[int] = set()
    total = Decimal("0")
    for membre_id, value in lignes:
        membre = membres.get(membre_id)
        if membre is None:
            errors.add("beneficiaires", "Un des bénéficiaires choisis n'est pas membre de la gouvernance.")
            continue
        if membre_id in seen:
            errors.add("beneficiaires", f"« {membre.nom} » figure deux fois parmi les bénéficiaires.")
            continue
        seen.add(membre_id)
        if value is None or value <= 0:
            errors.add("beneficiaires", f"Indiquez un montant supérieur à 0 € pour « {membre.nom} ».")
            continue
        total += value
    if "beneficiaires" not in errors and subvention is not None and subvention > 0 and total != subvention:
        errors.add(
            "beneficiaires",
            f"Les montants des bénéficiaires font {montant(total)} : ils doivent faire la subvention "
            f"demandée ({montant(subvention)}).",
        )
    return membres


def _locked_demande(gouvernance: Gouvernance, demande: Demande, *, version: int | None) -> Demande:
    row = lock_current(
        Demande.objects.filter(gouvernance=gouvernance),
        version=None,
        label="cette demande",
        pk=demande.pk,
    )
    if row is None:
        raise ValidationError("Cette demande a été supprimée entre-temps : rechargez la page.")
    check_version(row, version=version, label=f"la demande « {demande.titre} »")
    return row


def _locked_dotation(dotation_id: int) -> Dotation:
    return Dotation.objects.select_for_update().get(pk=dotation_id)


@transaction.atomic
def demande_save(
    *,
    gouvernance: Gouvernance,
    demande: Demande | None,
    version: int,
    data: DemandeInput,
    budget_fichier=None,
    user,
) -> Demande:
    """Create (demande=None) or update a demande of the ingénierie fund, still in brouillon."""
    departement = gouvernance.departement
    check_can_write(user=user, departement=departement)
    errors = _Errors()
    if demande is not None:
        demande = _locked_demande(gouvernance, demande, version=version)
        if not demande.modifiable:
            raise ValidationError(FIGEE)
        dotation = _locked_dotation(demande.dotation_id)
    else:
        courante = dotation_courante(departement=departement, fonds=Fonds.INGENIERIE)
        if courante is None:
            raise ValidationError(
                f"Aucune dotation du fonds d'ingénierie n'est attribuée à ce département ({departement.nom}) : "
                "la demande ne peut pas être déposée. L'ANCT saisit les dotations."
            )
        dotation = _locked_dotation(courante.pk)

    feuille = (
        FeuilleDeRoute.objects.filter(pk=data.feuille_id, gouvernance=gouvernance).first()
        if data.feuille_id
        else None
    )
    fiche = axe = None
    if feuille is None and data.nouvelle_action is not None:
        if not data.nouvelle_action.nom.strip():
            errors.add("nouvelle_action_nom", "Nommez la nouvelle action.")
        errors.add("nouvelle_action_axe", "Choisissez l'axe prioritaire auquel rattacher la nouvelle action.")
    elif feuille is None:
        errors.add(
            "feuille_de_route", "Choisissez l'action financée, dans une feuille de route de la gouvernance."
        )
    elif data.nouvelle_action is not None:
        nom = data.nouvelle_action.nom.strip()
        if not nom:
            errors.add("nouvelle_action_nom", "Nommez la nouvelle action.")
        axe = _axe_for_new_action(feuille, data.nouvelle_action.axe_id, errors)
    elif data.fiche_id is None:
        errors.add("fiche_action", "Choisissez une action de la feuille de route, ou créez-en une nouvelle.")
    else:
        fiche = _fiche_of(feuille, data.fiche_id)
        if fiche is None:
            errors.add("fiche_action", "Cette action n'appartient pas à la feuille de route choisie.")

    besoins = list(dict.fromkeys(data.besoins))
    if not besoins:
        errors.add("besoins", "Indiquez au moins un besoin en ingénierie auquel répond la demande.")
    elif any(item not in Item.values for item in besoins):
        errors.add("besoins", "Un des besoins envoyés n'existe pas.")
    contexte = data.contexte.strip()
    if not contexte:
        errors.add("contexte", "Décrivez le contexte de la demande.")
    elif len(contexte) > CONTEXTE_MAX:
        errors.add(
            "contexte", f"Le contexte compte au plus 3 000 caractères (le vôtre en compte {len(contexte)})."
        )
    description = sanitize_note(data.description)
    if not plain_text(description):
        errors.add("description", "Décrivez l'action financée.")
    elif len(description) > DESCRIPTION_MAX:
        errors.add(
            "description",
            "La description est trop longue (20 000 caractères au plus, mise en forme comprise).",
        )
    if budget_fichier is not None:
        refus = check_budget_file(budget_fichier)
        if refus:
            errors.add("budget_fichier", refus)
    elif demande is None or not demande.budget_fichier:
        errors.add("budget_fichier", "Joignez le budget prévisionnel de l'action (PDF, JPEG ou PNG).")
    _check_montants(data, errors)
    _check_beneficiaires(gouvernance, data.beneficiaires, data.subvention_demandee, errors)
    if "subvention_demandee" not in errors and data.subvention_demandee:
        refus = depassement(dotation, demande=demande, subvention=data.subvention_demandee)
        if refus:
            errors.add("subvention_demandee", refus)
    if errors:
        raise ValidationError(dict(errors))

    if axe is not None:
        fiche = feuilles_services.fiche_save(
            axe=axe,
            fiche=None,
            version=0,
            data={"nom": data.nouvelle_action.nom.strip()},
            user=user,
        )
    demande = demande or Demande(gouvernance=gouvernance, dotation=dotation, fonds=Fonds.INGENIERIE)
    demande.feuille_de_route = feuille
    demande.fiche_action = fiche
    demande.contexte = contexte
    demande.description = description
    demande.budget_global = data.budget_global
    demande.subvention_demandee = data.subvention_demandee
    demande.montant_rh = data.montant_rh
    demande.montant_prestations = data.montant_prestations
    if budget_fichier is not None:
        demande.budget_nom = budget_fichier.name[:255]
        demande.budget_fichier.save(budget_fichier.name, budget_fichier, save=False)
    demande.touch(user=user)
    demande._history_user = user
    demande.save()
    _replace_besoins(demande, besoins, user=user)
    _replace_beneficiaires(demande, data.beneficiaires, user=user)
    return demande


def _replace_besoins(demande: Demande, items: list[str], *, user) -> None:
    existing = {row.item: row for row in demande.besoins.all()}
    for item, row in existing.items():
        if item not in items:
            row._history_user = user
            row.delete()
    for item in items:
        if item not in existing:
            row = BesoinVise(demande=demande, item=item)
            row._history_user = user
            row.save()


def _replace_beneficiaires(demande: Demande, lignes, *, user) -> None:
    wanted = dict(lignes)
    existing = {row.membre_id: row for row in demande.beneficiaires.all()}
    for membre_id, row in existing.items():
        if membre_id not in wanted:
            row._history_user = user
            row.delete()
    for membre_id, value in wanted.items():
        row = existing.get(membre_id) or Beneficiaire(demande=demande, membre_id=membre_id)
        if row.pk and row.montant == value:
            continue
        row.montant = value
        row._history_user = user
        row.save()


# --- The formation fund -----------------------------------------------------------------------------


@transaction.atomic
def formation_save(
    *, gouvernance: Gouvernance, demande: Demande | None, version: int, membre_id: int | None, user
) -> Demande:
    """One bénéficiaire member for the fund's fixed amount (the dotation de formation)."""
    departement = gouvernance.departement
    check_can_write(user=user, departement=departement)
    if demande is not None:
        demande = _locked_demande(gouvernance, demande, version=version)
        if not demande.modifiable:
            raise ValidationError(FIGEE)
        dotation = _locked_dotation(demande.dotation_id)
    else:
        courante = dotation_courante(departement=departement, fonds=Fonds.FORMATION)
        if courante is None:
            raise ValidationError(
                f"Aucune dotation du fonds de formation n'est attribuée à ce département ({departement.nom}) : "
                "la demande ne peut pas être déposée. L'ANCT saisit les dotations."
            )
        dotation = _locked_dotation(courante.pk)
        en_cours = (
            Demande.objects.filter(dotation=dotation, fonds=Fonds.FORMATION)
            .exclude(statut=StatutDemande.REJETEE)
            .exists()
        )
        if en_cours:
            raise ValidationError(
                "Une demande du fonds de formation existe déjà pour cette campagne : modifiez-la plutôt."
            )
    errors = _Errors()
    membre = Membre.objects.filter(gouvernance=gouvernance, pk=membre_id).first() if membre_id else None
    if membre is None:
        errors.add("membre", "Choisissez le membre de la gouvernance bénéficiaire du fonds de formation.")
    if dotation.montant <= 0:
        errors.add(
            "membre", "La dotation de formation de ce département est nulle : aucune demande n'est possible."
        )
    if errors:
        raise ValidationError(dict(errors))
    demande = demande or Demande(gouvernance=gouvernance, dotation=dotation, fonds=Fonds.FORMATION)
    demande.subvention_demandee = dotation.montant
    demande.touch(user=user)
    demande._history_user = user
    demande.save()
    _replace_beneficiaires(demande, [(membre.pk, dotation.montant)], user=user)
    return demande


# --- The workflow -------------------------------------------------------------------------------------


@transaction.atomic
def demande_delete(*, demande: Demande, user) -> None:
    check_can_write(user=user, departement=demande.gouvernance.departement)
    demande = _locked_demande(demande.gouvernance, demande, version=None)
    if not demande.modifiable:
        raise ValidationError(FIGEE)
    demande._history_user = user
    demande.delete()


@transaction.atomic
def demande_validate(*, demande: Demande, version: int, user) -> Demande:
    """The préfecture validates and sends the demande to ANCT: read-only from then."""
    gouvernance = demande.gouvernance
    check_can_write(user=user, departement=gouvernance.departement)
    demande = _locked_demande(gouvernance, demande, version=version)
    if not demande.modifiable:
        raise ValidationError("Cette demande est déjà validée et envoyée.")
    note = NoteSubventions.objects.filter(gouvernance=gouvernance).first()
    if note is None or note_errors(note.texte):
        raise ValidationError(
            "Rédigez d'abord la note de contexte des subventions (au moins 100 caractères) : "
            "l'ANCT la lit avec chaque demande."
        )
    refus = depassement(
        _locked_dotation(demande.dotation_id), demande=demande, subvention=demande.subvention_demandee
    )
    if refus:
        raise ValidationError(refus)
    demande.statut = StatutDemande.VALIDEE
    demande.validee_le = timezone.now()
    demande.validee_par = user
    demande.touch(user=user)
    demande._history_user = user
    demande.save()
    return demande


@transaction.atomic
def demande_instruct(*, demande: Demande, decision: str, commentaire: str, user) -> Demande:
    """ANCT's decision on a demande validée et envoyée. Asking for a change sends it back to
    brouillon and, once committed, e-mails the préfecture."""
    if not perms.can_instruct_subventions(user):
        raise PermissionDenied(perms.INSTRUCTION_ADMIN_ONLY)
    decision = Instruction(decision)
    demande = _locked_demande(demande.gouvernance, demande, version=None)
    if demande.statut != StatutDemande.VALIDEE:
        raise ValidationError("Cette demande n'attend pas d'instruction : elle n'est pas validée et envoyée.")
    commentaire = commentaire.strip()
    if decision == Instruction.MODIFICATION and not commentaire:
        raise ValidationError({"commentaire": "Dites à la préfecture ce qu'il faut modifier."})
    if decision == Instruction.REJET and not commentaire:
        raise ValidationError({"commentaire": "Indiquez le motif du rejet."})
    demande.statut = {
        Instruction.ACCEPTATION: StatutDemande.ACCEPTEE,
        Instruction.MODIFICATION: StatutDemande.BROUILLON,
        Instruction.REJET: StatutDemande.REJETEE,
    }[decision]
    demande.instruction = decision
    demande.instruction_commentaire = commentaire
    demande.instruite_le = timezone.now()
    demande.instruite_par = user
    demande.touch(user=user)
    demande._history_user = user
    demande.save()
    if decision == Instruction.MODIFICATION:
        from .notifications import modification_enqueue

        transaction.on_commit(lambda: modification_enqueue(demande_id=demande.pk))
    return demande
