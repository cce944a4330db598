"""Préfecture agents ask for their role; an administrator approves or refuses it."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy

from comptes import services
from comptes.enums import Role, StatutDemande
from comptes.models import DemandeRole, User
from territoires.models import Departement, Region
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return make_user("jeanne.martin@nievre.gouv.fr", Role.STRUCTURE)


def _ask(client, **data):
    return client.post(
        reverse("comptes:demande_role"),
        # The whole form, as the page sends it: a field left out is refused as an incomplete post.
        {
            "role": "prefecture",
            "departement": "58",
            "region": "",
            "service": "Secrétariat général",
            "fonction": "",
            "message": "",
            **data,
        },
    )


def test_a_signed_in_person_asks_and_nothing_is_granted(client, agent):
    client.force_login(agent)
    response = _ask(client, fonction="Chargée de mission inclusion numérique")
    assert response.status_code == 302
    demande = DemandeRole.objects.get(demandeur=agent)
    assert (demande.role, demande.departement_id, demande.service) == (
        "prefecture",
        "58",
        "Secrétariat général",
    )
    assert demande.adresse_probable  # @nievre.gouv.fr: a hint for the administrator
    agent.refresh_from_db()
    assert (agent.role, agent.departement_id) == (Role.STRUCTURE, None)  # never granted automatically
    page = client.get(reverse("comptes:demande_role")).content.decode()
    assert "Votre demande est en attente" in page


def test_a_missing_departement_is_named_next_to_the_field_and_the_input_kept(client, agent):
    client.force_login(agent)
    response = _ask(client, departement="", service="Cabinet du préfet")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choisissez le département de votre préfecture." in page
    assert 'value="Cabinet du préfet"' in page
    assert not DemandeRole.objects.exists()


def test_one_pending_request_at_a_time(agent):
    nievre = Departement.objects.get(code="58")
    services.demande_role_create(user=agent, role="prefecture", departement=nievre, region=None, service="SG")
    with pytest.raises(Exception, match="déjà une demande en attente"):
        services.demande_role_create(
            user=agent, role="prefecture", departement=nievre, region=None, service="SG"
        )


@pytest.mark.parametrize(
    ("email", "role", "territoire", "likely"),
    [
        ("a@nievre.gouv.fr", "prefecture", "58", True),
        ("a@cote-dor.gouv.fr", "prefecture", "21", True),  # « Côte-d'Or »: no accent, no apostrophe
        ("a@nievre.gouv.fr", "prefecture", "21", False),
        ("a@gmail.com", "prefecture", "58", False),
        ("a@cote-dor.gouv.fr", "prefecture_region", "27", True),  # the SGAR sits in Dijon
        ("a@bourgogne-franche-comte.gouv.fr", "prefecture_region", "27", True),
    ],
)
def test_the_state_domain_is_a_hint(email, role, territoire, likely):
    user = make_user(email, Role.STRUCTURE)
    demande = services.demande_role_create(
        user=user,
        role=role,
        departement=Departement.objects.get(code=territoire) if role == "prefecture" else None,
        region=Region.objects.get(code=territoire) if role != "prefecture" else None,
        service="SG",
    )
    assert demande.adresse_probable is likely


def test_an_administrator_approves_from_the_list_and_the_person_is_told(
    client, agent, admin_user, django_capture_on_commit_callbacks
):
    demande = services.demande_role_create(
        user=agent,
        role="prefecture",
        departement=Departement.objects.get(code="58"),
        region=None,
        service="SG",
    )
    client.force_login(admin_user)
    landing = client.get(reverse("espace:mon_espace"), follow=True).content.decode()
    assert "Demandes de rôle en attente (1)" in landing
    assert "jeanne.martin@nievre.gouv.fr" in landing
    assert "Adresse du domaine de l'État du territoire" in landing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("comptes:decider", kwargs={"pk": demande.pk}),
            {f"d{demande.pk}-decision": "approuver", f"d{demande.pk}-motif_refus": ""},
        )
    assert response.status_code == 302
    agent.refresh_from_db()
    assert (agent.role, agent.departement_id) == (Role.PREFECTURE, "58")
    demande.refresh_from_db()
    assert (demande.statut, demande.traitee_par) == (StatutDemande.APPROUVEE, admin_user)
    [message] = mail.outbox
    assert message.to == ["jeanne.martin@nievre.gouv.fr"]
    assert "est acceptée" in message.subject
    assert "Préfecture de département" in message.body
    assert "Nièvre (58)" in message.body
    # Decided twice (another tab): refused, the first decision stands.
    again = client.post(
        reverse("comptes:decider", kwargs={"pk": demande.pk}),
        {f"d{demande.pk}-decision": "refuser", f"d{demande.pk}-motif_refus": "Erreur"},
    )
    assert again.status_code == 400
    assert "Cette demande a déjà été traitée par" in again.content.decode()
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.APPROUVEE


def test_a_refusal_needs_a_reason_which_is_mailed(
    client, agent, admin_user, django_capture_on_commit_callbacks
):
    demande = services.demande_role_create(
        user=agent,
        role="prefecture",
        departement=Departement.objects.get(code="58"),
        region=None,
        service="SG",
    )
    client.force_login(admin_user)
    url = reverse("comptes:decider", kwargs={"pk": demande.pk})
    response = client.post(url, {f"d{demande.pk}-decision": "refuser", f"d{demande.pk}-motif_refus": ""})
    assert response.status_code == 400
    assert "Indiquez le motif du refus" in response.content.decode()
    demande.refresh_from_db()
    assert demande.en_attente
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {f"d{demande.pk}-decision": "refuser", f"d{demande.pk}-motif_refus": "Service inconnu"}
        )
    demande.refresh_from_db()
    assert demande.statut == StatutDemande.REFUSEE
    assert User.objects.get(pk=agent.pk).role == Role.STRUCTURE
    [message] = mail.outbox
    assert "Motif : Service inconnu" in message.body


@pytest.mark.parametrize("role", ["demo", "prefecture", "region", "structure"])
def test_only_administrators_decide(client_for, agent, role):
    demande = services.demande_role_create(
        user=agent,
        role="prefecture",
        departement=Departement.objects.get(code="58"),
        region=None,
        service="SG",
    )
    response = client_for(role).post(
        reverse("comptes:decider", kwargs={"pk": demande.pk}),
        {f"d{demande.pk}-decision": "approuver", f"d{demande.pk}-motif_refus": ""},
    )
    assert response.status_code == 404
    demande.refresh_from_db()
    assert demande.en_attente
    agent.refresh_from_db()
    assert agent.role == Role.STRUCTURE


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "url",
    [
        reverse_lazy("comptes:demandes"),
        f"{reverse_lazy('comptes:demandes')}?statut=toutes",
        reverse_lazy("espace:departements"),
    ],
    ids=["en-attente", "toutes", "accueil-admin"],
)
def test_the_lists_query_count_does_not_grow_with_the_requests(client_for, admin_user, url):
    client = client_for("admin")
    counts = []
    for total in (2, 12):
        for n in range(DemandeRole.objects.count(), total):
            DemandeRole.objects.create(
                demandeur=make_user(f"agent{n}@nievre.gouv.fr", Role.STRUCTURE),
                role=Role.PREFECTURE if n % 2 else Role.PREFECTURE_REGION,
                departement_id="58" if n % 2 else None,
                region_id=None if n % 2 else "27",
                service="Secrétariat général",
                **(
                    {}
                    if n % 3
                    else {
                        "statut": StatutDemande.REFUSEE,
                        "motif_refus": "Inconnu",
                        "traitee_par": admin_user,
                    }
                ),
            )
        counts.append(_queries(client, str(url)))
    assert counts[0] == counts[1]
