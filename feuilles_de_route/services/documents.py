"""Writes on the document of a feuille de route, written along the official template: its
sections, axes and fiches action, signatories, and its status from rédaction to approval."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import RestrictedError
from django.utils import timezone

from core.cache import invalidate
from core.versioning import check_version, lock_current

from ..enums import SECTION_FIELDS, Indicateur, SectionDocument, StatutDocument, TypeFinanceur
from ..models import (
    Axe,
    Cofinancement,
    Document,
    FeuilleDeRoute,
    FicheAction,
    IndicateurCible,
    SectionState,
    Signataire,
)
from ..signals import FEUILLES

# --- The document written along the official model ---------------------------------------------
# Every write below takes the version the page was loaded with; a stale one raises
# core.versioning.StaleVersion (its message names who saved first) and the view keeps what the
# user typed.


class DocumentFige(PermissionDenied):
    def __init__(self):
        super().__init__(
            "Cette version est approuvée : elle ne peut plus être modifiée. Ouvrez une nouvelle version."
        )


COPIED_FIELDS = [f for fields in SECTION_FIELDS.values() for f in fields] + ["mutualisation"]


def _check_editable(document: Document) -> None:
    if document.est_fige:
        raise DocumentFige()


def _section_label(section: str) -> str:
    """What a refused stale save names: « X a enregistré la section « Moyens sollicités » le … »."""
    return f"la section « {SectionDocument(section).label} »"


def _save_section_state(*, document: Document, section: str, version: int, user) -> SectionState:
    """Check the page's version of the section and count this save. The document row is locked
    by the caller, so two first saves of a section queue up instead of both creating its state."""
    state = lock_current(
        SectionState.objects.filter(document=document),
        version=version,
        label=_section_label(section),
        section=section,
    ) or SectionState(document=document, section=section)
    state.touch(user=user)
    state.save()
    return state


def _locked_document(document: Document) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    _check_editable(locked)
    return locked


def diagnostic_prefill(*, feuille_de_route: FeuilleDeRoute) -> dict[str, str]:
    """Section II pre-filled from the diagnostic figures of the feuille de route's périmètre."""
    from ..prefill import perimetre_of, synthese_textes

    return synthese_textes(perimetre_of(feuille_de_route))


@transaction.atomic
def document_start(*, feuille_de_route: FeuilleDeRoute, user) -> Document:
    """The current version of the document, created (section II pre-filled) the first time."""
    FeuilleDeRoute.objects.select_for_update().filter(pk=feuille_de_route.pk).first()
    document = feuille_de_route.documents.order_by("-numero").first()
    if document is not None:
        return document
    document = Document(feuille_de_route=feuille_de_route, numero=1)
    for field_name, text in diagnostic_prefill(feuille_de_route=feuille_de_route).items():
        setattr(document, field_name, text)
    document.save()
    return document


@transaction.atomic
def document_diagnostic_refresh(*, document: Document, version: int, champs: list[str], user) -> Document:
    """Rewrite the chosen parts of section II (`champs`, among besoins_publics, offre, enjeux)
    from today's diagnostic figures. `version` is the section's version the comparison was shown
    at: a colleague's save since then is refused (StaleVersion) instead of overwritten."""
    allowed = SECTION_FIELDS[SectionDocument.DIAGNOSTIC]
    unknown = [c for c in champs if c not in allowed]
    if unknown or not champs:
        raise ValidationError({"champs": "Choisissez au moins une partie de la synthèse à mettre à jour."})
    document = _locked_document(document)
    _save_section_state(document=document, section=SectionDocument.DIAGNOSTIC, version=version, user=user)
    textes = diagnostic_prefill(feuille_de_route=document.feuille_de_route)
    for name in champs:
        setattr(document, name, textes.get(name, ""))
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_section_save(*, document: Document, section: str, version: int, data: dict, user) -> Document:
    """Save one text section (SECTION_FIELDS) of the document."""
    section = SectionDocument(section)
    if section not in SECTION_FIELDS:
        raise ValueError(f"Section sans champs propres : {section}")
    document = _locked_document(document)
    _save_section_state(document=document, section=section, version=version, user=user)
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
    _save_section_state(document=document, section=SectionDocument.INDICATEURS, version=version, user=user)
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
    _save_section_state(document=document, section=SectionDocument.FINANCEMENTS, version=version, user=user)
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


