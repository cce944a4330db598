"""POST payloads of the gouvernance pages, as a browser would send them."""

NEVERS = "245804406"
HAUT_NIVERNAIS = "200067429"  # Clamecy
MOULINS = "200071140"  # straddles Allier and Nièvre
LOIRE_ALLIER = "245801063"


def contact(prefix: str, n: int | str = 1) -> dict:
    return {
        f"{prefix}-referent_prenom": "Rémi",
        f"{prefix}-referent_nom": f"Référent {n}",
        f"{prefix}-referent_fonction": "Vice-président",
        f"{prefix}-referent_email": f"referent{n}@example.org",
        f"{prefix}-suppleant_prenom": "Sophie",
        f"{prefix}-suppleant_nom": f"Suppléante {n}",
        f"{prefix}-suppleant_fonction": "Chargée de mission",
        f"{prefix}-suppleant_email": f"suppleante{n}@example.org",
    }


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def full_form(**overrides) -> dict:
    data = {
        "version": "0",  # the creation page read no gouvernance
        "sous_prefet-prenom": "Claire",
        "sous_prefet-nom": "Sous-Préfète",
        "sous_prefet-email": "sous-prefete@nievre.gouv.example",
        **management("membres", 3),
        "membres-0-key": "departement:58",
        "membres-0-est_coporteur": "on",
        **contact("membres-0", 0),
        "membres-1-key": f"epci:{NEVERS}",
        **contact("membres-1", 1),
        "membres-2-structure_nom": "La Poste — Direction régionale",
        "membres-2-structure_siret": "356 000 000 00048",
        **contact("membres-2", 2),
        **management("comites", 1),
        "comites-0-type": "strategique",
        "comites-0-frequence": "semestrielle",
        "comites-0-composition": "Préfet, président du conseil départemental",
        "comites-0-role": "Valider la feuille de route",
        **management("feuilles", 2),
        "feuilles-0-nom": "Feuille de route départementale de la Nièvre",
        "feuilles-0-porteur": "departement:58",
        "feuilles-0-perimetre": "departemental",
        "feuilles-0-contrat": "oui",
        "feuilles-0-contrat_preexistant": "sdun",
        "feuilles-1-nom": "Feuille de route de l'agglomération de Nevers",
        "feuilles-1-porteur": f"epci:{NEVERS}",
        "feuilles-1-perimetre": "epci",
        "feuilles-1-epcis": [NEVERS],
        "feuilles-1-contrat": "non",
        **management("coordination", 1),
        "coordination-0-structure_nom": "Nevers Agglomération",
        "coordination-0-structure_siret": "24580440600008",
        "coordination-0-nombre_postes": "2",
        "note-note_contexte": "<p>Contexte <strong>important</strong></p><script>alert(1)</script>",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
