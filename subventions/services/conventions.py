"""Convention jobs: the request stores the job, the task renders it (DOCX and PDF); the state
lives in the database so that the page shows it (the pattern of the feuilles de route's PDF)."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from comptes import perms
from feuilles_de_route.enums import EtatJob
from gouvernances.models import Gouvernance, Membre

from ..enums import StatutDemande
from ..models import Beneficiaire, ConventionJob, ModeleConvention

logger = logging.getLogger(__name__)


@transaction.atomic
def convention_request(*, gouvernance: Gouvernance, membre: Membre, user) -> ConventionJob:
    """Ask for the convention of a bénéficiaire whose demandes are accepted; the job is enqueued
    once committed. When the broker is down the job stays « en attente » with `file_indisponible`
    and `convention_jobs_requeue` (Celery beat) picks it up."""
    if not perms.can_get_convention(user, gouvernance.departement):
        raise PermissionDenied(perms.CONVENTION_PREFECTURE_ANCT)
    accepted = Beneficiaire.objects.filter(
        membre=membre, demande__gouvernance=gouvernance, demande__statut=StatutDemande.ACCEPTEE
    ).exists()
    if membre.gouvernance_id != gouvernance.pk or not accepted:
        raise ValidationError(f"« {membre.nom} » n'a aucune demande acceptée : pas de convention à établir.")
    job = ConventionJob.objects.create(gouvernance=gouvernance, membre=membre, demande_par=user)
    transaction.on_commit(lambda: convention_enqueue(job=job))
    return job


def convention_enqueue(*, job: ConventionJob) -> bool:
    from kombu.exceptions import OperationalError

    from ..tasks import render_convention_job

    try:
        render_convention_job.apply_async(kwargs={"job_id": job.pk}, retry=False)
    except OperationalError:
        logger.warning("File Celery indisponible : la convention %s attendra la prochaine relance.", job.pk)
        ConventionJob.objects.filter(pk=job.pk, etat=EtatJob.EN_ATTENTE).update(file_indisponible=True)
        job.file_indisponible = True
        return False
    return True


def convention_jobs_requeue() -> int:
    count = 0
    for job in ConventionJob.objects.filter(etat=EtatJob.EN_ATTENTE, file_indisponible=True):
        ConventionJob.objects.filter(pk=job.pk).update(file_indisponible=False)
        count += convention_enqueue(job=job)
    return count


def convention_job_start(*, job_id: int) -> ConventionJob | None:
    """Mark the job « en cours » (None when it is already done or failed)."""
    with transaction.atomic():
        job = ConventionJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.etat in (EtatJob.TERMINE, EtatJob.ECHEC):
            return None
        job.etat = EtatJob.EN_COURS
        job.tentatives += 1
        job.debut = timezone.now()
        job.save(update_fields=["etat", "tentatives", "debut", "updated_at"])
    return job


def active_template() -> bytes | None:
    """The administrator's latest active template, or None for the one shipped."""
    modele = ModeleConvention.objects.filter(actif=True).order_by("-created_at", "-id").first()
    if modele is None:
        return None
    with modele.fichier.open("rb") as handle:
        return handle.read()


def convention_job_render(*, job: ConventionJob) -> ConventionJob:
    from .. import conventions
    from ..selectors import convention_for

    data = convention_for(gouvernance=job.gouvernance, membre=job.membre)
    docx = conventions.render_docx(data, template=active_template())
    pdf = conventions.render_pdf(data)
    job.nom_fichier = data.filename("docx")
    job.fichier_docx.save(job.nom_fichier, ContentFile(docx), save=False)
    job.fichier_pdf.save(data.filename("pdf"), ContentFile(pdf), save=False)
    job.montant = data.total
    job.etat = EtatJob.TERMINE
    job.raison = ""
    job.fin = timezone.now()
    job.save()
    return job


def convention_job_back_to_waiting(*, job_id: int, raison: str) -> None:
    ConventionJob.objects.filter(pk=job_id).update(
        etat=EtatJob.EN_ATTENTE, raison=raison, updated_at=timezone.now()
    )


def convention_job_fail(*, job_id: int, raison: str) -> None:
    ConventionJob.objects.filter(pk=job_id).update(
        etat=EtatJob.ECHEC, raison=raison, fin=timezone.now(), updated_at=timezone.now()
    )


def convention_failure_reason(exc: BaseException, *, final: bool) -> str:
    detail = str(exc).strip()[:300] or exc.__class__.__name__
    if final:
        return (
            f"La génération de la convention a échoué ({detail}). Relancez-la ; si l'échec se répète, "
            "contactez l'équipe ANCT (le modèle de convention est peut-être à corriger)."
        )
    return f"Incident temporaire ({detail}) : une nouvelle tentative est programmée."
