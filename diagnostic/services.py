"""Writes of the diagnostic: one import service per source.

Each service takes the file's text (the management command reads it), parses it with the pure
parser, resolves territory codes, upserts in bulk and records an `ImportRun` with the counts and
every rejected line. Running it twice on the same file creates and updates nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import models, transaction
from django.utils import timezone

from core.cache import invalidate
from territoires.models import Departement, Epci

from .enums import Dispositif, Echelon, Source
from .models import (
    AidantsConnectStructure,
    ConseillersNumeriquesActivite,
    ImportRun,
    IndiceFragilite,
    LieuMediation,
)
from .parsers.aidants_connect import parse_aidants_connect
from .parsers.common import ParseError, date_from_filename
from .parsers.conseillers_numeriques import parse_conseillers_numeriques
from .parsers.ifn import parse_ifn
from .parsers.lieux import parse_lieux
from .resolver import CommuneResolver
from .signals import DONNEES

BATCH_SIZE = 1000


@dataclass
class _Run:
    """Counts and messages of an import in progress, saved as an ImportRun at the end."""

    source: Source
    fichier: str
    text: str
    date_donnees: date | None
    annee_seule: bool
    lus: int = 0
    crees: int = 0
    mis_a_jour: int = 0
    inchanges: int = 0
    rejets: list[dict] = field(default_factory=list)
    avertissements: list[dict] = field(default_factory=list)
    run: ImportRun | None = None

    def start(self) -> ImportRun:
        self.run = ImportRun.objects.create(
            source=self.source,
            fichier=self.fichier,
            empreinte=hashlib.sha256(self.text.encode()).hexdigest(),
        )
        return self.run

    def reject(self, line: int, motif: str, extrait: str = "") -> None:
        self.rejets.append({"ligne": line, "motif": motif, "extrait": extrait})

    def warn(self, line: int, message: str) -> None:
        self.avertissements.append({"ligne": line, "message": message})

    def finish(self) -> ImportRun:
        run = self.run
        run.date_donnees = self.date_donnees
        run.date_donnees_annee_seule = self.annee_seule and self.date_donnees is not None
        run.lus = self.lus
        run.crees = self.crees
        run.mis_a_jour = self.mis_a_jour
        run.inchanges = self.inchanges
        run.rejetes = len(self.rejets)
        run.rejets = sorted(self.rejets, key=lambda r: r["ligne"])
        run.avertissements = sorted(self.avertissements, key=lambda r: r["ligne"])
        run.finished_at = timezone.now()
        run.save()
        # The indicators cached from the previous data are never shown again.
        invalidate(DONNEES)
        return run


def _new_run(source: Source, fichier: str, text: str, date_donnees: date | None) -> _Run:
    annee_seule = False
    if date_donnees is None:
        date_donnees, annee_seule = date_from_filename(fichier)
    return _Run(source=source, fichier=fichier, text=text, date_donnees=date_donnees, annee_seule=annee_seule)


def _upsert(
    state: _Run,
    model: type[models.Model],
    existing: dict,
    rows: Iterable[tuple[object, dict]],
    *,
    build: Callable[[object, dict], models.Model],
) -> None:
    """Create or update `model` rows from (key, values) pairs; unchanged rows are only counted."""
    now = timezone.now()
    to_create, to_update, changed_fields = [], [], set()
    for key, values in rows:
        obj = existing.get(key)
        if obj is None:
            to_create.append(build(key, values))
            continue
        changes = {name: value for name, value in values.items() if getattr(obj, name) != value}
        if not changes:
            state.inchanges += 1
            continue
        for name, value in values.items():
            setattr(obj, name, value)
        obj.updated_at = now
        changed_fields.update(changes)
        to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, [*sorted(changed_fields), "updated_at"], batch_size=BATCH_SIZE)
    state.crees += len(to_create)
    state.mis_a_jour += len(to_update)


# --- Lieux de médiation numérique --------------------------------------------------------------


@transaction.atomic
def lieux_import(*, text: str, fichier: str, date_donnees: date | None = None) -> ImportRun:
    """Standard v1.0.2 CSV or 0.x JSON; lieux are keyed by (source, identifiant)."""
    state = _new_run(Source.LIEUX, fichier, text, date_donnees)
    state.start()
    resolver = CommuneResolver()
    rows: dict[tuple[str, str], dict] = {}
    dates = []
    for item in parse_lieux(text):
        state.lus += 1
        if isinstance(item, ParseError):
            state.reject(item.line, item.message, item.excerpt)
            continue
        found = resolver.resolve(code_insee=item.code_insee, code_postal=item.code_postal, nom=item.commune)
        if found.code is None:
            state.reject(item.line, found.note, f"{item.nom} — {item.code_postal} {item.commune}")
            continue
        for message in (*item.warnings, found.note):
            if message:
                state.warn(item.line, message)
        if item.date_maj:
            dates.append(item.date_maj)
        rows[(item.source, item.identifiant)] = {
            "nom": item.nom[:300],
            "commune_id": found.code,
            "adresse": item.adresse[:500],
            "complement_adresse": item.complement_adresse[:500],
            "code_postal": item.code_postal,
            "pivot": item.pivot[:14],
            "latitude": item.latitude,
            "longitude": item.longitude,
            "typologie": item.typologies[0][:32] if item.typologies else "",
            "typologies": list(item.typologies),
            "services": list(item.services),
            "dispositifs": list(item.dispositifs),
            "conseillers_numeriques": Dispositif.CONSEILLERS_NUMERIQUES in item.dispositifs,
            "france_services": Dispositif.FRANCE_SERVICES in item.dispositifs,
            "aidants_connect": Dispositif.AIDANTS_CONNECT in item.dispositifs,
            "en_qpv": item.en_qpv,
            "en_zrr": item.en_zrr,
            "itinerant": item.itinerant,
            "date_maj": item.date_maj,
        }
    if date_donnees is None and dates:
        # The most recent update of a lieu is the date of the data, better than a file name.
        state.date_donnees, state.annee_seule = max(dates), False
    sources = {source for source, _ in rows}
    existing = {
        (lieu.source, lieu.identifiant): lieu for lieu in LieuMediation.objects.filter(source__in=sources)
    }
    _upsert(
        state,
        LieuMediation,
        existing,
        rows.items(),
        build=lambda key, values: LieuMediation(source=key[0], identifiant=key[1], **values),
    )
    return state.finish()


# --- Indice de fragilité numérique -------------------------------------------------------------

IFN_FIELDS = ("score", "sans_tres_haut_debit", "sans_4g", "pauvrete", "plus_de_65_ans", "non_diplomes")


@transaction.atomic
def ifn_import(*, text: str, fichier: str, echelon: Echelon, date_donnees: date | None = None) -> ImportRun:
    """One row per commune (INSEE code, former codes mapped to the current commune) or per EPCI."""
    source = Source.IFN_COMMUNES if echelon == Echelon.COMMUNE else Source.IFN_EPCI
    state = _new_run(source, fichier, text, date_donnees)
    state.start()
    items = []
    for item in parse_ifn(text.lstrip("\ufeff").splitlines(keepends=True), echelon=echelon):
        state.lus += 1
        if isinstance(item, ParseError):
            state.reject(item.line, item.message, item.excerpt)
        else:
            items.append(item)

    rows: dict[str, dict] = {}
    origin: dict[str, tuple[int, str]] = {}  # current code → (line, code in the file)
    if echelon == Echelon.COMMUNE:
        resolver = CommuneResolver()
        # Exact codes first, so that a current commune's own line wins over a former code's.
        resolved = []
        for item in items:
            found = resolver.from_code(item.code)
            if found.code is None:
                state.reject(item.line, found.note, f"{item.code} {item.nom}")
            else:
                resolved.append((found.code != item.code, item, found))
        resolved.sort(key=lambda entry: (entry[0], entry[1].line))
        for _mapped, item, found in resolved:
            if found.code in origin:
                line, code = origin[found.code]
                state.reject(
                    item.line,
                    f"{found.note} ; déjà renseignée par la ligne {line} (code {code}), ligne non retenue",
                    f"{item.code} {item.nom}",
                )
                continue
            origin[found.code] = (item.line, item.code)
            if found.note:
                state.warn(item.line, found.note)
            for message in item.warnings:
                state.warn(item.line, message)
            rows[found.code] = {
                "code_source": item.code,
                **{name: getattr(item, name) for name in IFN_FIELDS},
            }
        existing = {ifn.commune_id: ifn for ifn in IndiceFragilite.objects.filter(commune__isnull=False)}
        build = lambda key, values: IndiceFragilite(commune_id=key, **values)  # noqa: E731
    else:
        known = set(Epci.objects.values_list("code", flat=True))
        for item in items:
            if item.code not in known:
                state.reject(item.line, f"EPCI {item.code} inconnu du référentiel", f"{item.code} {item.nom}")
                continue
            for message in item.warnings:
                state.warn(item.line, message)
            rows[item.code] = {"code_source": item.code, **{name: getattr(item, name) for name in IFN_FIELDS}}
        existing = {ifn.epci_id: ifn for ifn in IndiceFragilite.objects.filter(epci__isnull=False)}
        build = lambda key, values: IndiceFragilite(epci_id=key, **values)  # noqa: E731
    _upsert(state, IndiceFragilite, existing, rows.items(), build=build)
    return state.finish()


# --- Aidants Connect -----------------------------------------------------------------------------


@transaction.atomic
def aidants_connect_import(*, text: str, fichier: str, date_donnees: date | None = None) -> ImportRun:
    state = _new_run(Source.AIDANTS_CONNECT, fichier, text, date_donnees)
    state.start()
    resolver = CommuneResolver()
    rows: dict[str, dict] = {}
    for item in parse_aidants_connect(text.lstrip("\ufeff").splitlines(keepends=True)):
        state.lus += 1
        if isinstance(item, ParseError):
            state.reject(item.line, item.message, item.excerpt)
            continue
        found = resolver.resolve(code_insee=item.code_insee, code_postal=item.code_postal, nom=item.ville)
        if found.code is None:
            state.reject(item.line, found.note, f"{item.nom} — {item.code_postal} {item.ville}")
            continue
        for message in (*item.warnings, found.note):
            if message:
                state.warn(item.line, message)
        rows[item.uuid] = {
            "identifiant": item.identifiant,
            "nom": item.nom[:300],
            "actif": item.actif,
            "commune_id": found.code,
            "adresse": item.adresse[:500],
            "code_postal": item.code_postal,
            "siret": item.siret,
            "france_services": item.france_services,
            "nb_aidants": item.nb_aidants,
            "nb_usagers": item.nb_usagers,
            "nb_demarches": item.nb_demarches,
            "demarches_par_theme": item.demarches_par_theme,
        }
    existing = {str(s.uuid): s for s in AidantsConnectStructure.objects.all()}
    _upsert(
        state,
        AidantsConnectStructure,
        existing,
        rows.items(),
        build=lambda key, values: AidantsConnectStructure(uuid=key, **values),
    )
    return state.finish()


# --- Conseillers numériques ----------------------------------------------------------------------


@transaction.atomic
def conseillers_numeriques_import(*, text: str, fichier: str, date_donnees: date | None = None) -> ImportRun:
    state = _new_run(Source.CONSEILLERS_NUMERIQUES, fichier, text, date_donnees)
    state.start()
    known = set(Departement.objects.values_list("code", flat=True))
    rows: dict[str, dict] = {}
    for item in parse_conseillers_numeriques(text):
        state.lus += 1
        if isinstance(item, ParseError):
            state.reject(item.line, item.message, item.excerpt)
            continue
        if item.departement not in known:
            state.reject(
                item.line, f"département {item.departement} inconnu du référentiel", item.departement
            )
            continue
        rows[item.departement] = {
            "usagers": item.usagers,
            "accompagnements": item.accompagnements,
            "accompagnements_individuels": item.accompagnement.get("individuel", 0),
            "ateliers": item.accompagnement.get("atelier", 0),
            "redirections": item.accompagnement.get("redirection", 0),
            "details": {
                "activite": item.activite,
                "statut": item.statut,
                "themes": item.themes,
                "ages": item.ages,
            },
        }
    existing = {a.departement_id: a for a in ConseillersNumeriquesActivite.objects.all()}
    _upsert(
        state,
        ConseillersNumeriquesActivite,
        existing,
        rows.items(),
        build=lambda key, values: ConseillersNumeriquesActivite(departement_id=key, **values),
    )
    return state.finish()
