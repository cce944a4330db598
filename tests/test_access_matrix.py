"""Every URL pattern × every role × GET/POST, against the table in tests/access_matrix.py.

The patterns come from Django's URL resolver, so a view added without a row fails
`test_every_url_pattern_is_in_the_matrix`. One test case per (pattern, role, method): a failure
names all three.
"""

import datetime
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from candidatures.enums import EtapePorter
from comptes.enums import Role
from feuilles_de_route.enums import EtatJob
from feuilles_de_route.models import CopieSignee, CoRedacteur, PdfJob, Signataire
from tests.access_matrix import EXCLUDED_INCLUDES, EXCLUDED_VIEWS, LOGIN, MATRIX, ROLES, Case, Ref
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

# --- Walking the resolver -------------------------------------------------------------------


def _view_path(callback) -> str:
    view = getattr(callback, "view_class", callback)
    return f"{view.__module__}.{view.__qualname__}"


def walk_patterns(patterns=None, prefix="", namespace=""):
    """Yield (qualified name or route, route, view path) for every pattern not excluded."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_name, "__name__", str(entry.urlconf_name))
            if entry.namespace in EXCLUDED_INCLUDES or module in EXCLUDED_INCLUDES:
                continue
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            yield from walk_patterns(entry.url_patterns, route, inner or namespace)
        elif isinstance(entry, URLPattern):
            view = _view_path(entry.callback)
            if view in EXCLUDED_VIEWS:
                continue
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield (name or route), route, view


def cases():
    for name, spec in MATRIX.items():
        for case in spec if isinstance(spec, list) else [spec]:
            ident = f"{name}[{case.label}]" if case.label else name
            for method, expected in (("GET", case.get), ("POST", case.post)):
                if expected is None:
                    continue
                for role in ROLES:
                    yield pytest.param(
                        name, case, role, method, expected[role], id=f"{ident}-{role}-{method}"
                    )


def test_every_url_pattern_is_in_the_matrix():
    found = {name: (route, view) for name, route, view in walk_patterns()}
    missing = sorted(set(found) - set(MATRIX))
    assert not missing, (
        "Ces URL n'ont pas de ligne dans la matrice d'accès : ajoutez-les à MATRIX dans "
        "tests/access_matrix.py (kwargs et statut attendu par rôle, en GET et, si la vue écrit, "
        "en POST) :\n" + "\n".join(f"  {name}  ({found[name][0]} → {found[name][1]})" for name in missing)
    )
    stale = sorted(set(MATRIX) - set(found))
    assert not stale, "Lignes de la matrice sans URL (à retirer) : " + ", ".join(stale)


def test_every_row_gives_a_status_for_every_role():
    for name, spec in MATRIX.items():
        for case in spec if isinstance(spec, list) else [spec]:
            assert case.get is not None, f"{name}: le GET doit être spécifié"
            for expected in (case.get, case.post):
                if expected is not None:
                    assert set(expected) == set(ROLES), f"{name}: rôles {set(ROLES) ^ set(expected)}"


# --- The Nièvre data set --------------------------------------------------------------------

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


def open_campaign() -> None:
    from gouvernances.models import Echeance
    from tests.gouvernances.conftest import seed_calendar

    seed_calendar()
    Echeance.objects.exclude(statut="").update(date_limite=timezone.localdate() + datetime.timedelta(days=60))


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
    return {
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
            accounts = {
                role: make_user(email, role_value, **scope)
                for role, (email, role_value, scope) in ROLE_ACCOUNTS.items()
            }
            objects = build_nievre(accounts)
            yield accounts, objects
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def as_role(nievre, client, db, settings):
    """Log the client in as `role`; the private files are put back in this test's MEDIA_ROOT."""
    accounts, objects = nievre
    for fieldfile in (objects["pdf_job"].fichier, objects["copie"].fichier):
        path = Path(settings.MEDIA_ROOT) / fieldfile.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF_BYTES)

    def _as(role):
        if role != "anonyme":
            client.force_login(accounts[role])
        return client, objects

    return _as


def build_url(name: str, case: Case, objects: dict) -> str:
    kwargs = {k: (objects[v.name].pk if isinstance(v, Ref) else v) for k, v in case.kwargs.items()}
    return reverse(name, kwargs=kwargs)


def describe(response) -> str:
    location = response.get("Location", "")
    return f"{response.status_code}" + (f" → {location}" if location else "")


@pytest.mark.parametrize(("name", "case", "role", "method", "expected"), list(cases()))
def test_access(as_role, name, case, role, method, expected):
    client, objects = as_role(role)
    url = build_url(name, case, objects)
    response = client.get(url + case.query) if method == "GET" else client.post(url, case.data)
    if hasattr(response, "streaming_content"):
        response.close()
    where = f"{method} {url} en tant que « {role} »"
    if expected == LOGIN:
        assert response.status_code == 302, f"{where} : {describe(response)}, attendu : connexion"
        assert response["Location"].startswith(reverse("account_login")), f"{where} : {describe(response)}"
    else:
        assert response.status_code == expected, f"{where} : {describe(response)}, attendu {expected}"
    if method == "GET" and response.status_code == 200:
        content = response.content.decode()
        for text, roles in case.hidden.items():
            assert role not in roles or text not in content, f"{where} : la page montre « {text} »"
