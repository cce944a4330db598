"""Writes on the document of a feuille de route, written along the official template: its
sections, axes and fiches action, signatories, and its status from rédaction to approval."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from ..enums import Indicateur, SectionDocument, StatutDocument, TypeFinanceur
from ..models import (
    Axe,
    Cofinancement,
    Document,
    EtatSection,
    FeuilleDeRoute,
    FicheAction,
    IndicateurCible,
    Signataire,
)

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
    """Section II pre-filled from the diagnostic figures."""
    from ..prefill import synthese_textes

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
    return copy
