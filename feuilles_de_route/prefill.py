"""Section II of a feuille de route pre-filled from the diagnostic's figures: sentences the
writers then edit, computed on the feuille de route's own périmètre (the EPCI's communes within
the département, the département, or the région's départements). Figures a source did not provide
(not imported yet) are left out.

The text is written when the document opens, and refreshed on demand: `comparaison` shows what
the figures would change, `services.document_diagnostic_refresh` applies it."""

import difflib
from dataclasses import dataclass

from core.formats import accord, compte, est_pluriel, et
from core.formats import french_number as _n
from diagnostic.selectors import synthese_territoire
from territoires.models import Departement

from .enums import TypePerimetre
from .libelles import perimetre_departement, perimetre_epcis, perimetre_region

SOURCE = "Source : diagnostic territorial de l'Espace France Numérique Ensemble"
# The fields of section II, in the model's order, with the labels the editor shows.
CHAMPS = {
    "besoins_publics": "Éléments de diagnostic sur les besoins des publics",
    "offre": "Éléments de diagnostic sur l'offre d'accompagnement",
    "enjeux": "Enjeux territoriaux identifiés",
}


@dataclass(frozen=True)
class PerimetreDiagnostic:
    """The territory the figures cover, and how to select its communes."""

    libelle: str  # « le département de la Nièvre », « les communes de la CA de Nevers situées… »
    departements: list[str]
    epcis: list[str] | None = None  # None: every commune of the départements


def perimetre_of(feuille_de_route) -> PerimetreDiagnostic:
    """The périmètre of a feuille de route (at most one query besides the loaded gouvernance)."""
    departement = feuille_de_route.gouvernance.departement
    if feuille_de_route.perimetre == TypePerimetre.REGIONAL:
        codes = list(
            Departement.objects.filter(region_id=departement.region_id).values_list("code", flat=True)
        )
        return PerimetreDiagnostic(perimetre_region(departement.region, len(codes)), codes)
    if feuille_de_route.perimetre == TypePerimetre.EPCI:
        epcis = sorted(feuille_de_route.epcis.all(), key=lambda epci: epci.nom)
        if epcis:
            return PerimetreDiagnostic(
                perimetre_epcis(departement, [epci.nom for epci in epcis]),
                [departement.code],
                [epci.code for epci in epcis],
            )
    return PerimetreDiagnostic(perimetre_departement(departement), [departement.code])


def synthese_textes(perimetre: PerimetreDiagnostic) -> dict[str, str]:
    """{besoins_publics, offre, enjeux}: the sentences of each part, for the périmètre."""
    s = synthese_territoire(
        territoire=perimetre.libelle, departements=perimetre.departements, epcis=perimetre.epcis
    )
    besoins, offre, enjeux = [], [], []
    besoins.append(
        f"Le périmètre de la feuille de route, {perimetre.libelle}, compte {compte(s.population, 'habitant')} "
        f"{accord(s.population, 'réparti', 'répartis')} dans {compte(s.communes, 'commune')}."
    )
    if s.ifn_moyen is not None:
        besoins.append(
            f"L'indice de fragilité numérique moyen, pondéré par la population, est de {_n(s.ifn_moyen)} sur 10."
        )
    besoins.append(
        f"{compte(s.communes_fragiles, 'commune')} ({compte(s.population_fragile, 'habitant')}) "
        f"{accord(s.communes_fragiles, 'présente', 'présentent')} une forte fragilité numérique."
    )
    phrase = (
        f"{compte(s.lieux, 'lieu', 'lieux')} de médiation numérique "
        f"{accord(s.lieux, 'est recensé', 'sont recensés')}"
    )
    if s.lieux_pour_10000_habitants is not None:
        phrase += f", soit {_n(s.lieux_pour_10000_habitants)} pour 10 000 habitants"
    offre.append(phrase + ".")
    if s.lieux:
        labels = [
            compte(s.lieux_france_services, "labellisé France services", "labellisés France services"),
            f"{_n(s.lieux_conseillers_numeriques)} accueillant des conseillers numériques",
            compte(s.lieux_aidants_connect, "habilité Aidants Connect", "habilités Aidants Connect"),
            compte(s.lieux_itinerants, "itinérant"),
        ]
        offre.append(("Parmi eux : " if est_pluriel(s.lieux) else "Ce lieu : ") + et(labels) + ".")
    if s.aidants_connect_aidants is not None:
        offre.append(
            f"{compte(s.aidants_connect_aidants, 'aidant')} Aidants Connect "
            f"{accord(s.aidants_connect_aidants, 'est habilité', 'sont habilités')}."
        )
    if s.accompagnements is not None:
        offre.append(f"Les conseillers numériques ont réalisé {compte(s.accompagnements, 'accompagnement')}.")
    elif perimetre.epcis is not None:
        offre.append(
            "L'activité des conseillers numériques n'est publiée que par département : "
            "elle n'est pas chiffrée sur ce périmètre."
        )
    n_ont = accord(s.communes_sans_lieu, "n'a", "n'ont")
    enjeux.append(
        f"{compte(s.communes_sans_lieu, 'commune')} ({compte(s.population_sans_lieu, 'habitant')}) "
        f"{n_ont} aucun lieu de médiation numérique."
    )
    if s.communes_fragiles_sans_lieu_noms:
        enjeux.append(
            "Zones à densifier en priorité (communes fragiles sans lieu) : "
            + ", ".join(s.communes_fragiles_sans_lieu_noms)
            + "."
        )
    source = f"{SOURCE}, sur {perimetre.libelle}."
    textes = {"besoins_publics": besoins, "offre": offre, "enjeux": enjeux}
    return {k: "\n".join([*v, source]) for k, v in textes.items() if v}


@dataclass(frozen=True)
class Ligne:
    """A line of the comparison: kept, removed (« avant » only) or added (« après » only)."""

    texte: str
    etat: str  # "identique", "retiree", "ajoutee"


@dataclass(frozen=True)
class PartieComparee:
    champ: str
    libelle: str
    avant: str
    apres: str
    lignes: list[Ligne]

    @property
    def change(self) -> bool:
        return self.avant.strip() != self.apres.strip()


def comparaison(document, textes: dict[str, str]) -> list[PartieComparee]:
    """What applying `textes` would change in each part of section II, line by line."""
    parties = []
    for champ, libelle in CHAMPS.items():
        avant, apres = getattr(document, champ) or "", textes.get(champ, "")
        old, new = avant.splitlines(), apres.splitlines()
        lignes = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if op == "equal":
                lignes += [Ligne(text, "identique") for text in old[i1:i2]]
                continue
            lignes += [Ligne(text, "retiree") for text in old[i1:i2]]
            lignes += [Ligne(text, "ajoutee") for text in new[j1:j2]]
        parties.append(PartieComparee(champ, libelle, avant, apres, lignes))
    return parties
