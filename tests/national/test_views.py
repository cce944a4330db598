import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.cache import invalidate
from gouvernances.models import Gouvernance
from national.models import SuiviDepartement
from national.signals import SUIVI
from territoires.models import Departement
from tests.gouvernances.factories import FeuilleDeRouteFactory, GouvernanceFactory, MembreFactory

READS = [
    "/national/",
    "/national/tableaux/gouvernances/",
    "/national/tableaux/membres/",
    "/national/tableaux/feuilles-de-route/",
    "/national/tableaux/candidats/",
    "/national/indicateurs/",
    "/national/tableaux/gouvernances/export.csv",
    "/national/tableaux/gouvernances/export.xlsx",
    "/national/tableaux/membres/export.csv",
    "/national/tableaux/membres/export.xlsx",
    "/national/tableaux/feuilles-de-route/export.csv",
    "/national/tableaux/feuilles-de-route/export.xlsx",
    "/national/tableaux/candidats/export.csv",
    "/national/tableaux/candidats/export.xlsx",
    "/national/departements/58/",
]
WRITES = [
    ("/national/departements/58/suivi/", {"commentaire": "Relancé", "probleme": ""}),
    ("/national/departements/58/rouvrir/", {"jusquau": "2030-01-01"}),
]


@pytest.mark.parametrize("url", READS)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonyme", 302),
        ("structure", 404),
        ("prefecture", 404),
        ("prefecture_autre", 404),
        ("region", 404),
        ("demo", 200),
        ("admin", 200),
    ],
)
def test_reads_role_access(cas_simple, client_for, url, role, expected):
    response = client_for(role).get(url)
    assert response.status_code == expected
    if role == "anonyme":
        assert "/comptes/login/" in response["Location"]


@pytest.mark.parametrize(("url", "data"), WRITES)
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonyme", 302),
        ("structure", 404),
        ("prefecture", 404),
        ("region", 404),
        ("demo", 403),
        ("admin", 302),
    ],
)
def test_writes_role_access(cas_simple, client_for, url, data, role, expected):
    response = client_for(role).post(url, data)
    assert response.status_code == expected
    if role != "admin":
        assert not SuiviDepartement.objects.exists()
        assert Gouvernance.objects.get(departement="58").rouverte_jusquau is None


def test_unknown_table_or_format_or_departement_is_404(client_for):
    client = client_for("admin")
    assert client.get("/national/tableaux/inconnu/").status_code == 404
    assert client.get("/national/tableaux/membres/export.pdf").status_code == 404
    assert client.get("/national/departements/975/").status_code == 404  # not in the campaign
    assert client.get("/national/departements/XX/").status_code == 404


def test_suivi_is_saved_with_history_and_hidden_from_demo(cas_simple, client_for, users):
    admin = client_for("admin")
    response = admin.post(
        "/national/departements/58/suivi/",
        {"commentaire": "Relance faite le 3/11", "probleme": "Pas de co-porteur"},
    )
    assert response.status_code == 302
    suivi = SuiviDepartement.objects.get(departement="58")
    assert suivi.probleme == "Pas de co-porteur"
    assert suivi.history.count() == 1
    assert suivi.history.first().history_user == users["admin"]
    assert "Relance faite le 3/11" in admin.get("/national/departements/58/").content.decode()
    table = admin.get("/national/tableaux/gouvernances/?probleme=true").content.decode()
    assert "Pas de co-porteur" in table
    assert 'data-departement="58"' in table
    assert 'data-departement="21"' not in table

    admin.logout()
    demo = client_for("demo")
    for url in ("/national/departements/58/", "/national/tableaux/gouvernances/"):
        html = demo.get(url).content.decode()
        assert "Relance faite le 3/11" not in html
        assert "Pas de co-porteur" not in html
    export = demo.get("/national/tableaux/gouvernances/export.csv").content.decode("utf-8-sig")
    assert "Problème identifié" not in export
    assert "Pas de co-porteur" not in export


