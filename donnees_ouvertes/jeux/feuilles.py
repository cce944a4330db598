"""Feuilles de route: declared by the public gouvernances, with their périmètre as codes, their
porteur, the status of their document and the targets of the twelve indicators."""

from feuilles_de_route.enums import ContratPreexistant, Indicateur, StatutDocument, TypePerimetre

from .. import selectors
from ..schema import (
    CODE_DEPARTEMENT,
    CODE_REGION,
    SEPARATEUR,
    SIREN,
    Champ,
    CleEtrangere,
    Filtres,
    Jeu,
    liste,
)
from .membres import nom_du_porteur

ANNEES = (2023, 2025, 2027)
NON_COMMENCE = "non_commence"
STATUTS_DOCUMENT = (NON_COMMENCE, *StatutDocument.values)


def champ_cible(indicateur: Indicateur, annee: int) -> str:
    return f"cible_{indicateur.value.replace('-', '_')}_{annee}"


CIBLES = tuple(
    Champ(
        champ_cible(indicateur, annee),
        "integer",
        f"Cible {annee} — {indicateur.label[0].lower()}{indicateur.label[1:]}",
        f"Cible {annee} de l'indicateur « {indicateur.label} », dans la dernière version approuvée "
        "de la feuille de route (vide si aucune version n'est approuvée ou si la cible n'est pas fixée).",
        minimum=0,
    )
    for indicateur in Indicateur
    for annee in ANNEES
)


class FeuillesDeRoute(Jeu):
    slug = "feuilles-de-route"
    titre = "Feuilles de route France Numérique Ensemble"
    description = (
        "Une ligne par feuille de route déclarée par une gouvernance remontée : nom, périmètre (codes "
        "Insee ou SIREN des territoires couverts), porteur, contrat préexistant, état de son document et "
        "cibles des douze indicateurs d'engagement pour 2023, 2025 et 2027 (annexe de la circulaire), "
        "telles que fixées dans la dernière version approuvée."
    )
    champs = (
        Champ(
            "id",
            "integer",
            "Identifiant",
            "Identifiant de la feuille de route sur la plateforme.",
            requis=True,
            unique=True,
            minimum=1,
        ),
        Champ(
            "code_departement",
            "string",
            "Département de la gouvernance",
            "Code Insee du département dont la gouvernance a déclaré la feuille de route.",
            requis=True,
            motif=CODE_DEPARTEMENT,
        ),
        Champ("nom", "string", "Nom", "Nom de la feuille de route.", requis=True),
        Champ(
            "perimetre",
            "string",
            "Type de périmètre",
            "« regional » : la région ; « departemental » : le département ; « epci » : "
            "infra-départemental, un ou plusieurs EPCI.",
            requis=True,
            valeurs=tuple(TypePerimetre.values),
        ),
        Champ(
            "perimetre_codes",
            "string",
            "Territoires du périmètre",
            "Code Insee de la région (périmètre régional) ou du département (départemental), ou SIREN "
            "des EPCI du périmètre (infra-départemental), séparés par « | ».",
            motif=f"({CODE_REGION}|{CODE_DEPARTEMENT}|{liste(SIREN)})",
        ),
        Champ(
            "porteur_membre_id",
            "integer",
            "Porteur (identifiant du membre)",
            "Identifiant, dans le jeu « membres », du membre qui porte la feuille de route ; vide quand "
            "elle est portée par la préfecture seule.",
            minimum=1,
        ),
        Champ(
            "porteur_nom",
            "string",
            "Porteur",
            "Nom de la collectivité porteuse, ou « Préfecture » quand la préfecture la porte seule.",
            requis=True,
        ),
        Champ(
            "contrat_preexistant",
            "string",
            "Contrat préexistant",
            "Contrat sur lequel s'appuie la feuille de route : « crte », « sdaasap », « sdin », "
            "« sdun » ou « autre » ; vide si aucun.",
            valeurs=tuple(v for v in ContratPreexistant.values if v),
        ),
        Champ(
            "statut_document",
            "string",
            "État du document",
            "État de la dernière version du document de la feuille de route : « non_commence », "
            "« redaction » (en rédaction), « soumise » (soumise à la gouvernance), « approuvee ».",
            requis=True,
            valeurs=STATUTS_DOCUMENT,
        ),
        Champ(
            "date_approbation",
            "date",
            "Date d'approbation",
            "Date d'approbation de la dernière version approuvée (AAAA-MM-JJ).",
        ),
        *CIBLES,
    )
    cle_primaire = ("id",)
    cles_etrangeres = (
        CleEtrangere(("code_departement",), "gouvernances", ("code_departement",)),
        CleEtrangere(("porteur_membre_id",), "membres", ("id",)),
    )

    def objets(self, *, filtres: Filtres, demonstration: bool):
        return selectors.feuilles_publiques(filtres=filtres, demonstration=demonstration)

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        ids = [f.pk for f in objets]
        epcis = selectors.epcis_de_feuilles(ids)
        documents = selectors.documents_de_feuilles(ids)
        approuves = [d["approuvee"][0] for d in documents.values() if d["approuvee"]]
        cibles = selectors.cibles_de_documents(approuves)
        rows = []
        for feuille in objets:
            departement = feuille.gouvernance.departement
            document = documents.get(feuille.pk)
            approuvee = document["approuvee"] if document else None
            row = {
                "id": feuille.pk,
                "code_departement": departement.code,
                "nom": feuille.nom,
                "perimetre": feuille.perimetre,
                "perimetre_codes": _perimetre(feuille, departement, epcis.get(feuille.pk, [])),
                "porteur_membre_id": feuille.porteur_id,
                "porteur_nom": nom_du_porteur(feuille.porteur),
                "contrat_preexistant": feuille.contrat_preexistant or None,
                "statut_document": document["statut"] if document else NON_COMMENCE,
                "date_approbation": approuvee[1] if approuvee else None,
                **dict.fromkeys((c.nom for c in CIBLES), None),
            }
            for cible in cibles.get(approuvee[0], []) if approuvee else []:
                for annee in ANNEES:
                    row[champ_cible(Indicateur(cible.indicateur), annee)] = getattr(cible, f"cible_{annee}")
            rows.append(row)
        return rows


def _perimetre(feuille, departement, epcis: list[str]) -> str | None:
    if feuille.perimetre == TypePerimetre.REGIONAL:
        return departement.region_id
    if feuille.perimetre == TypePerimetre.DEPARTEMENTAL:
        return departement.code
    return SEPARATEUR.join(epcis) or None
