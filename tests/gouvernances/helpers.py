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


# The fields each row of the creation page's formsets renders, in page order. A browser sends
# every one of them, blank or not (checkboxes and radios aside): a row lacking one is refused as
# incomplete. `test_the_helper_rows_are_the_rows_the_page_renders` keeps this in step with the page.
CONTACT_FIELDS = tuple(name.removeprefix("x-") for name in contact("x"))
ROW_FIELDS = {
    "membres": ("id", "key", "structure_nom", "structure_siret", *CONTACT_FIELDS),
    "comites": ("type", "type_precision", "frequence", "composition", "role"),
    "feuilles": ("id", "nom", "porteur", "contrat_preexistant", "contrat_description"),
    "coordination": ("structure_nom", "structure_siret", "nombre_postes"),
}


def row(prefix: str, index: int, **values) -> dict:
    """One formset row as a browser sends it: every rendered field, blank unless given."""
    return {
        **{f"{prefix}-{index}-{name}": "" for name in ROW_FIELDS[prefix]},
        **{f"{prefix}-{index}-{name}": value for name, value in values.items()},
    }


def full_form(**overrides) -> dict:
    data = {
        "version": "0",  # the creation page read no gouvernance
        "sous_prefet-prenom": "Claire",
        "sous_prefet-nom": "Sous-Préfète",
        "sous_prefet-email": "sous-prefete@nievre.gouv.example",
        **management("membres", 3),
        **row("membres", 0, key="departement:58", est_coporteur="on"),
        **contact("membres-0", 0),
        **row("membres", 1, key=f"epci:{NEVERS}"),
        **contact("membres-1", 1),
        **row(
            "membres", 2, structure_nom="La Poste — Direction régionale", structure_siret="356 000 000 00048"
        ),
        **contact("membres-2", 2),
        **management("comites", 1),
        **row(
            "comites",
            0,
            type="strategique",
            frequence="semestrielle",
            composition="Préfet, président du conseil départemental",
            role="Valider la feuille de route",
        ),
        **management("feuilles", 2),
        **row(
            "feuilles",
            0,
            nom="Feuille de route départementale de la Nièvre",
            porteur="departement:58",
            perimetre="departemental",
            contrat="oui",
            contrat_preexistant="sdun",
        ),
        **row(
            "feuilles",
            1,
            nom="Feuille de route de l'agglomération de Nevers",
            porteur=f"epci:{NEVERS}",
            perimetre="epci",
            epcis=[NEVERS],
            contrat="non",
        ),
        **management("coordination", 1),
        **row(
            "coordination",
            0,
            structure_nom="Nevers Agglomération",
            structure_siret="24580440600008",
            nombre_postes="2",
        ),
        "note-note_contexte": "<p>Contexte <strong>important</strong></p><script>alert(1)</script>",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}
