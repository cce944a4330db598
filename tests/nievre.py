"""The Nièvre data set the access matrix and the page audits run against, built once per module.

`nievre` creates one account per role and a realistic Nièvre inside a transaction rolled back at
the end of the module; `as_role(role)` logs the test client in. tests/conftest.py loads this module as a plugin.
"""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from candidatures.enums import EtapePorter
from comptes.enums import Role
from comptes.models import DemandeRole
from donnees_ouvertes import services as open_data_services
from feuilles_de_route.enums import EtatJob
from feuilles_de_route.models import CopieSignee, CoRedacteur, PdfJob, Signataire
from national.models import SuiviDepartement
from subventions.enums import StatutDemande
from subventions.models import ConventionJob
from tests.besoins.factories import besoins_complets
from tests.candidatures.factories import ContactFactory, ManifestationFactory
from tests.conftest import make_user
from tests.feuilles_de_route.factories import (
    AxeFactory,
    ComiteFactory,
    DocumentFactory,
    FeuilleDeRouteFactory,
    FicheActionFactory,
    GouvernanceFactory,
    MembreFactory,
)
from tests.gouvernances.factories import CoordinationFactory
from tests.subventions import factories as subventions_factories

# The accounts of tests/conftest.py's role fixtures, created once for the module.
ROLE_ACCOUNTS = {
    "structure": ("secretariat@mairie.test", Role.STRUCTURE, {}),
    "coredacteur": ("redactrice@nievre-departement.test", Role.STRUCTURE, {}),
    "prefecture": ("agent@nievre.test", Role.PREFECTURE, {"departement": "58"}),
    "prefecture_autre": ("agent@cote-d-or.test", Role.PREFECTURE, {"departement": "21"}),
    "region": ("sgar@bfc.test", Role.PREFECTURE_REGION, {"region": "27"}),
    "region_autre": ("sgar@nouvelle-aquitaine.test", Role.PREFECTURE_REGION, {"region": "75"}),
    "demo": ("demo@anct.test", Role.DEMO, {}),
    "admin": ("admin@anct.test", Role.ADMIN, {}),
}

PDF_BYTES = b"%PDF-1.7 matrice"
DOCX_BYTES = b"PK docx matrice"
# ANCT's follow-up note on the Nièvre: administrators only, never the démo account.
SUIVI_NOTE = "Relancer la préfecture : note interne ANCT"


def open_campaign() -> None:
    from gouvernances.models import Echeance
    from tests.gouvernances.conftest import move_echeances, seed_calendar

    seed_calendar()
    move_echeances(Echeance.objects.exclude(statut=""), timezone.localdate() + datetime.timedelta(days=60))


def build_nievre(accounts: dict) -> dict:
    """A realistic Nièvre: returns the objects the matrix refers to by name."""
    open_campaign()
    admin = accounts["admin"]
    candidature = ManifestationFactory(confirmee=True)
    ContactFactory(manifestation=candidature)
    brouillon = ManifestationFactory(porteur_epci=True, etape=EtapePorter.INFORMATIONS)
    # The structure user has its own draft « porter » form.
    ManifestationFactory(user=accounts["structure"], porteur_epci=True, etape=EtapePorter.INFORMATIONS)

    gouvernance = GouvernanceFactory(pressentie=True)
    porteur = MembreFactory(gouvernance=gouvernance, departement_cd=True, coporteur=True)
    MembreFactory(gouvernance=gouvernance)
    ComiteFactory(gouvernance=gouvernance)
    CoordinationFactory(gouvernance=gouvernance)
    feuille = FeuilleDeRouteFactory(
        gouvernance=gouvernance, porteur=porteur, nom="Feuille de route de la Nièvre"
    )
    CoRedacteur.objects.create(
        membre=porteur, user=accounts["coredacteur"], invite_par=accounts["prefecture"]
    )
    document = DocumentFactory(feuille_de_route=feuille)
    axe = AxeFactory(document=document)
    fiche = FicheActionFactory(axe=axe)
    signataire = Signataire.objects.create(document=document, organisation="Association Numérique en Morvan")
    pdf_job = PdfJob.objects.create(document=document, etat=EtatJob.TERMINE, pages=1, demande_par=admin)
    pdf_job.fichier.save("document.pdf", ContentFile(PDF_BYTES))
    copie = CopieSignee(
        document=document, nom_original="signee.pdf", taille=len(PDF_BYTES), deposee_par=admin
    )
    copie.fichier.save("signee.pdf", ContentFile(PDF_BYTES), save=True)
    besoins_complets(gouvernance=gouvernance)
    SuiviDepartement.objects.create(
        departement=gouvernance.departement, commentaire=SUIVI_NOTE, probleme="", modifie_par=admin
    )
    subventions = build_subventions(
        gouvernance=gouvernance, feuille=feuille, axe=axe, fiche=fiche, porteur=porteur, admin=admin
    )
    # A person asks for the Nièvre's préfecture role (the administrator's list, its decision).
    demande_role = DemandeRole.objects.create(
        demandeur=make_user("agent.candidat@nievre.gouv.fr", Role.STRUCTURE),
        role=Role.PREFECTURE,
        departement_id="58",
        service="Secrétariat général",
        adresse_probable=True,
    )
    # The open-data files of this Nièvre, built once: each test puts them back in its MEDIA_ROOT.
    publication = open_data_services.publication_run(declencheur="commande")
    fichiers = {}
    for fichier in publication.fichiers.all():
        with default_storage.open(fichier.nom, "rb") as content:
            fichiers[fichier.nom] = content.read()
    return {
        **subventions,
        "demande_role": demande_role,
        "fichiers_publies": fichiers,
        "porteur": porteur,
        "candidature": candidature,
        "brouillon": brouillon,
        "feuille": feuille,
        "axe": axe,
        "fiche": fiche,
        "signataire": signataire,
        "pdf_job": pdf_job,
        "copie": copie,
    }


