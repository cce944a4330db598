"""Rules on declared feuilles de route. The gouvernance's services write them (a feuille de route
is declared in the gouvernance form); the périmètre rule lives here so that every writer shares it.
"""

import datetime
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from territoires.models import Commune, Departement

from .enums import EtatJob, Indicateur, SectionDocument, StatutDocument, TypeFinanceur, TypePerimetre
from .models import (
    Axe,
    Cofinancement,
    CopieSignee,
    CoRedacteur,
    Document,
    EtatSection,
    FeuilleDeRoute,
    FicheAction,
    IndicateurCible,
    PdfJob,
    Signataire,
)

logger = logging.getLogger(__name__)
PDFINFO = shutil.which("pdfinfo") or "/usr/bin/pdfinfo"

MAX_COMMUNES_NOMMEES = 15


def _liste_communes(noms: list[str]) -> str:
    if len(noms) <= MAX_COMMUNES_NOMMEES:
        return ", ".join(noms)
    reste = len(noms) - MAX_COMMUNES_NOMMEES
    return ", ".join(noms[:MAX_COMMUNES_NOMMEES]) + f" et {reste} autre{'s' if reste > 1 else ''}"


def perimetre_conflicts(
    *, departement: Departement, perimetres: Sequence[tuple[str, str, Sequence[str]]]
) -> dict[int, str]:
    """Two infra-départemental feuilles de route never cover the same commune (webinar of
    14 November 2023). `perimetres` are (nom, TypePerimetre, EPCI codes) in the form's order.

    Returns {index of the later feuille de route: French message naming the communes in conflict
    and the feuille de route that already covers them}. Only the département's own communes are
    named (an EPCI may straddle départements). One query, only when a conflict exists.
    """
    owner: dict[str, int] = {}  # EPCI code → index of the first feuille de route covering it
    clashes: dict[int, dict[int, set[str]]] = {}  # later index → earlier index → EPCI codes
    for index, (_nom, type_perimetre, epci_codes) in enumerate(perimetres):
        if type_perimetre != TypePerimetre.EPCI:
            continue
        for code in dict.fromkeys(epci_codes):
            if code in owner and owner[code] != index:
                clashes.setdefault(index, {}).setdefault(owner[code], set()).add(code)
            else:
                owner.setdefault(code, index)
    if not clashes:
        return {}
    all_codes = {code for by_first in clashes.values() for codes in by_first.values() for code in codes}
    communes_by_epci: dict[str, list[str]] = {}
    for epci_id, nom in (
        Commune.objects.filter(Q(departement=departement) & Q(epci_id__in=all_codes))
        .order_by("nom")
        .values_list("epci_id", "nom")
    ):
        communes_by_epci.setdefault(epci_id, []).append(nom)
    errors = {}
    for index, by_first in clashes.items():
        messages = []
        for first, codes in sorted(by_first.items()):
            noms = sorted(nom for code in codes for nom in communes_by_epci.get(code, []))
            messages.append(
                f"Les communes suivantes sont déjà couvertes par la feuille de route « {perimetres[first][0]} » : "
                f"{_liste_communes(noms)}."
            )
        errors[index] = " ".join(messages)
    return errors


# --- The document written along the official model (issue 6) -----------------------------------
# Every write below takes the version the page was loaded with; a stale one raises
# DocumentConflit (its message names who saved first) and the view keeps what the user typed.


class DocumentConflit(Exception):
    def __init__(self, *, par=None, le=None):
        self.par = par
        self.le = le
        super().__init__(self.message)

    @property
    def message(self) -> str:
        qui = self.par.display_name if self.par else "une autre personne"
        quand = f" le {timezone.localtime(self.le):%d/%m/%Y à %H:%M}" if self.le else ""
        return (
            f"Cette partie a été enregistrée par {qui}{quand} pendant que vous la modifiiez. "
            "Votre saisie n'a pas été enregistrée : elle est conservée ci-dessous. Vérifiez les "
            "modifications de votre collègue, puis enregistrez de nouveau pour les remplacer."
        )


class DocumentFige(PermissionDenied):
    def __init__(self):
        super().__init__(
            "Cette version est approuvée : elle ne peut plus être modifiée. Ouvrez une nouvelle version."
        )


