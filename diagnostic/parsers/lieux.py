"""Lieux de médiation numérique: the national standard CSV v1.0.2 and the older 0.x JSON.

v1.0.2 (LaMednum/standard-mediation-num): a comma-separated CSV, multi-valued fields joined
with `|`, national programmes in `dispositif_programmes_nationaux`, no QPV/ZRR field.
0.x (cartographie nationale, 2022–2023): a JSON array, multi-values joined with `;`, programmes in
`labels_nationaux` with abbreviations (CNFS, APTIC), `labels_autres` carrying « QPV »/« ZRR ».
Both are normalised to `LieuRow`. `code_insee` may be missing (it is optional in the standard):
the service then recovers it from the postal code and the commune name.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from ..enums import Dispositif
from .common import (
    COMMUNE_CODE,
    POSTAL_CODE,
    ParseError,
    clean,
    excerpt,
    fold,
    iter_json_array,
    parse_date,
    parse_float,
    read_csv,
    split_multi,
)

V1_COLUMNS = [
    "id",
    "pivot",
    "nom",
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "latitude",
    "longitude",
    "typologie",
    "telephone",
    "courriels",
    "site_web",
    "horaires",
    "presentation_resume",
    "presentation_detail",
    "source",
    "itinerance",
    "structure_parente",
    "date_maj",
    "services",
    "publics_specifiquement_adresses",
    "prise_en_charge_specifique",
    "frais_a_charge",
    "dispositif_programmes_nationaux",
    "formations_labels",
    "autres_formations_labels",
    "modalites_acces",
    "modalites_accompagnement",
    "fiche_acces_libre",
    "prise_rdv",
]
V1_REQUIRED = ("id", "nom", "commune", "code_postal", "adresse")

# date_maj placeholders: the Unix epoch shifted to the previous day by a time zone (1969-12-31)
# is what a null timestamp became in the 0.x exports.
PLACEHOLDER_DATES = {date(1969, 12, 31), date(1970, 1, 1)}

_DISPOSITIFS = {fold(d.value): d.value for d in Dispositif}
_DISPOSITIFS.update(
    {
        "cnfs": Dispositif.CONSEILLERS_NUMERIQUES.value,
        "conseiller numerique": Dispositif.CONSEILLERS_NUMERIQUES.value,
        "conseiller numerique france services": Dispositif.CONSEILLERS_NUMERIQUES.value,
        "conseillers numeriques france services": Dispositif.CONSEILLERS_NUMERIQUES.value,
        "france service": Dispositif.FRANCE_SERVICES.value,
        "espace france services": Dispositif.FRANCE_SERVICES.value,
        "aidant connect": Dispositif.AIDANTS_CONNECT.value,
        "pass numerique": Dispositif.APTIC.value,
        "bibliotheques numeriques de reference": Dispositif.BNR.value,
    }
)


@dataclass(frozen=True)
class LieuRow:
    line: int
    identifiant: str
    source: str
    nom: str
    commune: str
    code_postal: str
    code_insee: str
    adresse: str
    pivot: str = ""
    complement_adresse: str = ""
    latitude: float | None = None
    longitude: float | None = None
    typologies: tuple[str, ...] = ()
    itinerant: bool = False
    date_maj: date | None = None
    services: tuple[str, ...] = ()
    dispositifs: tuple[str, ...] = ()
    en_qpv: bool = False
    en_zrr: bool = False
    warnings: tuple[str, ...] = field(default=())


def _dispositifs(values: tuple[str, ...], warnings: list[str]) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        known = _DISPOSITIFS.get(fold(value))
        if known is None:
            warnings.append(f"dispositif inconnu ignoré : « {value} »")
        elif known not in found:
            found.append(known)
    return tuple(found)


def _build(line: int, data: dict, *, separator: str, dispositifs_raw: str, autres_labels: str) -> LieuRow:
    """Common validation; raises ValueError with the reason to reject the record."""
    values = {key: clean(data.get(key)) for key in V1_COLUMNS}
    missing = [key for key in V1_REQUIRED if not values[key]]
    if missing:
        raise ValueError("champ obligatoire vide : " + ", ".join(missing))
    warnings: list[str] = []
    code_postal = values["code_postal"]
    if len(code_postal) == 4 and code_postal.isdigit():
        code_postal = "0" + code_postal  # a spreadsheet dropped the leading zero
    if not POSTAL_CODE.match(code_postal):
        raise ValueError(f"code postal invalide : « {values['code_postal']} »")
    code_insee = values["code_insee"].upper()
    if len(code_insee) == 4 and code_insee.isdigit():
        code_insee = "0" + code_insee
    if code_insee and not COMMUNE_CODE.match(code_insee):
        warnings.append(f"code INSEE invalide ignoré : « {values['code_insee']} »")
        code_insee = ""
    try:
        date_maj = parse_date(values["date_maj"])
    except ValueError:
        warnings.append(f"date de mise à jour invalide ignorée : « {values['date_maj']} »")
        date_maj = None
    if date_maj in PLACEHOLDER_DATES:
        warnings.append(f"date de mise à jour {date_maj.isoformat()} (valeur par défaut) ignorée")
        date_maj = None
    try:
        latitude = parse_float(values["latitude"], "latitude")
        longitude = parse_float(values["longitude"], "longitude")
    except ValueError as error:
        warnings.append(f"coordonnées ignorées ({error})")
        latitude = longitude = None
    pivot = values["pivot"]
    if pivot and set(pivot) == {"0"}:
        pivot = ""  # « 00000000000000 »: no SIRET known
    autres = {fold(label) for label in split_multi(autres_labels, separator)}
    return LieuRow(
        line=line,
        identifiant=values["id"],
        source=values["source"],
        nom=values["nom"],
        commune=values["commune"],
        code_postal=code_postal,
        code_insee=code_insee,
        adresse=" ".join(values["adresse"].split()),
        pivot=pivot,
        complement_adresse=values["complement_adresse"],
        latitude=latitude,
        longitude=longitude,
        typologies=tuple(t.upper() for t in split_multi(values["typologie"], separator)),
        itinerant="itinerant" in fold(values["itinerance"]).split(),
        date_maj=date_maj,
        services=split_multi(values["services"], separator),
        dispositifs=_dispositifs(split_multi(dispositifs_raw, separator), warnings),
        en_qpv="qpv" in autres,
        en_zrr="zrr" in autres,
        warnings=tuple(warnings),
    )


def parse_lieux_csv(lines: Iterable[str]) -> Iterator[LieuRow | ParseError]:
    """Standard v1.0.2 CSV. `lines`: the file opened in text mode with newline=""."""
    seen: dict[str, int] = {}
    for line, record in read_csv(lines, required=V1_REQUIRED):
        if isinstance(record, list):
            yield ParseError(
                line, f"{len(record)} colonnes au lieu de celles de l'en-tête", excerpt(",".join(record))
            )
            continue
        try:
            row = _build(
                line,
                record,
                separator="|",
                dispositifs_raw=record.get("dispositif_programmes_nationaux", ""),
                autres_labels="",
            )
        except ValueError as error:
            yield ParseError(line, str(error), excerpt(",".join(record.values())))
            continue
        key = f"{row.source}\x00{row.identifiant}"
        if key in seen:
            yield ParseError(
                line, f"identifiant « {row.identifiant} » déjà vu ligne {seen[key]}", excerpt(row.nom)
            )
            continue
        seen[key] = line
        yield row


def parse_lieux_json(text: str) -> Iterator[LieuRow | ParseError]:
    """Format 0.x: a JSON array of flat objects, `;` separators, labels_nationaux/labels_autres."""
    seen: dict[str, int] = {}
    for line, where, element in iter_json_array(text):
        if not isinstance(element, dict):
            yield ParseError(line, f"{where} : pas un objet JSON", excerpt(element))
            continue
        data = dict(element)
        data.setdefault("itinerance", "")
        try:
            row = _build(
                line,
                data,
                separator=";",
                dispositifs_raw=";".join(
                    filter(
                        None,
                        [
                            clean(data.get("labels_nationaux")),
                            clean(data.get("dispositif_programmes_nationaux")),
                        ],
                    )
                ),
                autres_labels=clean(data.get("labels_autres")),
            )
        except ValueError as error:
            yield ParseError(line, f"{where} : {error}", excerpt(element))
            continue
        key = f"{row.source}\x00{row.identifiant}"
        if key in seen:
            yield ParseError(
                line, f"identifiant « {row.identifiant} » déjà vu ligne {seen[key]}", excerpt(row.nom)
            )
            continue
        seen[key] = line
        yield row


def parse_lieux(text: str) -> Iterator[LieuRow | ParseError]:
    """Either format, told apart by the first character (a JSON array starts with `[`)."""
    if text.lstrip("\ufeff \t\r\n").startswith("["):
        return parse_lieux_json(text)
    return parse_lieux_csv(text.lstrip("\ufeff").splitlines(keepends=True))
