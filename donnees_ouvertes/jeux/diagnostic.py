"""Diagnostic per commune: the territory referential's population and the figures the platform
computes from the open data it imports (lieux de médiation numérique, Aidants Connect).

The indice de fragilité numérique is not republished: La MedNum, its producer, has published no
reuse licence (see the diagnostic's sources page), so it cannot go out under Licence Ouverte.
A source whose data are demonstration (`demonstration.sources_demonstration`) leaves its
columns empty."""

from diagnostic.enums import Source
from diagnostic.selectors import derniers_imports

from .. import selectors
from ..demonstration import sources_demonstration
from ..schema import CODE_COMMUNE, CODE_DEPARTEMENT, SIREN, Champ, CleEtrangere, Filtres, Jeu

LIEUX = (
    "nombre_lieux",
    "lieux_pour_10000_habitants",
    "lieux_france_services",
    "lieux_conseillers_numeriques",
)
AIDANTS_CONNECT = ("structures_aidants_connect", "aidants_connect")


class DiagnosticCommunes(Jeu):
    slug = "diagnostic-communes"
    titre = "Diagnostic de l'inclusion numérique par commune"
    description = (
        "Une ligne par commune des départements de la campagne : population municipale (référentiel "
        "Etalab « découpage administratif », millésime 2026), lieux de médiation numérique recensés "
        "(cartographie nationale, standard de La MedNum) et structures habilitées Aidants Connect, tels "
        "que la plateforme les a importés. Une colonne est vide quand sa source n'a pas été importée. "
        "L'indice de fragilité numérique n'est pas repris : son producteur, La MedNum, n'a pas publié "
        "de licence de réutilisation."
    )
    champs = (
        Champ(
            "code_commune",
            "string",
            "Code de la commune",
            "Code officiel géographique (Insee) de la commune.",
            requis=True,
            unique=True,
            motif=CODE_COMMUNE,
        ),
        Champ("nom_commune", "string", "Commune", "Nom de la commune.", requis=True),
        Champ(
            "code_departement",
            "string",
            "Code du département",
            "Code Insee du département de la commune.",
            requis=True,
            motif=CODE_DEPARTEMENT,
        ),
        Champ(
            "code_epci",
            "string",
            "SIREN de l'EPCI",
            "SIREN de l'EPCI à fiscalité propre dont la commune est membre (vide pour les communes "
            "qui n'en ont pas).",
            motif=SIREN,
        ),
        Champ("population", "integer", "Population", "Population municipale.", requis=True, minimum=0),
        Champ(
            "nombre_lieux",
            "integer",
            "Lieux de médiation numérique",
            "Lieux de médiation numérique situés dans la commune.",
            minimum=0,
        ),
        Champ(
            "lieux_pour_10000_habitants",
            "number",
            "Lieux pour 10 000 habitants",
            "Lieux de médiation numérique pour 10 000 habitants (arrondi au centième).",
            minimum=0,
        ),
        Champ(
            "lieux_france_services",
            "integer",
            "Lieux France services",
            "Lieux de médiation numérique labellisés France services.",
            minimum=0,
        ),
        Champ(
            "lieux_conseillers_numeriques",
            "integer",
            "Lieux avec conseillers numériques",
            "Lieux de médiation numérique où interviennent des conseillers numériques.",
            minimum=0,
        ),
        Champ(
            "structures_aidants_connect",
            "integer",
            "Structures Aidants Connect",
            "Structures habilitées Aidants Connect actives dans la commune.",
            minimum=0,
        ),
        Champ(
            "aidants_connect",
            "integer",
            "Aidants habilités Aidants Connect",
            "Aidants habilités des structures Aidants Connect actives de la commune.",
            minimum=0,
        ),
    )
    cle_primaire = ("code_commune",)
    cles_etrangeres = (CleEtrangere(("code_departement",), "gouvernances", ("code_departement",)),)

    def objets(self, *, filtres: Filtres, demonstration: bool):
        return selectors.communes_diagnostic(filtres=filtres)

    def lignes(self, objets: list, *, demonstration: bool) -> list[dict]:
        # A source never imported has no figure (not zero); a demonstration source is left out.
        absentes = {s for s in (Source.LIEUX, Source.AIDANTS_CONNECT) if s not in derniers_imports()}
        if not demonstration:
            absentes |= sources_demonstration()
        vides = set()
        if Source.LIEUX in absentes:
            vides.update(LIEUX)
        if Source.AIDANTS_CONNECT in absentes:
            vides.update(AIDANTS_CONNECT)
        rows = []
        for commune in objets:
            densite = commune.lieux_pour_10000
            row = {
                "code_commune": commune.code,
                "nom_commune": commune.nom,
                "code_departement": commune.departement_id,
                "code_epci": commune.epci_id,
                "population": commune.population,
                "nombre_lieux": commune.nb_lieux,
                "lieux_pour_10000_habitants": round(densite, 2) if densite is not None else None,
                "lieux_france_services": commune.nb_lieux_france_services,
                "lieux_conseillers_numeriques": commune.nb_lieux_conseillers_numeriques,
                "structures_aidants_connect": commune.nb_structures_aidants_connect,
                "aidants_connect": commune.nb_aidants,
            }
            rows.append({name: (None if name in vides else value) for name, value in row.items()})
        return rows
