"""The PDF of a version and the signed copies: those who write the feuille de route ask for a PDF;
whoever reads it downloads it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from comptes import perms
from core.files import private_file_response
from core.ratelimit import client_key, is_limited, too_many_requests

from .. import selectors, services
from ..forms import (
    CopieSigneeForm,
)
from ..models import CopieSignee, PdfJob
from .common import (
    MANAGE,
    PDF,
    READ,
    add_errors,
    document_or_404,
    editor_url,
    feuille_or_404,
    page_breadcrumb,
    page_context,
)

# Per person: a PDF costs a worker up to FNE_PDF_TIME_LIMIT; nobody needs more than this.
PDF_RATE = "10/h"

PDF_ETAT_TITLE = "PDF de la feuille de route"


def _pdf_fragment(request, feuille, job, *, status: int = 200, limite: bool = False):
    return render(
        request,
        "feuilles_de_route/includes/pdf_job.html",
        {
            "feuille": feuille,
            "job": job,
            "peut_generer": perms.can_request_feuille_pdf(request.user, feuille),
            "limite": limite,
        },
        status=status,
    )


@require_POST
def pdf_demander(request, pk: int):
    """Returns the job of this version that waits or runs, if any, instead of queueing another."""
    feuille = feuille_or_404(request, pk, need=PDF)
    document = document_or_404(feuille)
    if is_limited(key="pdf", rate=PDF_RATE, who=client_key(request)):
        if request.htmx:
            # htmx swaps 2xx answers only: the fragment says why nothing new started.
            return _pdf_fragment(request, feuille, selectors.latest_pdf_job(document), limite=True)
        return too_many_requests(request, PDF_RATE)
    job = services.pdf_request(document=document, user=request.user)
    job.refresh_from_db()
    if request.htmx:
        return _pdf_fragment(request, feuille, job)
    if job.file_indisponible:
        messages.warning(
            request,
            "Le service de génération est momentanément indisponible : le PDF sera produit dès son retour.",
        )
    return redirect(editor_url(feuille) + "#pdf")


@require_GET
def pdf_etat(request, pk: int, job_pk: int):
    feuille = feuille_or_404(request, pk, need=READ)
    job = get_object_or_404(PdfJob, pk=job_pk, document__feuille_de_route=feuille)
    if request.htmx:
        return _pdf_fragment(request, feuille, job)
    # Opened as a page (the address shared, or followed without JavaScript): the same state in
    # the site's layout, where it keeps refreshing itself while the job runs.
    return render(
        request,
        "feuilles_de_route/pdf_etat.html",
        {
            "feuille": feuille,
            "job": job,
            "peut_generer": perms.can_request_feuille_pdf(request.user, feuille),
            "limite": False,
            "breadcrumb_data": page_breadcrumb(feuille, PDF_ETAT_TITLE),
        },
    )


def _private_file(fieldfile, filename: str):
    return private_file_response(fieldfile, filename=filename, content_type="application/pdf")


@require_GET
def pdf_telecharger(request, pk: int, job_pk: int):
    feuille = feuille_or_404(request, pk, need=READ)
    job = get_object_or_404(PdfJob, pk=job_pk, document__feuille_de_route=feuille, etat="termine")
    return _private_file(job.fichier, f"feuille-de-route-{feuille.pk}-v{job.document.numero}.pdf")


@require_POST
def copie_deposer(request, pk: int):
    feuille = feuille_or_404(request, pk, need=MANAGE)
    document = document_or_404(feuille)
    form = CopieSigneeForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.copie_signee_upload(
                document=document, fichier=form.cleaned_data["fichier"], user=request.user
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, "La copie signée est déposée.")
            return redirect(editor_url(feuille) + "#copies")
    return render(
        request,
        "feuilles_de_route/copie_form.html",
        page_context(request, feuille, document, courant="Copie signée", form=form),
        status=400,
    )


@require_GET
def copie_telecharger(request, pk: int, copie_pk: int):
    feuille = feuille_or_404(request, pk, need=READ)
    copie = get_object_or_404(CopieSignee, pk=copie_pk, document__feuille_de_route=feuille)
    return _private_file(copie.fichier, f"feuille-de-route-{feuille.pk}-v{copie.document.numero}-signee.pdf")
