"""The national dashboard's charts, from the figures selectors.tableau_de_bord computed (no query)."""

from core.charts import Graphique, graphique_barres
from core.formats import french_date

from .selectors import TableauDeBord


def graphiques_tableau_de_bord(bord: TableauDeBord) -> dict[str, Graphique]:
    return {
        "avancement": graphique_barres(
            identifiant="graphique-avancement",
            titre="Avancement par échéance : départements ayant atteint le statut attendu",
            entete="Échéance",
            series=["À ce statut aujourd'hui", "Remontés à temps"],
            categories=[
                (f"{a.echeance.libelle} ({french_date(a.echeance.date_limite)})", [a.atteints, a.a_temps])
                for a in bord.avancement
            ],
            maximum=bord.nb_departements,
        ),
        "candidats": graphique_barres(
            identifiant="graphique-candidats",
            titre="Candidats par typologie et par intention",
            entete="Typologie",
            series=["Porter une feuille de route", "Participer à l'élaboration"],
            categories=[(ligne.libelle, [ligne.porter, ligne.participer]) for ligne in bord.candidats],
        ),
        "besoins": graphique_barres(
            identifiant="graphique-besoins",
            titre="Besoins en ingénierie par catégorie : départements qui les expriment",
            entete="Catégorie",
            series=["Départements"],
            categories=[
                (categorie.libelle, [categorie.departements]) for categorie, _ in bord.besoins.categories
            ],
            maximum=bord.nb_departements,
        ),
    }
