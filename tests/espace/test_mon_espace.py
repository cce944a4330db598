from django.urls import reverse

from tests.candidatures.factories import ManifestationFactory


def _page(client):
    response = client.get(reverse("espace:mon_espace"))
    assert response.status_code == 200
    return response.content.decode()


def test_mon_espace_lists_the_users_own_forms_with_their_status_and_a_link(client_for, users):
    ManifestationFactory(user=users["structure"], confirmee=True)
    ManifestationFactory(user=users["structure"], annulee=True, structure=True)
    ManifestationFactory(structure=True)  # someone else's
    html = _page(client_for("structure"))
    assert "<title>Mon espace — Espace France Numérique Ensemble</title>" in html
    listed = html.split('data-testid="mes-formulaires"')[1].split("</ul>")[0]
    assert "Participer à l&#x27;élaboration des feuilles de route</strong> — Nevers" in listed
    assert "Confirmée" in listed
    assert "Voir le formulaire" in listed
    assert reverse("candidatures:mon_formulaire") in listed
    # A cancelled form is gone for its author; another user's form is not theirs.
    assert "Association Numérique en Morvan" not in listed


def test_mon_espace_offers_to_resume_a_draft(client_for, users):
    ManifestationFactory(user=users["structure"])
    listed = _page(client_for("structure")).split('data-testid="mes-formulaires"')[1].split("</ul>")[0]
    assert "Brouillon" in listed
    assert "Reprendre le brouillon" in listed


def test_mon_espace_without_a_form_invites_to_fill_one(client_for, users):
    html = _page(client_for("structure"))
    assert "Vous n'avez encore rempli aucun formulaire." in html
    assert reverse("candidatures:entree") in html


def test_mon_espace_query_count_stays_constant(client_for, users, django_assert_max_num_queries):
    ManifestationFactory(user=users["structure"], confirmee=True)
    client = client_for("structure")
    client.get(reverse("espace:mon_espace"))
    with django_assert_max_num_queries(8):
        _page(client)