def build_subventions(*, gouvernance, feuille, axe, fiche, porteur, admin) -> dict:
    """Dotations, a note de contexte, a demande in brouillon, one to instruct, one accepted for the
    co-porteur, and its convention generated."""
    from types import SimpleNamespace

    ns = SimpleNamespace(
        gouvernance=gouvernance,
        feuille=feuille,
        fiche=fiche,
        departement_cd=porteur,
        dotation=subventions_factories.DotationFactory(),
        dotation_formation=subventions_factories.DotationFactory(formation=True),
    )
    subventions_factories.note(gouvernance)
    brouillon = subventions_factories.demande(ns)
    validee = subventions_factories.demande(
        ns, fiche=FicheActionFactory(axe=axe), statut=StatutDemande.VALIDEE
    )
    subventions_factories.acceptee(ns, fiche=FicheActionFactory(axe=axe))
    job = ConventionJob.objects.create(
        gouvernance=gouvernance,
        membre=porteur,
        demande_par=admin,
        etat=EtatJob.TERMINE,
        nom_fichier="convention.docx",
    )
    job.fichier_docx.save("convention.docx", ContentFile(DOCX_BYTES), save=False)
    job.fichier_pdf.save("convention.pdf", ContentFile(PDF_BYTES), save=True)
    return {"demande": brouillon, "demande_validee": validee, "convention_job": job}


def create_accounts() -> dict:
    """One account per role of the matrix but the anonymous visitor."""
    return {
        role: make_user(email, role_value, **scope)
        for role, (email, role_value, scope) in ROLE_ACCOUNTS.items()
    }


def restore_files(objects: dict, media_root: Path) -> None:
    """Puts the data set's private files and open-data files in `media_root`."""
    for fieldfile, content in (
        (objects["pdf_job"].fichier, PDF_BYTES),
        (objects["copie"].fichier, PDF_BYTES),
        (objects["convention_job"].fichier_docx, DOCX_BYTES),
        (objects["convention_job"].fichier_pdf, PDF_BYTES),
        (objects["demande"].budget_fichier, subventions_factories.PDF),
        *((name, content) for name, content in objects["fichiers_publies"].items()),
    ):
        path = media_root / getattr(fieldfile, "name", fieldfile)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


@pytest.fixture(scope="module")
def nievre(django_db_setup, django_db_blocker, tmp_path_factory):
    """The accounts and the data set, built once for the module inside a transaction that is
    rolled back at the end; each test runs in a savepoint of it (pytest-django's `db`), so that
    what a POST changes is undone before the next case."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            accounts = create_accounts()
            objects = build_nievre(accounts)
            yield accounts, objects
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def as_role(nievre, client, db, settings):
    """Log the client in as `role`; the private files and the open-data files are put back in
    this test's MEDIA_ROOT."""
    accounts, objects = nievre
    restore_files(objects, Path(settings.MEDIA_ROOT))

    def _as(role):
        if role != "anonyme":
            client.force_login(accounts[role])
        return client, objects

    return _as
