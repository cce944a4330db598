"""Writes on the looked-up establishments. Other apps call `siret_verification_request` when
someone saves a SIRET; the lookup itself runs in a Celery task (tasks.py) and never blocks the
form that asked for it."""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.validators import normalize_siret

from . import client
from .enums import StatutVerification
from .models import Etablissement

logger = logging.getLogger(__name__)

# A lookup still « en cours » this long after its last try is asked for again (a lost task).
RELANCE_APRES = datetime.timedelta(hours=6)


def lookups_enabled() -> bool:
    """Off when SIRENE_API_URL is unset (local runs, tests that do not serve a fake)."""
    return bool(settings.SIRENE_API_URL)


def _needs_lookup(etablissement: Etablissement, *, created: bool, now: datetime.datetime) -> bool:
    if created:
        return True
    if etablissement.statut == StatutVerification.EN_COURS:
        last = etablissement.derniere_tentative_le or etablissement.created_at
        return now - last > RELANCE_APRES
    fresh_until = (etablissement.verifie_le or now) + datetime.timedelta(days=settings.SIRENE_CACHE_DAYS)
    return now > fresh_until


def enqueue_lookup(siret: str) -> None:
    """After the commit of the row that asked. A broker failure is logged, never raised: the form
    is already saved, and `requeue_pending_lookups` asks again later."""
    from .tasks import verify_siret

    try:
        verify_siret.delay(siret=siret)
    except Exception:
        logger.exception("Vérification du SIRET %s non demandée (courtier injoignable)", siret)


@transaction.atomic
def siret_verification_request(*, siret: str) -> Etablissement | None:
    """Ask for the lookup of `siret` (already validated) unless a recent answer is kept.
    Returns its row, or None when lookups are off or the SIRET is empty."""
    siret = normalize_siret(siret)
    if not siret or not lookups_enabled():
        return None
    etablissement, created = Etablissement.objects.get_or_create(siret=siret)
    if _needs_lookup(etablissement, created=created, now=timezone.now()):
        transaction.on_commit(lambda: enqueue_lookup(siret))
    return etablissement


def siret_lookup(*, siret: str) -> Etablissement:
    """Ask the service about `siret` and store its answer. When it must be tried again later,
    records the failure and raises `client.SireneUnavailable` (a ConnectionError: the shared
    retry policy's business). No row is locked during the call."""
    try:
        data = client.fetch(siret)
    except client.SireneUnavailable as exc:
        _record_failure(siret=siret, error=str(exc))
        raise
    return _record_answer(siret=siret, fiche=client.read_answer(data, siret))


@transaction.atomic
def _record_failure(*, siret: str, error: str) -> None:
    etablissement, _ = Etablissement.objects.select_for_update().get_or_create(siret=siret)
    etablissement.tentatives += 1
    etablissement.derniere_tentative_le = timezone.now()
    etablissement.derniere_erreur = error[:300]
    etablissement.save()


@transaction.atomic
def _record_answer(*, siret: str, fiche: client.Fiche | None) -> Etablissement:
    etablissement, _ = Etablissement.objects.select_for_update().get_or_create(siret=siret)
    now = timezone.now()
    etablissement.derniere_tentative_le = now
    etablissement.verifie_le = now
    etablissement.tentatives = 0
    etablissement.derniere_erreur = ""
    if fiche is None:
        etablissement.statut = StatutVerification.INTROUVABLE
    else:
        etablissement.statut = StatutVerification.FERME if fiche.ferme else StatutVerification.VERIFIE
        etablissement.nom = fiche.nom
        etablissement.adresse = fiche.adresse
        etablissement.code_naf = fiche.code_naf
        etablissement.nature_juridique = fiche.nature_juridique
    etablissement.save()
    return etablissement


def pending_lookups_requeue() -> int:
    """Ask again for the lookups still « en cours » long after their last try (a task lost with
    a broker, or one that used up its retries while the service was down). Returns how many."""
    if not lookups_enabled():
        return 0
    now = timezone.now()
    sirets = [
        e.siret
        for e in Etablissement.objects.filter(statut=StatutVerification.EN_COURS)
        if _needs_lookup(e, created=False, now=now)
    ]
    for siret in sirets:
        enqueue_lookup(siret)
    return len(sirets)