SECTION_FIELDS: dict[str, list[str]] = {
    SectionDocument.INTRODUCTION: ["specificites"],
    SectionDocument.METHODE: ["historique", "etapes", "parties_prenantes"],
    SectionDocument.DIAGNOSTIC: ["besoins_publics", "offre", "enjeux"],
    SectionDocument.AMBITION: ["positionnement", "lien_coordinateur"],
    SectionDocument.PUBLICS: ["publics_cibles", "structures_prioritaires"],
    SectionDocument.MOYENS: [
        "coordinateurs_postes",
        "coordinateurs_structures",
        "chef_de_projet_besoin",
        "chef_de_projet_structure",
        "etudes_ingenierie",
        "appui_diagnostic",
    ],
    SectionDocument.VEHICULE: ["vehicule_contractuel"],
}
COPIED_FIELDS = [f for fields in SECTION_FIELDS.values() for f in fields] + ["mutualisation"]


def _check_editable(document: Document) -> None:
    if document.est_fige:
        raise DocumentFige()


def _lock_section(*, document: Document, section: str, version: int, user) -> EtatSection:
    etat, _ = EtatSection.objects.select_for_update().get_or_create(document=document, section=section)
    if etat.version != version:
        raise DocumentConflit(par=etat.modifie_par, le=etat.modifie_le)
    etat.version += 1
    etat.modifie_par = user if getattr(user, "is_authenticated", False) else None
    etat.modifie_le = timezone.now()
    etat.save()
    return etat


def _locked_document(document: Document) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    _check_editable(locked)
    return locked


def _touch(obj, *, user) -> None:
    obj.version += 1
    obj.modifie_par = user if getattr(user, "is_authenticated", False) else None
    obj.modifie_le = timezone.now()


def diagnostic_prefill(*, departement) -> dict[str, str]:
    """Section II pre-filled from the diagnostic figures when that module is installed."""
    from .prefill import synthese_textes

    return synthese_textes(departement)


@transaction.atomic
def document_start(*, feuille_de_route: FeuilleDeRoute, user) -> Document:
    """The current version of the document, created (section II pre-filled) the first time."""
    FeuilleDeRoute.objects.select_for_update().filter(pk=feuille_de_route.pk).first()
    document = feuille_de_route.documents.order_by("-numero").first()
    if document is not None:
        return document
    document = Document(feuille_de_route=feuille_de_route, numero=1)
    for field_name, text in diagnostic_prefill(departement=feuille_de_route.gouvernance.departement).items():
        setattr(document, field_name, text)
    document.save()
    return document


@transaction.atomic
def document_section_save(*, document: Document, section: str, version: int, data: dict, user) -> Document:
    """Save one text section (SECTION_FIELDS) of the document."""
    section = SectionDocument(section)
    if section not in SECTION_FIELDS:
        raise ValueError(f"Section sans champs propres : {section}")
    document = _locked_document(document)
    _lock_section(document=document, section=section, version=version, user=user)
    fields = SECTION_FIELDS[section]
    for name in fields:
        setattr(document, name, data.get(name, getattr(document, name)))
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_indicateurs_save(
    *, document: Document, version: int, cibles: dict[str, dict[int, int | None]], user
):
    """Targets of the twelve indicators: {indicateur: {2023: n, 2025: n, 2027: n}}."""
    document = _locked_document(document)
    _lock_section(document=document, section=SectionDocument.INDICATEURS, version=version, user=user)
    for code in Indicateur.values:
        values = cibles.get(code, {})
        row, _ = IndicateurCible.objects.get_or_create(document=document, indicateur=code)
        row.cible_2023, row.cible_2025, row.cible_2027 = (values.get(y) for y in (2023, 2025, 2027))
        row.full_clean()
        row.save()
    return document


@transaction.atomic
def document_financements_save(
    *, document: Document, version: int, cofinancements: dict[str, dict], mutualisation: str, user
) -> Document:
    """Co-financements by kind of funder ({type: {"montant": Decimal|None, "description": str}})
    and the mutualisation strategy. A kind left empty is removed."""
    document = _locked_document(document)
    _lock_section(document=document, section=SectionDocument.FINANCEMENTS, version=version, user=user)
    for code in TypeFinanceur.values:
        values = cofinancements.get(code) or {}
        montant, description = values.get("montant"), (values.get("description") or "").strip()
        if montant is None and not description:
            Cofinancement.objects.filter(document=document, type_financeur=code).delete()
            continue
        Cofinancement.objects.update_or_create(
            document=document, type_financeur=code, defaults={"montant": montant, "description": description}
        )
    document.mutualisation = mutualisation
    document.save()
    return document


# Axes and fiches action: each row has its own version.


def _check_row_version(obj, version: int) -> None:
    if obj.version != version:
        raise DocumentConflit(par=obj.modifie_par, le=obj.modifie_le)


