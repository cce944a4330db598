"""What the open-data pages show, assembled from what their views read (no query here)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse

from core.formats import french_date, french_datetime, french_number
from gouvernances.enums import StatutGouvernance

from .api import limite_en_clair
from .api.documentation import documentation
from .enums import Format
from .jeux import PUBLIES
from .schema import LICENCE, Jeu

NOCTURNE = "donnees-ouvertes-publication-nocturne"
LISTES_API = (
    "gouvernances",
    "membres",
    "feuilles_de_route",
    "besoins",
    "diagnostic",
    "regions",
    "departements",
    "epcis",
    "communes",
)


def taille_en_clair(octets: int) -> str:
    """« 512 octets », « 12,3 ko », « 3,4 Mo »."""
    if octets < 1000:
        return f"{octets} octet{'s' if octets > 1 else ''}"
    if octets < 1_000_000:
        return f"{french_number(octets / 1000, decimals=1)}\u00a0ko"
    return f"{french_number(octets / 1_000_000, decimals=1)}\u00a0Mo"


@dataclass
class Telechargement:
    format: str
    url: str
    taille: str


@dataclass
class JeuAffiche:
    jeu: Jeu
    schema_url: str
    api_url: str
    lignes: int | None = None
    modifie_le: object = None
    telechargements: list[Telechargement] = field(default_factory=list)

    @property
    def mise_a_jour(self) -> str:
        return french_date(self.modifie_le)

    @property
    def lignes_texte(self) -> str:
        if self.lignes is None:
            return ""
        return f"{french_number(self.lignes)} ligne{'s' if self.lignes > 1 else ''}"


def jeux_affiches(fichiers: dict) -> list[JeuAffiche]:
    rows = []
    api_names = dict(zip(PUBLIES, LISTES_API, strict=False))
    for slug, jeu in PUBLIES.items():
        row = JeuAffiche(
            jeu=jeu,
            schema_url=reverse("donnees_ouvertes:schema", kwargs={"jeu": slug}),
            api_url=reverse(f"api:{api_names[slug]}"),
        )
        for fmt in Format:
            publie = fichiers.get((slug, fmt.value))
            if publie is None:
                continue
            row.lignes = publie.lignes
            row.modifie_le = max(filter(None, [row.modifie_le, publie.modifie_le]))
            row.telechargements.append(
                Telechargement(
                    fmt.label,
                    reverse("donnees_ouvertes:fichier", kwargs={"jeu": slug, "fmt": fmt.value}),
                    taille_en_clair(publie.taille),
                )
            )
        rows.append(row)
    return rows


def publication_en_clair(publication) -> str:
    """« 12 mai 2026 à 03h31 », when the last build ended."""
    return french_datetime(publication.fin) if publication else ""


def prochaine_publication() -> str:
    """« chaque nuit à 3 h 30 », from Celery beat's schedule."""
    entry = settings.CELERY_BEAT_SCHEDULE.get(NOCTURNE)
    schedule = entry["schedule"] if entry else None
    hours, minutes = getattr(schedule, "hour", None), getattr(schedule, "minute", None)
    if not hours or not minutes or len(hours) != 1 or len(minutes) != 1:
        return "chaque nuit"
    return f"chaque nuit à {min(hours)} h {min(minutes):02d}"


def _url(base: str, name: str, **kwargs) -> str:
    return base + reverse(name, kwargs=kwargs)


def datapackage(fichiers: dict, *, base: str) -> dict | None:
    """The Data Package of the published CSV files (None before the first build)."""
    resources = []
    for slug, jeu in PUBLIES.items():
        publie = fichiers.get((slug, Format.CSV.value))
        if publie is None:
            continue
        resources.append(
            {
                "name": slug,
                "title": jeu.titre,
                "description": jeu.description,
                "path": _url(base, "donnees_ouvertes:fichier", jeu=slug, fmt="csv"),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "header": True},
                "bytes": publie.taille,
                "hash": f"sha256:{publie.empreinte}",
                "schema": jeu.table_schema(),
                "licenses": [LICENCE],
            }
        )
    if not resources:
        return None
    return {
        "profile": "tabular-data-package",
        "name": "espace-france-numerique-ensemble",
        "title": "Données ouvertes de l'Espace France Numérique Ensemble",
        "description": (
            "Gouvernances territoriales de l'inclusion numérique, leurs membres, feuilles de route, "
            "besoins en ingénierie et diagnostic par commune (feuille de route France Numérique "
            "Ensemble, axe 4 : « dites-le-nous une fois »)."
        ),
        "homepage": _url(base, "donnees_ouvertes:liste"),
        "licenses": [LICENCE],
        "resources": resources,
    }


# --- Public index of the gouvernances ---------------------------------------------------------------


@dataclass
class LigneIndex:
    departement: object
    gouvernance: object
    feuilles: list
    url: str

    @property
    def statut(self) -> str:
        if self.gouvernance is None:
            return "Non remontée"
        return StatutGouvernance(self.gouvernance.statut).label

    @property
    def demonstration(self) -> bool:
        return bool(self.gouvernance is not None and self.gouvernance.est_demonstration)


@dataclass
class RegionIndex:
    code: str
    nom: str
    lignes: list[LigneIndex] = field(default_factory=list)

    @property
    def remontees(self) -> int:
        return sum(1 for ligne in self.lignes if ligne.gouvernance is not None)

    @property
    def resume(self) -> str:
        """« 1 gouvernance remontée sur 8 départements » (French: singular below two)."""
        remontees, total = self.remontees, len(self.lignes)
        s_remontees = "s" if remontees > 1 else ""
        return (
            f"{remontees} gouvernance{s_remontees} remontée{s_remontees} "
            f"sur {total} département{'s' if total > 1 else ''}."
        )


def index_par_region(departements, gouvernances: dict, feuilles: dict) -> list[RegionIndex]:
    regions: dict[str, RegionIndex] = {}
    for departement in departements:
        region = regions.setdefault(
            departement.region_id, RegionIndex(departement.region_id, departement.region.nom)
        )
        gouvernance = gouvernances.get(departement.code)
        region.lignes.append(
            LigneIndex(
                departement=departement,
                gouvernance=gouvernance,
                feuilles=feuilles.get(gouvernance.pk, []) if gouvernance else [],
                url=reverse("gouvernances:publique", kwargs={"code": departement.code}),
            )
        )
    return list(regions.values())


# --- The API's documentation --------------------------------------------------------------------------


def limite_api() -> str:
    return limite_en_clair(settings.FNE_API_LIMITE)


def documentation_api():
    return documentation()
