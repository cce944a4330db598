"""The SIRET typed in the gouvernance form (members, coordination des conseillers numériques) are
looked up in the « recherche d'entreprises » service, faked by a local server (`sirene`)."""

import pytest
from django.urls import reverse

from entreprises.enums import StatutVerification
from entreprises.models import Etablissement

from .helpers import full_form

pytestmark = pytest.mark.django_db


def test_the_gouvernance_form_asks_for_its_members_and_coordinations_siret(
    client_for, sirene, django_capture_on_commit_callbacks
):
    sirene.expect_request("/search").respond_with_json({"results": [], "total_results": 0})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("prefecture").post(
            reverse("gouvernances:detail", kwargs={"code": "58"}), full_form()
        )
    assert response.status_code == 302
    # The member's and the coordination's SIRET, as typed (spaces removed), each looked up once.
    assert dict(Etablissement.objects.values_list("siret", "statut")) == {
        "35600000000048": StatutVerification.INTROUVABLE,
        "24580440600008": StatutVerification.INTROUVABLE,
    }
    assert sorted(request.args["q"] for request, _ in sirene.log) == ["24580440600008", "35600000000048"]
    page = (
        client_for("prefecture").get(reverse("gouvernances:detail", kwargs={"code": "58"})).content.decode()
    )
    assert "La Poste — Direction régionale" in page  # the typed name stays, the status beside it
    assert page.count("Introuvable") == 2
