"""Section II pre-filled from the diagnostic (`diagnostic.selectors.synthese_diagnostic`).

The diagnostic is another app's work: when its selector is missing (not installed yet, or an
older version) the section simply starts empty. Only plain figures are read, by name, so a
field the diagnostic does not provide is skipped rather than breaking the editor.
"""

import logging

logger = logging.getLogger(__name__)


def _synthese(departement):
    try:
        from diagnostic.selectors import synthese_diagnostic
    except ImportError:
        return None
    try:
        return synthese_diagnostic(departement)
    except Exception:  # a diagnostic failure must never prevent writing the feuille de route
        logger.exception("Synthèse du diagnostic indisponible pour le département %s", departement.code)
        return None


def _n(value) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{value:,}".replace(",", "\u202f")


def synthese_textes(departement) -> dict[str, str]:
    """{besoins_publics, offre, enjeux}: sentences built from the figures, for the writers to edit."""
    s = _synthese(departement)
    if s is None:
        return {}

    def get(name):
        return getattr(s, name, None)

    besoins, offre, enjeux = [], [], []
    if get("population") is not None and get("communes") is not None:
        besoins.append(
            f"Le territoire compte {_n(s.population)} habitants répartis dans {_n(s.communes)} communes."
        )
    if get("ifn_moyen") is not None:
        besoins.append(
            f"L'indice de fragilité numérique moyen, pondéré par la population, est de {_n(s.ifn_moyen)} sur 10."
        )
    if get("communes_fragiles") is not None and get("population_fragile") is not None:
        besoins.append(
            f"{_n(s.communes_fragiles)} communes ({_n(s.population_fragile)} habitants) présentent une forte fragilité numérique."
        )
    if get("lieux") is not None:
        phrase = f"{_n(s.lieux)} lieux de médiation numérique sont recensés"
        if get("lieux_pour_10000_habitants") is not None:
            phrase += f", soit {_n(s.lieux_pour_10000_habitants)} pour 10 000 habitants"
        offre.append(phrase + ".")
    labels = [
        ("lieux_france_services", "labellisés France services"),
        ("lieux_conseillers_numeriques", "accueillant des conseillers numériques"),
        ("lieux_aidants_connect", "habilités Aidants Connect"),
        ("lieux_itinerants", "itinérants"),
    ]
    details = [f"{_n(get(name))} {label}" for name, label in labels if get(name) is not None]
    if details:
        offre.append("Parmi eux : " + ", ".join(details) + ".")
    if get("aidants_connect_aidants") is not None:
        offre.append(f"{_n(s.aidants_connect_aidants)} aidants Aidants Connect sont habilités.")
    if get("accompagnements") is not None:
        offre.append(f"Les conseillers numériques ont réalisé {_n(s.accompagnements)} accompagnements.")
    if get("communes_sans_lieu") is not None and get("population_sans_lieu") is not None:
        enjeux.append(
            f"{_n(s.communes_sans_lieu)} communes ({_n(s.population_sans_lieu)} habitants) n'ont aucun lieu de médiation numérique."
        )
    noms = get("communes_fragiles_sans_lieu_noms") or []
    if noms:
        enjeux.append(
            "Zones à densifier en priorité (communes fragiles sans lieu) : " + ", ".join(noms) + "."
        )
    textes = {"besoins_publics": besoins, "offre": offre, "enjeux": enjeux}
    source = "Source : diagnostic territorial de l'Espace France Numérique Ensemble."
    return {k: "\n".join([*v, source]) for k, v in textes.items() if v}
