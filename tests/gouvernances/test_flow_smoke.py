import pytest

from gouvernances.models import Gouvernance

from .helpers import full_form

pytestmark = pytest.mark.django_db


def test_smoke(client_for):
    client = client_for("prefecture")
    r = client.get("/departements/58/gouvernance/")
    assert r.status_code == 200
    r = client.post("/departements/58/gouvernance/", full_form())
    if r.status_code != 302:
        print(r.content.decode()[-20000:])
    assert r.status_code == 302
    g = Gouvernance.objects.get(departement="58")
    assert g.membres.count() == 3
    r = client.get("/departements/58/gouvernance/")
    assert r.status_code == 200
    for s in [
        "sous-prefet",
        "membres",
        "co-porteurs",
        "comitologie",
        "feuilles-de-route",
        "coordination",
        "note-de-contexte",
    ]:
        assert client.get(f"/departements/58/gouvernance/{s}/").status_code == 200, s