@transaction.atomic
def axe_save(*, document: Document, axe: Axe | None, version: int, nom: str, description: str, user) -> Axe:
    """Create (axe=None) or update an axe prioritaire."""
    document = _locked_document(document)
    if axe is None:
        last = document.axes.order_by("-ordre").values_list("ordre", flat=True).first()
        axe = Axe(document=document, ordre=(last or 0) + 1)
    else:
        axe = Axe.objects.select_for_update().get(pk=axe.pk, document=document)
        _check_row_version(axe, version)
    axe.nom, axe.description = nom.strip(), description
    _touch(axe, user=user)
    axe.full_clean()
    axe.save()
    return axe


@transaction.atomic
def axe_delete(*, axe: Axe, user) -> None:
    _locked_document(axe.document)
    axe.delete()


@transaction.atomic
def fiche_save(*, axe: Axe, fiche: FicheAction | None, version: int, data: dict, user) -> FicheAction:
    """Create (fiche=None) or update a fiche action of an axe."""
    _locked_document(axe.document)
    if fiche is None:
        last = axe.fiches.order_by("-ordre").values_list("ordre", flat=True).first()
        fiche = FicheAction(axe=axe, ordre=(last or 0) + 1)
    else:
        fiche = FicheAction.objects.select_for_update().get(pk=fiche.pk, axe=axe)
        _check_row_version(fiche, version)
    for name in FICHE_FIELDS:
        setattr(fiche, name, data.get(name, getattr(fiche, name)))
    _touch(fiche, user=user)
    fiche.full_clean()
    fiche.save()
    return fiche


FICHE_FIELDS = ["nom", "objectifs", "description", "pilote", "partenaires", "cibles", "indicateurs"]


@transaction.atomic
def fiche_delete(*, fiche: FicheAction, user) -> None:
    _locked_document(fiche.axe.document)
    fiche.delete()


@transaction.atomic
def signataire_add(*, document: Document, organisation: str, qualite: str, nom: str, user) -> Signataire:
    document = _locked_document(document)
    signataire = Signataire(document=document, organisation=organisation.strip(), qualite=qualite, nom=nom)
    signataire.full_clean()
    signataire.save()
    return signataire


@transaction.atomic
def signataire_delete(*, signataire: Signataire, user) -> None:
    _locked_document(signataire.document)
    if signataire.requis:
        raise ValidationError("Le préfet et les collectivités porteuses signent obligatoirement.")
    signataire.delete()


# Status: en rédaction → soumise à la gouvernance → approuvée (frozen); then a new version.


@transaction.atomic
def document_submit(*, document: Document, user) -> Document:
    document = _locked_document(document)
    if document.statut != StatutDocument.REDACTION:
        raise ValidationError("Seule une version en rédaction peut être soumise à la gouvernance.")
    if not document.axes.exists():
        raise ValidationError("Rédigez au moins un axe prioritaire avant de soumettre la feuille de route.")
    document.statut = StatutDocument.SOUMISE
    document.soumise_le = timezone.now()
    document.save()
    return document


@transaction.atomic
def document_back_to_redaction(*, document: Document, user) -> Document:
    document = _locked_document(document)
    if document.statut != StatutDocument.SOUMISE:
        raise ValidationError("Cette version n'est pas soumise à la gouvernance.")
    document.statut = StatutDocument.REDACTION
    document.save()
    return document


@transaction.atomic
def document_approve(*, document: Document, approuvee_le: datetime.date, user) -> Document:
    """The gouvernance approved this version: it is frozen, with its signatories as they stand."""
    from .selectors import signataires_requis

    document = _locked_document(document)
    if document.statut != StatutDocument.SOUMISE:
        raise ValidationError("Seule une version soumise à la gouvernance peut être approuvée.")
    if approuvee_le > timezone.localdate():
        raise ValidationError({"approuvee_le": "La date d'approbation ne peut pas être dans le futur."})
    for s in signataires_requis(document.feuille_de_route):
        Signataire.objects.create(
            document=document, organisation=s.organisation, qualite=s.qualite, requis=True
        )
    document.statut = StatutDocument.APPROUVEE
    document.approuvee_le = approuvee_le
    document.save()
    return document


