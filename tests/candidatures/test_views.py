import re

import pytest
from django.urls import reverse

from candidatures.enums import Intention, Persona, Statut, TypeContact
from candidatures.models import ManifestationInteret
from comptes.enums import Role
from tests.browser_form import post_form
from tests.conftest import make_user

from .factories import ContactFactory, ManifestationFactory

pytestmark = pytest.mark.django_db

PREFECTURE_PAGES = [
    ("candidatures:liste", ["58"]),
    ("candidatures:export", ["58", "csv"]),
    ("candidatures:export", ["58", "xlsx"]),
]


@pytest.mark.parametrize(("name", "args"), PREFECTURE_PAGES)
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
def test_prefecture_pages_by_role(client_for, role, expected, name, args):
    response = client_for(role).get(reverse(name, args=args))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))


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
def test_detail_by_role(client_for, role, expected):
    candidat = ManifestationFactory(confirmee=True)
    ContactFactory(manifestation=candidat, email="claire@nevers.example")
    response = client_for(role).get(reverse("candidatures:detail", args=["58", candidat.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert "claire@nevers.example" in response.content.decode()


def test_detail_of_a_form_of_another_departement_is_404(client_for):
    from territoires.models import Commune

    dijon = ManifestationFactory(commune=Commune.objects.get(code="21231"), confirmee=True)
    assert (
        client_for("prefecture").get(reverse("candidatures:detail", args=["58", dijon.pk])).status_code == 404
    )
    draft = ManifestationFactory()
    assert (
        client_for("prefecture").get(reverse("candidatures:detail", args=["58", draft.pk])).status_code == 404
    )


def test_region_reads_without_write_controls(client_for):
    content = client_for("region").get(reverse("candidatures:liste", args=["58"])).content.decode()
    assert "Candidats à la gouvernance de la Nièvre" in content


@pytest.mark.parametrize("role", ["anonyme", "structure"])
def test_entree_is_public(client_for, role):
    response = client_for(role).get(reverse("candidatures:entree"))
    assert response.status_code == 200
    assert "Conseil régional" in response.content.decode()


@pytest.mark.parametrize("role", ["prefecture", "admin"])
def test_entree_tells_state_accounts_they_are_no_candidates(client_for, role):
    response = client_for(role).get(reverse("candidatures:entree"))
    assert response.status_code == 200
    assert "Formulaire réservé aux candidats" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["candidatures:mon_formulaire", "candidatures:participer", "candidatures:recapitulatif"]
)
def test_form_pages_require_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_anonymous_choice_sends_to_signup(client):
    response = client.post(reverse("candidatures:entree"), {"persona": "commune", "intention": "participer"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_signup"))
    assert "persona%3Dcommune" in response["Location"]


def test_home_card_shows_counters_and_link(client_for):
    ManifestationFactory(structure=True, confirmee=True)
    content = client_for("prefecture").get(reverse("espace:departement", args=["58"])).content.decode()
    assert "Porteurs d'une feuille de route" in content
    assert 'data-compteur="participants_structures">1<' in content
    assert reverse("candidatures:liste", args=["58"]) in content


def test_navigation_entries(client_for):
    assert "Gouvernance" in client_for("anonyme").get("/").content.decode()
    content = client_for("prefecture").get("/").content.decode()
    assert reverse("candidatures:liste", args=["58"]) in content


# --- The visitor's journey through the views ------------------------------------------------


@pytest.fixture
def visitor(client):
    user = make_user("secretariat@mairie-nevers.example", Role.STRUCTURE)
    client.force_login(user)
    return client, user


def _participer_post(**overrides):
    data = {
        "version": "1",
        "departement": "58",
        "collectivite": "commune:58194",
        "contact_politique-prenom": "Claire",
        "contact_politique-nom": "Martin",
        "contact_politique-fonction": "Adjointe au numérique",
        "contact_politique-email": "claire.martin@nevers.example",
        "contact_technique-prenom": "",
        "contact_technique-nom": "",
        "contact_technique-fonction": "",
        "contact_technique-email": "",
    }
    data.update(overrides)
    return data


def test_participer_end_to_end_and_double_confirmation(
    visitor, prefecture_58, mailoutbox, django_capture_on_commit_callbacks
):
    client, user = visitor
    response = client.post(reverse("candidatures:entree"), {"persona": "commune", "intention": "participer"})
    assert response["Location"] == reverse("candidatures:mon_formulaire")
    assert client.get(response["Location"])["Location"] == reverse("candidatures:participer")
    response = client.post(reverse("candidatures:participer"), _participer_post())
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == reverse("candidatures:recapitulatif")
    assert "Confirmer et envoyer" in client.get(reverse("candidatures:recapitulatif")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("candidatures:confirmer"))
        client.post(reverse("candidatures:confirmer"))  # double click
    manifestation = ManifestationInteret.objects.get(user=user)
    assert manifestation.statut == Statut.CONFIRMEE
    assert len(mailoutbox) == 2
    content = client.get(reverse("candidatures:mon_formulaire")).content.decode()
    assert "Formulaire confirmé" in content
    # Read-only: the participer page sends back to the confirmed form.
    assert client.get(reverse("candidatures:participer"))["Location"] == reverse(
        "candidatures:mon_formulaire"
    )


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"collectivite": "99999"}, "Aucune collectivité ne correspond au code « 99999 »"),
        ({"collectivite": "commune:21231"}, "pas dans le département Nièvre"),
        ({"contact_politique-nom": ""}, "Nom : ce champ est obligatoire."),
        ({"contact_politique-email": "claire.nevers.example"}, "avec un « @ »"),
        ({"contact_technique-nom": "Durand"}, "Complétez ce champ ou videz tout le contact."),
    ],
)
def test_participer_bad_input_shown_next_to_field_and_kept(visitor, overrides, field_error):
    client, user = visitor
    client.post(reverse("candidatures:entree"), {"persona": "commune", "intention": "participer"})
    response = client.post(reverse("candidatures:participer"), _participer_post(**overrides))
    assert response.status_code == 200
    content = response.content.decode()
    assert field_error in content
    assert "fr-input-group--error" in content or "fr-select-group--error" in content
    assert 'value="Claire"' in content  # input kept
    assert ManifestationInteret.objects.get(user=user).contacts.count() == 0


