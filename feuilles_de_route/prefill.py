"""Section II of a feuille de route pre-filled from the diagnostic's figures: sentences the
writers then edit. Figures a source did not provide (not imported yet) are left out."""

from core.formats import french_number as _n
from diagnostic.selectors import synthese_diagnostic

SOURCE = "Source : diagnostic territorial de l'Espace France Numérique Ensemble."


def synthese_textes(departement) -> dict[str, str]:
    """{besoins_publics, offre, enjeux}: the sentences of each part that has figures."""
    s = synthese_diagnostic(departement)
    besoins, offre, enjeux = [], [], []
    besoins.append(
        f"Le territoire compte {_n(s.population)} habitants répartis dans {_n(s.communes)} communes."
    )
    if s.ifn_moyen is not None:
        besoins.append(
            f"L'indice de fragilité numérique moyen, pondéré par la population, est de {_n(s.ifn_moyen)} sur 10."
        )
    besoins.append(
        f"{_n(s.communes_fragiles)} communes ({_n(s.population_fragile)} habitants) présentent une forte fragilité numérique."
    )
    phrase = f"{_n(s.lieux)} lieux de médiation numérique sont recensés"
    if s.lieux_pour_10000_habitants is not None:
        phrase += f", soit {_n(s.lieux_pour_10000_habitants)} pour 10 000 habitants"
    offre.append(phrase + ".")
    labels = [
        (s.lieux_france_services, "labellisés France services"),
        (s.lieux_conseillers_numeriques, "accueillant des conseillers numériques"),
        (s.lieux_aidants_connect, "habilités Aidants Connect"),
        (s.lieux_itinerants, "itinérants"),
    ]
    offre.append("Parmi eux : " + ", ".join(f"{_n(n)} {label}" for n, label in labels) + ".")
    if s.aidants_connect_aidants is not None:
        offre.append(f"{_n(s.aidants_connect_aidants)} aidants Aidants Connect sont habilités.")
    if s.accompagnements is not None:
        offre.append(f"Les conseillers numériques ont réalisé {_n(s.accompagnements)} accompagnements.")
    enjeux.append(
        f"{_n(s.communes_sans_lieu)} communes ({_n(s.population_sans_lieu)} habitants) n'ont aucun lieu de médiation numérique."
    )
    if s.communes_fragiles_sans_lieu_noms:
        enjeux.append(
            "Zones à densifier en priorité (communes fragiles sans lieu) : "
            + ", ".join(s.communes_fragiles_sans_lieu_noms)
            + "."
        )
    textes = {"besoins_publics": besoins, "offre": offre, "enjeux": enjeux}
    return {k: "\n".join([*v, SOURCE]) for k, v in textes.items() if v}