@transaction.atomic
def document_new_version(*, document: Document, user) -> Document:
    """Open a new version of an approved document: a copy of its whole content, en rédaction."""
    feuille = FeuilleDeRoute.objects.select_for_update().get(pk=document.feuille_de_route_id)
    latest = feuille.documents.order_by("-numero").first()
    if latest.pk != document.pk or not document.est_fige:
        raise ValidationError("Une nouvelle version s'ouvre à partir de la dernière version approuvée.")
    copy = Document(feuille_de_route=feuille, numero=document.numero + 1)
    for name in COPIED_FIELDS:
        setattr(copy, name, getattr(document, name))
    copy.save()
    for axe in document.axes.prefetch_related("fiches"):
        new_axe = Axe.objects.create(document=copy, ordre=axe.ordre, nom=axe.nom, description=axe.description)
        FicheAction.objects.bulk_create(
            FicheAction(axe=new_axe, ordre=f.ordre, **{n: getattr(f, n) for n in FICHE_FIELDS})
            for f in axe.fiches.all()
        )
    IndicateurCible.objects.bulk_create(
        IndicateurCible(
            document=copy,
            indicateur=i.indicateur,
            cible_2023=i.cible_2023,
            cible_2025=i.cible_2025,
            cible_2027=i.cible_2027,
        )
        for i in document.indicateurs.all()
    )
    Cofinancement.objects.bulk_create(
        Cofinancement(
            document=copy, type_financeur=c.type_financeur, montant=c.montant, description=c.description
        )
        for c in document.cofinancements.all()
    )
    Signataire.objects.bulk_create(
        Signataire(document=copy, organisation=s.organisation, qualite=s.qualite, nom=s.nom)
        for s in document.signataires.filter(requis=False)
    )
    return copy


# Co-writers of the porteur collectivité, invited by the préfecture.


@transaction.atomic
def coredacteur_invite(*, feuille_de_route: FeuilleDeRoute, email: str, user) -> CoRedacteur:
    """Link (creating it if needed) a structure account to the porteur membre and e-mail it."""
    from comptes.enums import Role
    from comptes.services import account_create_or_update

    from .tasks import send_invitation

    membre = feuille_de_route.porteur
    if membre is None:
        raise ValidationError(
            "Cette feuille de route est portée par la préfecture seule : aucun porteur à inviter."
        )
    email = email.strip().lower()
    from comptes.models import User

    existing = User.objects.filter(email=email).first()
    if existing is not None and existing.role != Role.STRUCTURE:
        raise ValidationError(
            {"email": "Cette adresse appartient à un compte d'agent : elle ne peut pas être invitée."}
        )
    if existing is None:
        existing, _ = account_create_or_update(email=email, role=Role.STRUCTURE)
    coredacteur, _ = CoRedacteur.objects.get_or_create(
        membre=membre, user=existing, defaults={"invite_par": user}
    )
    transaction.on_commit(
        lambda: send_invitation.delay(coredacteur_id=coredacteur.pk, feuille_de_route_id=feuille_de_route.pk)
    )
    return coredacteur


def invitation_send(*, coredacteur: CoRedacteur, feuille_de_route: FeuilleDeRoute) -> None:
    """The invitation e-mail: where to write, and how to choose a password the first time."""
    url = settings.SITE_URL + reverse("feuilles_de_route:editeur", kwargs={"pk": feuille_de_route.pk})
    body = render_to_string(
        "feuilles_de_route/email/invitation.txt",
        {
            "feuille": feuille_de_route,
            "membre": coredacteur.membre,
            "url": url,
            "site_url": settings.SITE_URL,
            "reset_url": settings.SITE_URL + reverse("account_reset_password"),
        },
    )
    send_mail(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Invitation à co-rédiger « {feuille_de_route.nom} »",
        message=body,
        from_email=None,
        recipient_list=[coredacteur.user.email],
    )


# PDF jobs: the request stores the job, the task renders it; the state lives in the database.


@transaction.atomic
def pdf_request(*, document: Document, user) -> PdfJob:
    """Create a job and enqueue its task once the job is committed.

    When the broker is down, the job stays « en attente » with `file_indisponible` set, and the
    page says the rendering is delayed; `pdf_jobs_requeue` (Celery beat, or by hand) picks it up.
    """
    job = PdfJob.objects.create(document=document, demande_par=user if user.is_authenticated else None)
    transaction.on_commit(lambda: pdf_enqueue(job=job))
    return job


def pdf_enqueue(*, job: PdfJob) -> bool:
    from kombu.exceptions import OperationalError

    from .tasks import render_pdf_job

    try:
        render_pdf_job.apply_async(kwargs={"job_id": job.pk}, retry=False)
    except OperationalError:
        logger.warning("File Celery indisponible : le PDF %s attendra la prochaine relance.", job.pk)
        PdfJob.objects.filter(pk=job.pk, etat=EtatJob.EN_ATTENTE).update(file_indisponible=True)
        job.file_indisponible = True
        return False
    return True


