import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_explains_fne_to_a_visitor(client):
    response = client.get(reverse("espace:home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Espace France Numérique Ensemble" in content
    assert "République<br>Française" in content
    for text in (
        "8 millions",
        "25 000",
        "20 000",
        "2 millions",
        "Axe 4",
        "15 octobre 2023",
        "31 décembre 2023",
        "Juin 2024",
    ):
        assert text in content
    assert 'href="#content"' in content  # skip link
    assert 'id="footer"' in content
    assert "Se connecter" in content


@pytest.mark.parametrize("name", ["espace:accessibilite", "espace:mentions_legales"])
def test_public_pages(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    ("role", "present", "absent"),
    [
        ("anonyme", [], ["Mon département", "Départements", "Administration"]),
        ("prefecture", ["Mon département"], ["Départements de la région", "Administration"]),
        ("region", ["Départements de la région"], ["Mon département", "Administration"]),
        ("demo", ["Départements"], ["Mon département", "Administration"]),
        ("admin", ["Départements", "Administration"], ["Mon département"]),
    ],
)
def test_navigation_depends_on_role(client_for, role, present, absent):
    content = client_for(role).get(reverse("espace:home")).content.decode()
    nav = content.split('id="fr-navigation"')[1].split("</nav>")[0]
    for label in present:
        assert f">{label}<" in nav
    for label in absent:
        assert f">{label}<" not in nav


def test_header_names_the_prefecture_departement(client_for):
    content = client_for("prefecture").get(reverse("espace:home")).content.decode()
    assert "agent@nievre.test — Préfecture de la Nièvre" in content


def test_home_page_makes_no_query_for_a_visitor(client, django_assert_num_queries):
    # The campaign calendar is data (gouvernances.Echeance), read once then cached.
    client.get(reverse("espace:home"))
    with django_assert_num_queries(0):
        client.get(reverse("espace:home"))


def test_only_the_most_specific_menu_entry_is_current(client_for):
    content = client_for("admin").get(reverse("besoins:national")).content.decode()
    nav = content.split('id="fr-navigation"')[1].split("</nav>")[0]
    assert nav.count('aria-current="page"') == 1
    assert 'aria-current="page">Besoins (national)<' in nav


def test_health_check_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("core:sante"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-store" in response["Cache-Control"]
    assert client.post(reverse("core:sante")).status_code == 405
