"""Exports of the national tables: django-import-export resources on core.exports'
NeutralisingResource (no cell may start a formula). Each resource is declared as a list of
(header, value function) columns, from which the resource class is built once."""

from collections.abc import Callable
from decimal import Decimal

from import_export.fields import Field

from besoins.rules import format_etp
from candidatures.enums import Intention, Persona, TypeContact
from core.exports import NeutralisingResource
from feuilles_de_route.enums import StatutDocument, TypePerimetre
from gouvernances.enums import StatutGouvernance
from territoires.enums import TypeCollectivite

from .selectors import departements_of_candidat, region_of_candidat


def _date(value):
    if value is None:
        return ""
    return value.date().isoformat() if hasattr(value, "date") and callable(value.date) else value.isoformat()


def _oui(value: bool) -> str:
    return "Oui" if value else "Non"


def _statut(value: str) -> str:
    return StatutGouvernance(value).label if value else "Aucun formulaire enregistré"


def _type_membre(membre) -> str:
    return TypeCollectivite(membre.type_collectivite).label if membre.type_collectivite else "Structure"


def _code_membre(membre) -> str:
    return membre.structure_siret if membre.is_structure else membre.collectivite_code


def _contact(manifestation, type_: str, attr: str) -> str:
    for contact in getattr(manifestation, "contacts_principaux", []):
        if contact.type == type_:
            return getattr(contact, attr)
    return ""


def _build(name: str, columns: list[tuple[str, Callable]]) -> type[NeutralisingResource]:
    attrs = {}
    order = []
    for index, (header, func) in enumerate(columns):
        key = f"col_{index}"
        attrs[key] = Field(attribute=None, column_name=header, dehydrate_method=func)
        order.append(key)
    attrs["Meta"] = type("Meta", (), {"fields": (), "export_order": tuple(order)})
    return type(name, (NeutralisingResource,), attrs)


GOUVERNANCE_COLUMNS = [
    ("Région", lambda d: d.region.nom),
    ("Code département", lambda d: d.code),
    ("Département", lambda d: d.nom),
    ("Statut", lambda d: _statut(d.statut)),
    ("Gouvernance pressentie remontée le", lambda d: _date(d.pressentie_le)),
    ("Gouvernance définitive remontée le", lambda d: _date(d.definitive_le)),
    ("Rouverte jusqu'au", lambda d: _date(d.rouverte_jusquau)),
    ("Co-porteurs", lambda d: " ; ".join(d.coporteurs_noms)),
    ("Nombre de co-porteurs", lambda d: d.nb_coporteurs),
    ("Nombre de membres", lambda d: d.nb_membres),
    ("Feuilles de route déclarées", lambda d: d.nb_feuilles),
    ("Feuilles de route approuvées", lambda d: d.nb_feuilles_approuvees),
    ("Besoins en ingénierie sélectionnés", lambda d: d.nb_besoins),
]
SUIVI_COLUMNS = [
    ("Commentaire de suivi (ANCT)", lambda d: d.suivi_commentaire),
    ("Problème identifié (ANCT)", lambda d: d.suivi_probleme),
]


def gouvernance_resource(*, with_suivi: bool, decimal_comma: bool) -> NeutralisingResource:
    def etp(d):
        if d.etp_total is None:
            return ""
        value = Decimal(d.etp_total)
        return format_etp(value) if decimal_comma else value.normalize()

    columns = [*GOUVERNANCE_COLUMNS, ("Total ETP demandés", etp)]
    if with_suivi:
        columns += SUIVI_COLUMNS
    return _build("GouvernanceNationaleResource", columns)()


MembreResource = _build(
    "MembreNationalResource",
    [
        ("Région", lambda m: m.gouvernance.departement.region.nom),
        ("Code département", lambda m: m.gouvernance.departement_id),
        ("Département", lambda m: m.gouvernance.departement.nom),
        ("Statut de la gouvernance", lambda m: _statut(m.statut_gouvernance)),
        ("Membre", lambda m: m.nom),
        ("Type", _type_membre),
        ("Code INSEE, SIREN ou SIRET", _code_membre),
        ("Co-porteur", lambda m: _oui(m.est_coporteur)),
        ("Référent", lambda m: m.referent_nom_complet),
        ("Fonction du référent", lambda m: m.referent_fonction),
        ("E-mail du référent", lambda m: m.referent_email),
        ("Suppléant", lambda m: m.suppleant_nom_complet),
        ("Fonction du suppléant", lambda m: m.suppleant_fonction),
        ("E-mail du suppléant", lambda m: m.suppleant_email),
    ],
)

FeuilleResource = _build(
    "FeuilleNationaleResource",
    [
        ("Région", lambda f: f.gouvernance.departement.region.nom),
        ("Code département", lambda f: f.gouvernance.departement_id),
        ("Département", lambda f: f.gouvernance.departement.nom),
        ("Feuille de route", lambda f: f.nom),
        ("Porteur", lambda f: f.porteur.nom if f.porteur_id else "Préfecture seule"),
        ("Périmètre", lambda f: TypePerimetre(f.perimetre).label),
        ("Nombre d'EPCI", lambda f: f.nb_epci if f.perimetre == TypePerimetre.EPCI else ""),
        (
            "Contrat préexistant",
            lambda f: f.get_contrat_preexistant_display() if f.contrat_preexistant else "",
        ),
        ("Précision du contrat", lambda f: f.contrat_description),
        (
            "Document",
            lambda f: StatutDocument(f.statut_document).label if f.statut_document else "Pas encore commencé",
        ),
        ("Version du document", lambda f: f.version_document or ""),
        ("Approuvée le", lambda f: _date(f.approuvee_le)),
    ],
)

CandidatResource = _build(
    "CandidatNationalResource",
    [
        ("Date de dépôt", lambda m: _date(m.confirmee_le)),
        ("Collectivité/structure", lambda m: m.nom),
        ("Typologie", lambda m: Persona(m.persona).label),
        ("Manifestation d'intérêt", lambda m: Intention(m.intention).label),
        ("Région", region_of_candidat),
        ("Départements", lambda m: " ; ".join(d.code for d in departements_of_candidat(m))),
        ("SIRET", lambda m: m.siret),
        ("Code INSEE ou SIREN", lambda m: m.code_insee),
        ("Contact politique", lambda m: _contact(m, TypeContact.POLITIQUE, "nom_complet")),
        ("E-mail du contact politique", lambda m: _contact(m, TypeContact.POLITIQUE, "email")),
        ("Contact technique", lambda m: _contact(m, TypeContact.TECHNIQUE, "nom_complet")),
        ("E-mail du contact technique", lambda m: _contact(m, TypeContact.TECHNIQUE, "email")),
        ("Contact de la structure", lambda m: _contact(m, TypeContact.STRUCTURE, "nom_complet")),
        ("E-mail du contact de la structure", lambda m: _contact(m, TypeContact.STRUCTURE, "email")),
    ],
)
