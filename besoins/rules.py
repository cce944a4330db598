"""The rules of the besoins form as pure functions (no database): validation of the selected
items, the totals shown while the user works, and the priority cards of step 2.

Services call these before writing; views call `totaux` for the live counters; the national
consolidation can reuse `cartes_attendues` to read a stored order.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from core.formats import compte

from .enums import CARTE_RESSOURCE_HUMAINE, Item, asks_if_it_trains_people, is_autre, trains_people

ETP_MAX = Decimal("100")
PERSONNES_MAX = 100_000


def field_name(item: str, part: str) -> str:
    """Form field (and error key) of one part of an item: « diagnostic__etp »."""
    return f"{item}__{part}"


# Error keys that are not a single input: the item's « ressource humaine / prestation » pair.
REPONSE = "reponse"


@dataclass(frozen=True)
class Ligne:
    """One selected item, as typed (before storage)."""

    item: str
    ressource_humaine: bool = False
    etp: Decimal | None = None
    prestation: bool = False
    personnes_a_former: int | None = None
    precision: str = ""
    forme_des_personnes: bool = False  # « autre » of the formation category only

    @property
    def trains_people(self) -> bool:
        """A head count, instead of « ressource humaine » or « prestation »."""
        return trains_people(self.item, forme_des_personnes=self.forme_des_personnes)

    def cleaned(self) -> "Ligne":
        """What is stored: the parts that do not apply to the item are dropped (an ETP typed
        without ticking « Ressource humaine », a count on an item that trains nobody…)."""
        precision = self.precision.strip() if is_autre(self.item) else ""
        forme = self.forme_des_personnes and asks_if_it_trains_people(self.item)
        if self.trains_people:
            return Ligne(
                item=self.item,
                personnes_a_former=self.personnes_a_former,
                precision=precision,
                forme_des_personnes=forme,
            )
        return Ligne(
            item=self.item,
            ressource_humaine=self.ressource_humaine,
            etp=self.etp if self.ressource_humaine else None,
            prestation=self.prestation,
            precision=precision,
        )


AUCUN_BESOIN = "aucun_besoin"


def validate_lignes(lignes: Sequence[Ligne], *, aucun_besoin: bool = False) -> dict[str, list[str]]:
    """French messages keyed by form field (`field_name(item, part)`); empty when valid.
    `aucun_besoin`: the département declares it has none (then it selects nothing)."""
    errors: dict[str, list[str]] = {}

    def add(item: str, part: str, message: str) -> None:
        errors.setdefault(field_name(item, part), []).append(message)

    seen: set[str] = set()
    for ligne in lignes:
        if ligne.item not in Item.values:
            errors.setdefault("__all__", []).append("Un des besoins envoyés n'existe pas.")
            continue
        if ligne.item in seen:
            errors.setdefault("__all__", []).append(f"Le besoin « {Item(ligne.item).label} » est en double.")
            continue
        seen.add(ligne.item)
        if is_autre(ligne.item) and not ligne.precision.strip():
            add(ligne.item, "precision", "Précisez ce besoin.")
        if ligne.trains_people:
            if ligne.personnes_a_former is None:
                add(ligne.item, "personnes", "Indiquez le nombre de personnes à former.")
            elif ligne.personnes_a_former <= 0:
                add(ligne.item, "personnes", "Le nombre de personnes à former doit être d'au moins 1.")
            elif ligne.personnes_a_former > PERSONNES_MAX:
                add(ligne.item, "personnes", "Le nombre de personnes à former ne peut dépasser 100 000.")
            continue
        if not ligne.ressource_humaine and not ligne.prestation:
            add(
                ligne.item,
                REPONSE,
                "Choisissez « Ressource humaine », « Prestation de service » ou les deux.",
            )
        if ligne.ressource_humaine:
            if ligne.etp is None:
                add(ligne.item, "etp", "Indiquez une estimation en ETP (par exemple 0,5).")
            elif ligne.etp <= 0:
                add(ligne.item, "etp", "L'estimation en ETP doit être supérieure à 0.")
            elif ligne.etp > ETP_MAX:
                add(ligne.item, "etp", "L'estimation en ETP ne peut dépasser 100.")
    if aucun_besoin and seen:
        errors[AUCUN_BESOIN] = [
            "Vous avez indiqué n'avoir aucun besoin et sélectionné des besoins : choisissez l'un ou l'autre."
        ]
    elif not seen and not aucun_besoin and "__all__" not in errors:
        errors["__all__"] = ["Sélectionnez au moins un besoin, ou indiquez que le département n'en a aucun."]
    return errors


# --- Totals ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totaux:
    besoins: int = 0
    etp: Decimal = Decimal("0")
    prestations: int = 0
    personnes_a_former: int = 0

    @property
    def etp_affiche(self) -> str:
        return format_etp(self.etp)


def totaux(lignes: Iterable[Ligne]) -> Totaux:
    """Totals of what is selected, counting only values that make sense (an ETP > 0 of an item
    with « Ressource humaine », a positive number of people on a formation item)."""
    besoins = 0
    etp = Decimal("0")
    prestations = 0
    personnes = 0
    for ligne in lignes:
        besoins += 1
        if ligne.trains_people:
            if ligne.personnes_a_former and ligne.personnes_a_former > 0:
                personnes += ligne.personnes_a_former
            continue
        if ligne.ressource_humaine and ligne.etp is not None and ligne.etp > 0:
            etp += ligne.etp
        if ligne.prestation:
            prestations += 1
    return Totaux(besoins=besoins, etp=etp, prestations=prestations, personnes_a_former=personnes)


def format_etp(value: Decimal | None) -> str:
    """« 1,5 », « 2 », « 0,25 »: French decimal comma, no trailing zeros."""
    if value is None:
        return ""
    text = f"{value.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


# --- Priorisation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Carte:
    """A card of step 2: a need with a prestation, a formation need, or the combined RH card."""

    cle: str
    titre: str
    detail: str


def cartes_attendues(lignes: Sequence[Ligne]) -> list[Carte]:
    """The cards the user ranks, in their default order (the form's order, RH card last)."""
    order = {code: index for index, code in enumerate(Item.values)}
    cartes: list[Carte] = []
    etp_total = Decimal("0")
    rh = False
    for ligne in sorted(lignes, key=lambda ligne: order.get(ligne.item, len(order))):
        titre = (
            ligne.precision.strip()
            if is_autre(ligne.item) and ligne.precision.strip()
            else Item(ligne.item).label
        )
        if ligne.trains_people:
            n = ligne.personnes_a_former or 0
            cartes.append(Carte(ligne.item, titre, f"Formation — {compte(n, 'personne')} à former"))
            continue
        if ligne.prestation:
            cartes.append(Carte(ligne.item, titre, "Prestation de service"))
        if ligne.ressource_humaine:
            rh = True
            etp_total += ligne.etp or 0
    if rh:
        cartes.append(
            Carte(
                CARTE_RESSOURCE_HUMAINE,
                f"Ressource humaine ({format_etp(etp_total)} ETP)",
                "Ressources humaines internalisées par des membres de la gouvernance, hors État",
            )
        )
    return cartes


def reconcile(ordre: Sequence[str], attendues: Sequence[str]) -> list[str]:
    """Keep the user's order for the cards still there; new cards go last, in default order."""
    wanted = set(attendues)
    kept = [cle for cle in dict.fromkeys(ordre) if cle in wanted]
    return kept + [cle for cle in attendues if cle not in kept]


def ordre_valide(ordre: Sequence[str], attendues: Sequence[str]) -> bool:
    """A submitted order must list every expected card exactly once, and nothing else."""
    return len(ordre) == len(set(ordre)) and set(ordre) == set(attendues)


def deplacer(ordre: Sequence[str], cle: str, direction: str) -> list[str]:
    """Move one card up (« monter ») or down (« descendre »); at an end it stays where it is."""
    result = list(ordre)
    if cle not in result or direction not in ("monter", "descendre"):
        return result
    i = result.index(cle)
    j = i - 1 if direction == "monter" else i + 1
    if 0 <= j < len(result):
        result[i], result[j] = result[j], result[i]
    return result