def test_structure_invalid_siret_message(visitor):
    client, _ = visitor
    client.post(reverse("candidatures:entree"), {"persona": "structure", "intention": "participer"})
    response = client.post(
        reverse("candidatures:participer"),
        {
            "version": "1",
            "departement": "58",
            "structure_nom": "Association Numérique en Morvan",
            "structure_siret": "73282932000075",
            "contact_structure-prenom": "Lou",
            "contact_structure-nom": "Bernard",
            "contact_structure-fonction": "Présidente",
            "contact_structure-email": "lou@morvan.example",
        },
    )
    content = response.content.decode()
    assert "la clé de contrôle ne correspond pas" in content
    assert 'value="Association Numérique en Morvan"' in content


def _structure_post(**overrides):
    data = {
        "version": "1",
        "departement": "58",
        "structure_nom": "Tiers-lieu du Morvan",
        "structure_sans_siret": "on",
        "structure_type": "operateur_service_public",
        "contact_structure-prenom": "Lou",
        "contact_structure-nom": "Bernard",
        "contact_structure-fonction": "Coordinatrice",
        "contact_structure-email": "lou@morvan.example",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_a_structure_says_its_type_shown_to_the_prefecture(visitor, client_for):
    client, user = visitor
    client.post(reverse("candidatures:entree"), {"persona": "structure", "intention": "participer"})
    page = client.get(reverse("candidatures:participer")).content.decode()
    labels = [
        " ".join(m.split()) for m in re.findall(r'for="id_structure_type_\d">(.*?)</label>', page, re.S)
    ]
    assert [label.split(" (")[0] for label in labels] == [
        "Association",
        "Opérateur de service public",
        "Entreprise",
        "Autre",
    ]
    # Not answered: refused next to the field, nothing typed is lost.
    html = as_browser(
        client, reverse("candidatures:participer"), _structure_post(structure_type=None)
    ).content.decode()
    assert "Choisissez le type de la structure." in html
    assert 'value="Tiers-lieu du Morvan"' in html
    assert ManifestationInteret.objects.get(user=user).structure_nom == ""

    response = as_browser(client, reverse("candidatures:participer"), _structure_post())
    assert response["Location"] == reverse("candidatures:recapitulatif")
    stored = ManifestationInteret.objects.get(user=user)
    assert stored.structure_type == "operateur_service_public"
    recap = client.get(reverse("candidatures:recapitulatif")).content.decode()
    assert "<dt>Type de structure</dt><dd>Opérateur de service public</dd>" in recap
    # The draft resumed shows the answer.
    assert re.search(
        r'value="operateur_service_public"[^>]*checked',
        client.get(reverse("candidatures:participer")).content.decode(),
    )

    client.post(reverse("candidatures:confirmer"))
    liste = client_for("prefecture").get(reverse("candidatures:liste", args=["58"])).content.decode()
    assert "Autre personne morale publique ou privée — Opérateur de service public" in liste


def test_second_active_form_refused_on_entree(visitor):
    client, user = visitor
    ManifestationFactory(user=user, confirmee=True)
    response = client.post(
        reverse("candidatures:entree"), {"persona": "structure", "intention": "participer"}
    )
    assert response.status_code == 200
    assert ManifestationInteret.objects.filter(user=user).count() == 1


def test_porter_forbidden_for_commune_on_entree(visitor):
    client, _ = visitor
    response = client.post(reverse("candidatures:entree"), {"persona": "commune", "intention": "porter"})
    assert response.status_code == 200
    assert "ne peut pas porter" in response.content.decode()


def test_stale_draft_save_refused_with_input_kept(visitor):
    client, user = visitor
    client.post(reverse("candidatures:entree"), {"persona": "commune", "intention": "participer"})
    client.post(reverse("candidatures:participer"), _participer_post())  # version 1 → 2
    response = client.post(
        reverse("candidatures:participer"), _participer_post(**{"contact_politique-nom": "Autre"})
    )  # a second tab still at version 1
    assert response.status_code == 409
    content = response.content.decode()
    assert f"{user.display_name} a enregistré ce formulaire le " in content
    assert 'value="Autre"' in content
    assert (
        ManifestationInteret.objects.get(user=user).contacts.get(type=TypeContact.POLITIQUE).nom == "Martin"
    )


def _version_in(html: str) -> str:
    return re.search(r'name="version" value="(\d+)"', html).group(1)


def test_two_tabs_the_later_save_is_refused_then_goes_through_deliberately(visitor):
    client, user = visitor
    client.post(reverse("candidatures:entree"), {"persona": "commune", "intention": "participer"})
    # Two tabs open the page: both read the same version.
    first_tab = client.get(reverse("candidatures:participer")).content.decode()
    second_tab = client.get(reverse("candidatures:participer")).content.decode()
    assert _version_in(first_tab) == _version_in(second_tab)

    saved = client.post(reverse("candidatures:participer"), _participer_post(version=_version_in(first_tab)))
    assert saved.status_code == 302
    response = client.post(
        reverse("candidatures:participer"),
        _participer_post(version=_version_in(second_tab), **{"contact_politique-nom": "Seconde"}),
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Quelqu'un a enregistré avant vous" in content
    assert f"{user.display_name} a enregistré ce formulaire" in content
    assert 'value="Seconde"' in content  # what the second tab typed is kept
    stored = ManifestationInteret.objects.get(user=user)
    assert stored.contacts.get(type=TypeContact.POLITIQUE).nom == "Martin"  # the first save stands
    assert _version_in(content) == str(stored.version)

    # Saving the re-rendered page, knowingly, replaces the first save.
    again = client.post(
        reverse("candidatures:participer"),
        _participer_post(version=_version_in(content), **{"contact_politique-nom": "Seconde"}),
    )
    assert again.status_code == 302
    stored = ManifestationInteret.objects.get(user=user)
    assert stored.contacts.get(type=TypeContact.POLITIQUE).nom == "Seconde"


def as_browser(client, url, values):
    """Post the page's form as a browser sends it (every field it renders), with `values`."""
    data = post_form(client.get(url).content.decode(), contains="version").as_post()
    return client.post(url, {**data, **values})


def test_porter_steps_through_the_views(visitor):
    client, user = visitor
    client.post(reverse("candidatures:entree"), {"persona": "conseil_departemental", "intention": "porter"})
    assert client.get(reverse("candidatures:mon_formulaire"))["Location"] == reverse(
        "candidatures:porter", args=["informations"]
    )
    # A later step is not reachable before the previous ones.
    assert client.get(reverse("candidatures:porter", args=["structures"]))["Location"].endswith(
        "/informations/"
    )
    page = client.get(reverse("candidatures:porter", args=["informations"])).content.decode()
    assert "Étape 1 sur 5" in page
    response = as_browser(
        client,
        reverse("candidatures:porter", args=["informations"]),
        {
            "version": "1",
            "collectivite": "departement:58",
            "dispositifs_existants": "SDUN de la Nièvre",
            "contact_politique-prenom": "Anne",
            "contact_politique-nom": "Leroy",
            "contact_politique-fonction": "Vice-présidente",
            "contact_politique-email": "anne.leroy@nievre.example",
        },
    )
    assert response["Location"].endswith("/perimetre/")
    page = client.get(response["Location"]).content.decode()
    assert "Étape 2 sur 5" in page
    assert "commune:58194" in page
    response = as_browser(
        client,
        reverse("candidatures:porter", args=["perimetre"]),
        {"version": "2", "membres": ["commune:58194", "commune:58086"], "ajouts": "21231"},
    )
    assert response["Location"].endswith("/contacts/")
    response = as_browser(client, reverse("candidatures:porter", args=["contacts"]), {"plus_tard": "on"})
    assert response["Location"].endswith("/structures/")
    response = as_browser(
        client,
        reverse("candidatures:porter", args=["structures"]),
        {
            "version": "4",
            "structures-TOTAL_FORMS": "2",
            "structures-INITIAL_FORMS": "0",
            "structures-0-nom_structure": "Emmaüs Connect",
            "structures-0-prenom": "Sam",
            "structures-0-nom": "Petit",
            "structures-0-fonction": "Responsable",
            "structures-0-email": "sam@emmaus.example",
        },
    )
    assert response["Location"] == reverse("candidatures:recapitulatif")
    recap = client.get(response["Location"]).content.decode()
    assert "Dijon" in recap
    assert "Emmaüs Connect" in recap
    client.post(reverse("candidatures:confirmer"))
    manifestation = ManifestationInteret.objects.get(user=user)
    assert manifestation.statut == Statut.CONFIRMEE
    assert manifestation.intention == Intention.PORTER
    assert manifestation.persona == Persona.CONSEIL_DEPARTEMENTAL
    assert manifestation.perimetre.count() == 3


def test_list_filters(client_for):
    ManifestationFactory(confirmee=True)
    ManifestationFactory(structure=True, confirmee=True, structure_nom="Médiathèque de Clamecy")
    url = reverse("candidatures:liste", args=["58"])
    content = client_for("prefecture").get(url, {"typologie": "structure"}).content.decode()
    assert "Médiathèque de Clamecy" in content
    assert ">Nevers<" not in content
    content = client_for("prefecture").get(url, {"q": "clamecy"}).content.decode()
    assert "Médiathèque de Clamecy" in content
    content = client_for("prefecture").get(url, {"intention": "porter"}).content.decode()
    assert "Aucun candidat" in content


def _many_candidats(n, prefix="c"):
    from candidatures.models import Contact

    user_ids = []
    from comptes.models import User

    users = User.objects.bulk_create([User(email=f"{prefix}{i}@nevers.example") for i in range(n)])
    user_ids = [u.pk for u in users]
    forms = ManifestationFactory.build_batch(n, structure=True, confirmee=True)
    for form, uid in zip(forms, user_ids, strict=True):
        form.user_id = uid
    forms = ManifestationInteret.objects.bulk_create(forms)
    Contact.objects.bulk_create(
        [
            Contact(
                manifestation=f,
                type=TypeContact.STRUCTURE,
                nom="N",
                prenom="P",
                fonction="F",
                email="x@y.example",
            )
            for f in forms
        ]
    )


@pytest.mark.parametrize("n", [5, 60])
def test_list_query_count_is_constant(client_for, django_assert_max_num_queries, n):
    _many_candidats(n)
    client = client_for("prefecture")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("candidatures:liste", args=["58"]))
    assert response.status_code == 200


def test_list_query_count_with_500_candidates(client_for, django_assert_max_num_queries, capsys):
    """The figure reported in the issue: queries of the list page with 500 candidates."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("prefecture")
    counts = {}
    for n in (10, 500):
        ManifestationInteret.objects.all().delete()
        _many_candidats(n, prefix=f"n{n}-")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("candidatures:liste", args=["58"]))
        assert response.status_code == 200
        counts[n] = len(queries)
    with capsys.disabled():
        print(f"\nListe des candidats : {counts[10]} requêtes pour 10 candidats, {counts[500]} pour 500.")
    assert counts[10] == counts[500]
