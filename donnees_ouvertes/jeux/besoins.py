"""Besoins en ingénierie, consolidated per département: what each public gouvernance asked for,
counted the way the préfecture's page counts it (`besoins.rules.totaux`). Free texts (the
« autre » précisions, the études, the structure proposed for the chef de projet) are left out:
they may name people."""

from besoins.enums import ITEMS_BY_CATEGORIE, Categorie, Item
from besoins.rules import totaux

from .. import selectors
from ..schema import CODE_DEPARTEMENT, SEPARATEUR, Champ, CleEtrangere, Filtres, Jeu, liste

CODES_BESOINS = "(" + "|".join(Item.values) + ")"


def _champ_categorie(categorie: Categorie) -> Champ:
    return Champ(
        f"besoins_{categorie.value}",
        "integer",
        f"Besoins — {categorie.label[0].lower()}{categorie.label[1:]}",
        f"Nombre de besoins retenus dans la catégorie « {categorie.label} ».",
        requis=True,
        minimum=0,
    )


class BesoinsIngenierie(Jeu):
    slug = "besoins-ingenierie"
    titre = "Besoins en ingénierie des gouvernances, par département"
    description = (
        "Une ligne par département dont la gouvernance remontée a exprimé des besoins en ingénierie : "
        "les besoins retenus (codes de la liste de la circulaire), leur nombre par catégorie, les "
        "ressources humaines (en ETP), prestations de service et personnes à former demandées, et le "
        "besoin d'un chef de projet « Financement de l'inclusion numérique »."
    )
    champs = (
        Champ(
            "code_departement",
            "string",
            "Code du département",
            "Code Insee du département de la gouvernance.",
            requis=True,
            unique=True,
            motif=CODE_DEPARTEMENT,
        ),
        Champ(
            "besoins",
            "string",
            "Besoins retenus",
            "Codes des besoins retenus, séparés par « | », dans l'ordre de la liste : "
            + " ; ".join(f"« {item.value} » : {item.label}" for item in Item)
            + ".",
            requis=True,
            motif=liste(CODES_BESOINS),
        ),
        Champ("nombre_besoins", "integer", "Nombre de besoins", "Besoins retenus.", requis=True, minimum=1),
        *(_champ_categorie(categorie) for categorie in Categorie),
        Champ(
            "besoins_ressource_humaine",
            "integer",
            "Besoins en ressource humaine",
            "Besoins pour lesquels une ressource humaine est demandée.",
            requis=True,
            minimum=0,
        ),
        Champ(
            "etp",
            "number",
            "ETP demandés",
            "Total des ressources humaines demandées, en équivalents temps plein.",
            requis=True,
            minimum=0,
        ),
        Champ(
            "besoins_prestation",
            "integer",
            "Besoins en prestation",
            "Besoins pour lesquels une prestation de service est demandée.",
            requis=True,
            minimum=0,
        ),
        Champ(
            "personnes_a_former",
            "integer",
            "Personnes à former",
            "Total des personnes à former (besoins de formation des professionnels).",
            requis=True,
            minimum=0,
        ),
        Champ(
            "chef_de_projet",
            "boolean",
            "Chef de projet « Financement »",
            "Besoin d'un chef de projet « Financement de l'inclusion numérique » (vide : non renseigné).",
        ),
    )
    cle_primaire = ("code_departement",)
    cles_etrangeres = (CleEtrangere(("code_departement",), "gouvernances", ("code_departement",)),)

    def objets(self, *, filtres: Filtres, demonstration: bool):
        return selectors.besoins_publics(filtres=filtres, demonstration=demonstration)

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        lignes = selectors.lignes_de_besoins([b.pk for b in objets])
        ordre = {item: index for index, item in enumerate(Item.values)}
        rows = []
        for besoins in objets:
            selection = sorted(lignes.get(besoins.pk, []), key=lambda b: ordre[b.item])
            total = totaux(b.as_ligne() for b in selection)
            par_categorie = {
                categorie: sum(1 for b in selection if b.item in ITEMS_BY_CATEGORIE[categorie])
                for categorie in Categorie
            }
            rows.append(
                {
                    "code_departement": besoins.gouvernance.departement_id,
                    "besoins": SEPARATEUR.join(b.item for b in selection),
                    "nombre_besoins": total.besoins,
                    **{f"besoins_{c.value}": n for c, n in par_categorie.items()},
                    "besoins_ressource_humaine": sum(1 for b in selection if b.ressource_humaine),
                    "etp": total.etp,
                    "besoins_prestation": total.prestations,
                    "personnes_a_former": total.personnes_a_former,
                    "chef_de_projet": besoins.chef_de_projet,
                }
            )
        return rows