def _lock_row(queryset, *, pk: int, version: int, label: str, gone: str):
    """Lock a row edited on its own page and check the page's version. Unlike a section, a row
    that is missing was deleted meanwhile: that is said as such, not as a later save."""
    row = lock_current(queryset, version=None, label=label, pk=pk)
    if row is None:
        raise ValidationError(f"{gone} a été supprimé entre-temps : rechargez la page.")
    check_version(row, version=version, label=label)
    return row


@transaction.atomic
def axe_save(*, document: Document, axe: Axe | None, version: int, nom: str, description: str, user) -> Axe:
    """Create (axe=None) or update an axe prioritaire."""
    document = _locked_document(document)
    if axe is None:
        last = document.axes.order_by("-ordre").values_list("ordre", flat=True).first()
        axe = Axe(document=document, ordre=(last or 0) + 1)
    else:
        axe = _lock_row(
            Axe.objects.filter(document=document),
            pk=axe.pk,
            version=version,
            label=f"l'axe « {axe.nom} »",
            gone="Cet axe",
        )
    axe.nom, axe.description = nom.strip(), description
    axe.touch(user=user)
    axe.full_clean()
    axe.save()
    return axe


# A fiche action that a demande de subvention hangs on is held by a RESTRICT link: it is not
# deleted alone (the subventions app, above this one, owns that link).
LIEE_A_UNE_DEMANDE = (
    "{quoi} fait l'objet d'une demande de subvention : {pronom} ne peut pas être supprimé{e}. "
    "Modifiez plutôt son contenu."
)


@transaction.atomic
def axe_delete(*, axe: Axe, user) -> None:
    _locked_document(axe.document)
    try:
        with transaction.atomic():
            axe.delete()
    except RestrictedError as exc:
        raise ValidationError(
            LIEE_A_UNE_DEMANDE.format(quoi="Une fiche action de cet axe", pronom="l'axe", e="")
        ) from exc


@transaction.atomic
def fiche_save(*, axe: Axe, fiche: FicheAction | None, version: int, data: dict, user) -> FicheAction:
    """Create (fiche=None) or update a fiche action of an axe."""
    _locked_document(axe.document)
    if fiche is None:
        last = axe.fiches.order_by("-ordre").values_list("ordre", flat=True).first()
        fiche = FicheAction(axe=axe, ordre=(last or 0) + 1)
    else:
        fiche = _lock_row(
            FicheAction.objects.filter(axe=axe),
            pk=fiche.pk,
            version=version,
            label=f"la fiche action « {fiche.nom} »",
            gone="Cette fiche action",
        )
    for name in FICHE_FIELDS:
        setattr(fiche, name, data.get(name, getattr(fiche, name)))
    fiche.touch(user=user)
    fiche.full_clean()
    fiche.save()
    return fiche


FICHE_FIELDS = ["nom", "objectifs", "description", "pilote", "partenaires", "cibles", "indicateurs"]


@transaction.atomic
def fiche_delete(*, fiche: FicheAction, user) -> None:
    _locked_document(fiche.axe.document)
    try:
        with transaction.atomic():
            fiche.delete()
    except RestrictedError as exc:
        raise ValidationError(
            LIEE_A_UNE_DEMANDE.format(quoi="Cette fiche action", pronom="elle", e="e")
        ) from exc


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


def document_submit_problems(*, document: Document) -> list[str]:
    """What keeps this version from being submitted to the gouvernance (empty when it may be)."""
    if document.statut != StatutDocument.REDACTION:
        return ["Seule une version en rédaction peut être soumise à la gouvernance."]
    if not document.axes.exists():
        return ["Rédigez au moins un axe prioritaire avant de soumettre la feuille de route."]
    return []


@transaction.atomic
def document_submit(*, document: Document, user) -> Document:
    document = _locked_document(document)
    if problems := document_submit_problems(document=document):
        raise ValidationError(problems)
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
    from ..selectors import signataires_requis

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
    invalidate(FEUILLES)  # bulk_create sends no post_save
    return copy
