"""Gouvernances: one row per département of the campaign, with or without a gouvernance sent."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from gouvernances.enums import StatutGouvernance

from .. import selectors
from ..schema import CODE_DEPARTEMENT, CODE_REGION, SEPARATEUR, Champ, Filtres, Jeu

NON_REMONTEE = "non_remontee"
STATUTS = (NON_REMONTEE, StatutGouvernance.PRESSENTIE.value, StatutGouvernance.DEFINITIVE.value)


class Gouvernances(Jeu):
    slug = "gouvernances"
    titre = "Gouvernances territoriales de l'inclusion numérique"
    description = (
        "Une ligne par département de la campagne France Numérique Ensemble (métropole et outre-mer) : "
        "statut de sa gouvernance de l'inclusion numérique, dates de remontée, co-porteurs, nombre de "
        "membres, de comités et de feuilles de route. Une gouvernance encore en brouillon compte comme "
        "non remontée. Ni le sous-préfet référent, ni les référents des membres, ni la note de contexte "
        "ne sont publiés."
    )
    champs = (
        Champ(
            "code_departement",
            "string",
            "Code du département",
            "Code officiel géographique (Insee) du département.",
            requis=True,
            unique=True,
            motif=CODE_DEPARTEMENT,
        ),
        Champ("nom_departement", "string", "Département", "Nom du département.", requis=True),
        Champ(
            "code_region",
            "string",
            "Code de la région",
            "Code officiel géographique (Insee) de la région.",
            requis=True,
            motif=CODE_REGION,
        ),
        Champ("nom_region", "string", "Région", "Nom de la région.", requis=True),
        Champ(
            "statut",
            "string",
            "Statut de la gouvernance",
            "« non_remontee » : aucune gouvernance remontée à l'ANCT ; « pressentie » : gouvernance "
            "pressentie remontée ; « definitive » : gouvernance définitive remontée.",
            requis=True,
            valeurs=STATUTS,
        ),
        Champ(
            "date_remontee_pressentie",
            "date",
            "Remontée de la gouvernance pressentie",
            "Date à laquelle la gouvernance pressentie a été remontée (AAAA-MM-JJ).",
        ),
        Champ(
            "date_remontee_definitive",
            "date",
            "Remontée de la gouvernance définitive",
            "Date à laquelle la gouvernance définitive a été remontée (AAAA-MM-JJ).",
        ),
        Champ(
            "coporteurs",
            "string",
            "Co-porteurs",
            "Noms des collectivités co-porteuses de la gouvernance, séparés par « | ».",
        ),
        Champ(
            "nombre_coporteurs",
            "integer",
            "Nombre de co-porteurs",
            "Collectivités co-porteuses (0 si la gouvernance n'a pas de co-porteur).",
            minimum=0,
        ),
        Champ(
            "nombre_membres",
            "integer",
            "Nombre de membres",
            "Collectivités et structures membres de la gouvernance, co-porteurs compris.",
            minimum=0,
        ),
        Champ("nombre_comites", "integer", "Nombre de comités", "Comités de la gouvernance.", minimum=0),
        Champ(
            "nombre_feuilles_de_route",
            "integer",
            "Nombre de feuilles de route",
            "Feuilles de route déclarées par la gouvernance.",
            minimum=0,
        ),
        Champ(
            "nombre_feuilles_de_route_approuvees",
            "integer",
            "Feuilles de route approuvées",
            "Feuilles de route dont une version a été approuvée par la gouvernance.",
            minimum=0,
        ),
        Champ(
            "page_publique",
            "string",
            "Page publique",
            "Adresse de la page publique de la gouvernance du département.",
            requis=True,
        ),
    )
    cle_primaire = ("code_departement",)

    def objets(self, *, filtres: Filtres, demonstration: bool):
        return selectors.departements(filtres=filtres, campagne=True)

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        gouvernances = selectors.gouvernances_de([d.code for d in objets], demonstration=demonstration)
        ids = [g.pk for g in gouvernances.values()]
        membres = selectors.membres_comptes_de(ids)
        coporteurs = selectors.coporteurs_de(ids)
        feuilles = selectors.feuilles_comptes_de(ids)
        comites = selectors.comites_comptes_de(ids)
        rows = []
        for departement in objets:
            g = gouvernances.get(departement.code)
            row = {
                "code_departement": departement.code,
                "nom_departement": departement.nom,
                "code_region": departement.region_id,
                "nom_region": departement.region.nom,
                "statut": g.statut if g else NON_REMONTEE,
                "date_remontee_pressentie": _date(g.pressentie_remontee_le) if g else None,
                "date_remontee_definitive": _date(g.definitive_remontee_le) if g else None,
                "coporteurs": None,
                "nombre_coporteurs": None,
                "nombre_membres": None,
                "nombre_comites": None,
                "nombre_feuilles_de_route": None,
                "nombre_feuilles_de_route_approuvees": None,
                "page_publique": settings.SITE_URL
                + reverse("gouvernances:publique", kwargs={"code": departement.code}),
            }
            if g is not None:
                noms = [m.nom for m in coporteurs.get(g.pk, [])]
                counts = membres.get(g.pk, {})
                fdr = feuilles.get(g.pk, {})
                row.update(
                    coporteurs=SEPARATEUR.join(noms) or None,
                    nombre_coporteurs=counts.get("coporteurs", 0),
                    nombre_membres=counts.get("membres", 0),
                    nombre_comites=comites.get(g.pk, 0),
                    nombre_feuilles_de_route=fdr.get("feuilles", 0),
                    nombre_feuilles_de_route_approuvees=fdr.get("approuvees", 0),
                )
            rows.append(row)
        return rows


def _date(value):
    return timezone.localdate(value) if value else None