def pdf_jobs_requeue() -> int:
    """Enqueue again the jobs left waiting while the broker was down."""
    count = 0
    for job in PdfJob.objects.filter(etat=EtatJob.EN_ATTENTE, file_indisponible=True):
        PdfJob.objects.filter(pk=job.pk).update(file_indisponible=False)
        count += pdf_enqueue(job=job)
    return count


def pdf_job_start(*, job_id: int) -> PdfJob | None:
    """Mark the job « en cours » (returns None when it is already done or failed)."""
    with transaction.atomic():
        job = PdfJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.etat in (EtatJob.TERMINE, EtatJob.ECHEC):
            return None
        job.etat = EtatJob.EN_COURS
        job.tentatives += 1
        job.debut = timezone.now()
        job.save(update_fields=["etat", "tentatives", "debut", "updated_at"])
    return job


def pdf_job_render(*, job: PdfJob) -> PdfJob:
    """Render the document and store the file privately; the job ends « terminé »."""
    from .pdf import render_pdf
    from .selectors import pdf_document_for

    rendered = render_pdf(pdf_document_for(job.document))
    job.fichier.save(f"feuille-de-route-{job.document_id}.pdf", ContentFile(rendered.content), save=False)
    job.pages = rendered.pages
    job.etat = EtatJob.TERMINE
    job.raison = ""
    job.fin = timezone.now()
    job.save()
    return job


def pdf_job_back_to_waiting(*, job_id: int, raison: str) -> None:
    """A transient failure: the task will retry."""
    PdfJob.objects.filter(pk=job_id).update(etat=EtatJob.EN_ATTENTE, raison=raison, updated_at=timezone.now())


def pdf_job_fail(*, job_id: int, raison: str) -> None:
    PdfJob.objects.filter(pk=job_id).update(
        etat=EtatJob.ECHEC, raison=raison, fin=timezone.now(), updated_at=timezone.now()
    )


# Signed copy, uploaded by the préfecture.

COPIE_MAX_OCTETS = 40 * 1024 * 1024


def check_pdf_upload(fichier) -> None:
    """A signed copy must be a real PDF (by content, not by name) of at most 40 Mo."""
    if fichier.size > COPIE_MAX_OCTETS:
        raise ValidationError(
            {"fichier": "Le fichier dépasse 40 Mo : déposez une version plus légère du PDF signé."}
        )
    fichier.seek(0)
    head = fichier.read(1024)
    fichier.seek(0)
    if b"%PDF-" not in head[:1024]:
        raise ValidationError(
            {"fichier": "Ce fichier n'est pas un PDF : déposez le document signé au format PDF."}
        )
    if not _pdf_parses(fichier):
        raise ValidationError(
            {"fichier": "Ce PDF est illisible ou endommagé : déposez de nouveau le document signé."}
        )


def _pdf_parses(fichier) -> bool:
    """poppler's pdfinfo (poppler-utils, already needed to read PDFs back) opens the file."""
    path = getattr(fichier, "temporary_file_path", None)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        if path is None:
            for chunk in fichier.chunks():
                tmp.write(chunk)
            tmp.flush()
            fichier.seek(0)
            path = tmp.name
        else:
            path = fichier.temporary_file_path()
        try:
            result = subprocess.run(  # noqa: S603 - fixed program, the path is ours
                [PDFINFO, path], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            logger.exception("pdfinfo n'a pas pu lire la copie signée")
            return False
    return result.returncode == 0 and b"Pages:" in result.stdout


@transaction.atomic
def copie_signee_upload(*, document: Document, fichier, user) -> CopieSignee:
    check_pdf_upload(fichier)
    copie = CopieSignee(
        document=document, nom_original=fichier.name[:255], taille=fichier.size, deposee_par=user
    )
    copie.fichier.save("copie.pdf", fichier, save=False)
    copie.save()
    return copie


def pdf_failure_reason(exc: BaseException, *, final: bool) -> str:
    detail = str(exc).strip()[:300] or exc.__class__.__name__
    if final:
        return f"La génération du PDF a échoué ({detail}). Relancez-la ; si l'échec se répète, contactez l'équipe ANCT."
    return f"Incident temporaire ({detail}) : une nouvelle tentative est programmée."


def invitation_send_by_ids(*, coredacteur_id: int, feuille_de_route_id: int) -> None:
    coredacteur = CoRedacteur.objects.select_related("user", "membre").get(pk=coredacteur_id)
    feuille = FeuilleDeRoute.objects.get(pk=feuille_de_route_id)
    invitation_send(coredacteur=coredacteur, feuille_de_route=feuille)