def test_reopening_uses_the_gouvernance_service_and_emails_the_prefecture(
    cas_simple, client_for, users, django_capture_on_commit_callbacks
):
    jusquau = timezone.localdate() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(
            "/national/departements/58/rouvrir/", {"jusquau": jusquau.isoformat()}
        )
    assert response.status_code == 302
    gouvernance = Gouvernance.objects.get(departement="58")
    assert gouvernance.rouverte_jusquau == jusquau
    assert gouvernance.history.first().history_change_reason == "reouverture"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [users["prefecture"].email]  # the Nièvre's préfecture only
    assert "rouvert" in mail.outbox[0].subject
    assert jusquau.strftime("%Y") in mail.outbox[0].body


def test_reopening_in_the_past_is_refused(cas_simple, client_for):
    hier = timezone.localdate() - datetime.timedelta(days=1)
    response = client_for("admin").post("/national/departements/58/rouvrir/", {"jusquau": hier.isoformat()})
    assert response.status_code == 400
    assert "aujourd" in response.content.decode()
    # Outside the campaign's plausible range: refused as well, with the range.
    response = client_for("admin").post("/national/departements/58/rouvrir/", {"jusquau": "2099-01-01"})
    assert response.status_code == 400
    assert "31 décembre 2035" in response.content.decode()
    assert Gouvernance.objects.get(departement="58").rouverte_jusquau is None


def test_gouvernances_table_filters_sorts_and_links(cas_simple, client_for):
    client = client_for("admin")
    html = client.get("/national/tableaux/gouvernances/?region=27&statut=definitive").content.decode()
    assert 'data-departement="21"' in html
    assert 'data-departement="58"' not in html
    assert 'href="/departements/21/gouvernance/"' in html
    html = client.get("/national/tableaux/gouvernances/?statut=aucune&region=27").content.decode()
    assert 'data-departement="25"' in html
    assert 'data-departement="21"' not in html
    html = client.get("/national/tableaux/gouvernances/?tri=-membres").content.decode()
    assert html.index('data-departement="21"') < html.index('data-departement="58"')
    # 101 rows, 50 per page.
    assert "Page 1 sur 3" in client.get("/national/tableaux/gouvernances/").content.decode()


def _grow(codes, *, membres, feuilles):
    for code in codes:
        g = GouvernanceFactory(
            departement=Departement.objects.get(code=code), sous_prefet_email=f"sp@{code}.example"
        )
        MembreFactory.create_batch(membres, gouvernance=g)
        MembreFactory(gouvernance=g, departement_cd=True, coporteur=True)
        FeuilleDeRouteFactory.create_batch(feuilles, gouvernance=g)


PAGES = [url for url in READS if "export" not in url]


def _count(client, url, *, recompute: bool = True):
    if recompute:
        # The pages' content is cached until the campaign's data change: renew one of its data
        # sets so that the page is computed again (the diagnostic's indicators stay cached).
        invalidate(SUIVI)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_data(cas_simple, client_for):
    from tests.candidatures.factories import ManifestationFactory

    client = client_for("admin")
    # The diagnostic's figures (the dashboard's map) are cached after the first read: count the
    # pages once that read is done, at both sizes.
    for url in PAGES:
        client.get(url)
    small = {url: _count(client, url) for url in PAGES}
    _grow(["25", "39", "70", "71", "90", "03", "23", "16"], membres=6, feuilles=3)
    ManifestationFactory.create_batch(15, confirmee=True, structure=True)
    big = {url: _count(client, url) for url in PAGES}
    for url in PAGES:
        print(f"[query count] {url}: {small[url]} → {big[url]}")
    assert small == big
    # Read again with nothing changed, the consolidated pages come from the cache: the session
    # and the account are all that is read.
    cached = ["/national/", *(url for url in PAGES if "/tableaux/" in url)]
    for url in cached:
        client.get(url)
    for url in cached:
        assert _count(client, url, recompute=False) == 2, url
    # The dashboard also draws the map of the départements (its campaign and diagnostic figures).
    assert big.pop("/national/") <= 17
    assert max(big.values()) <= 15
