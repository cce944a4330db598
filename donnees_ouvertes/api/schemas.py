"""The API's response and parameter schemas, made from the data sets' declarations: a resource's
fields are its Table Schema's, name for name, with the same descriptions and constraints."""

from typing import Literal

from ninja import Schema
from pydantic import Field, create_model

from ..schema import Jeu

PAR_PAGE_DEFAUT = 100
PAR_PAGE_MAX = 1000

CODE_REGION = r"^\d{2,3}$"
CODE_DEPARTEMENT = r"^(\d{2}|2[AB]|\d{3})$"
SIREN = r"^\d{9}$"


def _annotation(champ):
    annotation = Literal[tuple(champ.valeurs)] if champ.valeurs is not None else champ.python_type
    return annotation if champ.requis else annotation | None


def _field(champ):
    constraints = {}
    if champ.motif is not None:
        # Table Schema's patterns are anchored; JSON Schema's (and pydantic's) are not.
        constraints["pattern"] = f"^(?:{champ.motif})$"
    if champ.minimum is not None:
        constraints["ge"] = champ.minimum
    if champ.maximum is not None:
        constraints["le"] = champ.maximum
    return Field(
        ... if champ.requis else None, title=champ.titre, description=champ.description, **constraints
    )


def _nom(jeu: Jeu) -> str:
    return "".join(part.capitalize() for part in jeu.slug.replace("-", " ").split())


def schema_ligne(jeu: Jeu) -> type[Schema]:
    """One row of the data set."""
    model = create_model(
        _nom(jeu),
        __base__=Schema,
        __doc__=jeu.titre,
        **{champ.nom: (_annotation(champ), _field(champ)) for champ in jeu.champs},
    )
    return model


def schema_page(jeu: Jeu, ligne: type[Schema]) -> type[Schema]:
    """A page of the data set's rows, with what leads to the others."""
    return create_model(
        f"Page{_nom(jeu)}",
        __base__=Schema,
        __doc__=f"Une page de la liste « {jeu.titre} ».",
        total=(int, Field(description="Nombre de résultats, toutes pages confondues.")),
        page=(int, Field(description="Numéro de cette page (à partir de 1).")),
        pages=(int, Field(description="Nombre de pages.")),
        par_page=(int, Field(description="Nombre de résultats par page.")),
        page_suivante=(
            str | None,
            Field(None, description="Adresse de la page suivante (vide sur la dernière)."),
        ),
        page_precedente=(
            str | None,
            Field(None, description="Adresse de la page précédente (vide sur la première)."),
        ),
        resultats=(list[ligne], Field(description="Les résultats de cette page.")),
    )


# --- Query parameters ----------------------------------------------------------------------------


class Pagination(Schema):
    page: int = Field(1, ge=1, description="Numéro de la page (à partir de 1).")
    par_page: int = Field(
        PAR_PAGE_DEFAUT,
        ge=1,
        le=PAR_PAGE_MAX,
        description=f"Nombre de résultats par page (au plus {PAR_PAGE_MAX}).",
    )


class ParTerritoire(Pagination):
    region: str | None = Field(
        None, pattern=CODE_REGION, description="Code Insee d'une région (par exemple 27)."
    )
    departement: str | None = Field(
        None, pattern=CODE_DEPARTEMENT, description="Code Insee d'un département (par exemple 58)."
    )


class ParametresEpci(ParTerritoire):
    q: str | None = Field(
        None,
        min_length=2,
        max_length=100,
        description="Recherche par nom ou par SIREN (au moins 2 caractères).",
    )


class ParametresCommunes(ParTerritoire):
    epci: str | None = Field(None, pattern=SIREN, description="SIREN d'un EPCI : ses communes.")
    q: str | None = Field(
        None,
        min_length=2,
        max_length=100,
        description="Recherche par nom, code Insee ou code postal (au moins 2 caractères), "
        "sans tenir compte des accents ; les meilleures correspondances d'abord.",
    )


class ParametresDiagnostic(ParTerritoire):
    epci: str | None = Field(None, pattern=SIREN, description="SIREN d'un EPCI : ses communes.")
