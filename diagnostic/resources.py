"""Export of a département's commune table (the public data page's filters apply)."""

from core.exports import ExportResource, column


class CommuneExportResource(ExportResource):
    """One row per commune of selectors.communes_indicateurs."""

    sheet_title = "Communes"

    code = column("Code INSEE", "code", text=True)
    nom = column("Commune", "nom")
    epci = column("EPCI", lambda c: c.epci.nom if c.epci else None)
    population = column("Population", "population")
    lieux = column("Lieux de médiation numérique", "nb_lieux")
    densite = column(
        "Lieux pour 10 000 habitants",
        lambda c: None if c.lieux_pour_10000 is None else round(c.lieux_pour_10000, 2),
    )
    ifn = column("Indice de fragilité numérique", "ifn")
    aidants = column("Aidants Connect", "nb_aidants")
    ifn_thd = column("Sous-indice : absence de très haut débit", "ifn_thd")
    ifn_4g = column("Sous-indice : absence de couverture 4G", "ifn_4g")
    ifn_pauvrete = column("Sous-indice : taux de pauvreté", "ifn_pauvrete")
    ifn_65_ans = column("Sous-indice : part des 65 ans et plus", "ifn_65_ans")
    ifn_diplomes = column("Sous-indice : part des peu ou pas diplômés", "ifn_diplomes")
