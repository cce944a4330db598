"""Role × access on the préfecture space: one table, every role."""

import pytest
from django.urls import reverse

from comptes import perms
from territoires.models import Departement

pytestmark = pytest.mark.django_db

NIEVRE = reverse("espace:departement", kwargs={"code": "58"})


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonyme", 302),
        ("structure", 404),
        ("prefecture", 200),
        ("prefecture_autre", 404),
        ("region", 200),
        ("region_autre", 404),
        ("demo", 200),
        ("admin", 200),
    ],
)
def test_departement_home_by_role(client_for, role, expected):
    response = client_for(role).get(NIEVRE)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))
    if expected == 200:
        content = response.content.decode()
        assert "Nièvre (58)" in content
        assert "Région Bourgogne-Franche-Comté" in content


def test_departement_home_shows_referential_figures(client_for):
    departement = Departement.objects.get(code="58")
    response = client_for("prefecture").get(NIEVRE)
    figures = response.context["figures"]
    assert figures.communes == departement.communes.count() > 300
    assert figures.population == departement.population > 150_000
    # CA Moulins Communauté (Allier) has communes in the Nièvre: it is one of the Nièvre's EPCI.
    assert figures.epcis_a_cheval >= 1
    assert figures.epcis == departement.epcis.count()


def test_region_is_read_only_on_departement_home(client_for):
    content = client_for("region").get(NIEVRE).content.decode()
    assert "Consultation seule" in content
    assert "Changer de département" in content


def test_prefecture_sees_no_read_only_notice_nor_switch(client_for):
    content = client_for("prefecture").get(NIEVRE).content.decode()
    assert "Consultation seule" not in content
    assert "Changer de département" not in content


def test_unknown_departement_is_404(client_for):
    assert client_for("admin").get("/departements/00/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected_codes"),
    [
        ("region", {"21", "25", "39", "58", "70", "71", "89", "90"}),
        ("prefecture", {"58"}),
        ("structure", set()),
    ],
)
def test_departement_list_is_scoped(client_for, role, expected_codes):
    response = client_for(role).get(reverse("espace:departements"))
    assert response.status_code == 200
    assert {d.code for d in response.context["departements"]} == expected_codes


def test_national_roles_list_every_departement(client_for):
    response = client_for("demo").get(reverse("espace:departements"))
    assert len(response.context["departements"]) == Departement.objects.count() >= 101


def test_departement_list_anonymous_redirects_to_login(client):
    response = client.get(reverse("espace:departements"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/departements/"


@pytest.mark.parametrize(
    ("role", "can_read", "can_write"),
    [
        ("structure", False, False),
        ("prefecture", True, True),
        ("prefecture_autre", False, False),
        ("region", True, False),
        ("region_autre", False, False),
        ("demo", True, False),
        ("admin", True, True),
    ],
)
def test_perms_predicates(users, role, can_read, can_write):
    nievre = Departement.objects.get(code="58")
    user = users[role]
    assert perms.can_read_departement(user, nievre) is can_read
    assert perms.can_write_departement(user, nievre) is can_write


@pytest.mark.parametrize(
    ("role", "outcome"),
    [
        ("prefecture", "ok"),
        ("region", "403"),
        ("demo", "403"),
        ("prefecture_autre", "404"),
        ("structure", "404"),
    ],
)
def test_get_departement_for_write(users, role, outcome):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    user = users[role]
    if outcome == "ok":
        assert perms.get_departement_for_user_or_404(user, "58", write=True).code == "58"
    elif outcome == "403":
        with pytest.raises(PermissionDenied):
            perms.get_departement_for_user_or_404(user, "58", write=True)
    else:
        with pytest.raises(Http404):
            perms.get_departement_for_user_or_404(user, "58", write=True)


@pytest.mark.parametrize(
    ("role", "target"),
    [
        ("prefecture", "/departements/58/"),
        ("region", "/departements/"),
        ("admin", "/departements/"),
    ],
)
def test_login_lands_on_the_space_of_the_role(client_for, role, target):
    response = client_for(role).get(reverse("espace:mon_espace"))
    assert response.status_code == 302
    assert response["Location"] == target


def test_structure_user_lands_on_its_own_space(client_for):
    response = client_for("structure").get(reverse("espace:mon_espace"))
    assert response.status_code == 200
    assert "secretariat@mairie.test" in response.content.decode()
