"""Factories of the subventions' tests: dotations, demandes in each status, a Nièvre ready for them."""

from dataclasses import dataclass
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from besoins.enums import Item
from subventions.enums import Fonds, Instruction, StatutDemande
from subventions.models import Beneficiaire, BesoinVise, Demande, Dotation, NoteSubventions
from territoires.models import Departement
from tests.feuilles_de_route.factories import (
    AxeFactory,
    DocumentFactory,
    FeuilleDeRouteFactory,
    FicheActionFactory,
    GouvernanceFactory,
    MembreFactory,
)

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
NOTE = (
    "<p>"
    + "Le contexte des demandes de la Nièvre : médiation itinérante et formation des aidants. " * 3
    + "</p>"
)


def budget_pdf(name="budget.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


class DotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dotation
        django_get_or_create = ("departement", "fonds", "annee")

    departement = factory.LazyFunction(lambda: Departement.objects.get(code="58"))
    fonds = Fonds.INGENIERIE
    annee = 2024
    montant = Decimal("50000")
    source = "Arrêté de test"

    class Params:
        formation = factory.Trait(fonds=Fonds.FORMATION, montant=Decimal("20000"))


@dataclass
class Nievre:
    gouvernance: object
    departement_cd: object  # co-porteur, a collectivité
    association: object  # a structure member
    feuille: object
    document: object
    axe: object
    fiche: object
    fiche_2: object
    dotation: Dotation
    dotation_formation: Dotation


def nievre_subventions() -> Nievre:
    gouvernance = GouvernanceFactory(pressentie=True)
    cd = MembreFactory(gouvernance=gouvernance, departement_cd=True, coporteur=True)
    association = MembreFactory(gouvernance=gouvernance, structure_nom="Association Numérique en Morvan")
    feuille = FeuilleDeRouteFactory(
        gouvernance=gouvernance, porteur=cd, nom="Feuille de route départementale"
    )
    document = DocumentFactory(feuille_de_route=feuille)
    axe = AxeFactory(document=document, nom="Aller vers les publics")
    fiche = FicheActionFactory(axe=axe, nom="Médiation numérique itinérante")
    fiche_2 = FicheActionFactory(axe=axe, nom="Formation des aidants")
    return Nievre(
        gouvernance=gouvernance,
        departement_cd=cd,
        association=association,
        feuille=feuille,
        document=document,
        axe=axe,
        fiche=fiche,
        fiche_2=fiche_2,
        dotation=DotationFactory(),
        dotation_formation=DotationFactory(formation=True),
    )


def note(gouvernance, texte: str = NOTE) -> NoteSubventions:
    return NoteSubventions.objects.create(gouvernance=gouvernance, texte=texte, version=1)


def demande(
    n: Nievre,
    *,
    fiche=None,
    subvention="10000",
    budget="25000",
    rh="4000",
    beneficiaires=None,
    statut=StatutDemande.BROUILLON,
    instruction="",
    commentaire="",
    besoins=(Item.DIAGNOSTIC,),
) -> Demande:
    """A demande of the ingénierie fund written directly (the services are tested on their own)."""
    subvention, rh = Decimal(subvention), Decimal(rh)
    row = Demande(
        gouvernance=n.gouvernance,
        dotation=n.dotation,
        fonds=Fonds.INGENIERIE,
        feuille_de_route=n.feuille,
        fiche_action=fiche or n.fiche,
        contexte="Un contexte.",
        description="<p>Une description.</p>",
        budget_global=Decimal(budget),
        subvention_demandee=subvention,
        montant_rh=rh,
        montant_prestations=subvention - rh,
        statut=statut,
        instruction=instruction,
        instruction_commentaire=commentaire,
        budget_nom="budget.pdf",
        version=1,
        validee_le=timezone.now() if statut != StatutDemande.BROUILLON else None,
        instruite_le=timezone.now() if instruction else None,
    )
    row.budget_fichier.save("budget.pdf", ContentFile(PDF), save=False)
    row.save()
    for item in besoins:
        BesoinVise.objects.create(demande=row, item=item)
    for membre, value in beneficiaires or [(n.departement_cd, subvention)]:
        Beneficiaire.objects.create(demande=row, membre=membre, montant=Decimal(value))
    return row


def formation(n: Nievre, *, membre=None, statut=StatutDemande.BROUILLON, instruction="") -> Demande:
    row = Demande.objects.create(
        gouvernance=n.gouvernance,
        dotation=n.dotation_formation,
        fonds=Fonds.FORMATION,
        subvention_demandee=n.dotation_formation.montant,
        statut=statut,
        instruction=instruction,
        version=1,
    )
    Beneficiaire.objects.create(demande=row, membre=membre or n.association, montant=row.subvention_demandee)
    return row


def acceptee(n: Nievre, **kwargs) -> Demande:
    return demande(n, statut=StatutDemande.ACCEPTEE, instruction=Instruction.ACCEPTATION, **kwargs)
