import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command
from django.urls import reverse

from comptes.enums import Role
from comptes.models import User
from tests import error_summary

pytestmark = pytest.mark.django_db


def test_create_account_prefecture(capsys):
    call_command(
        "create_account",
        "--email",
        "Agent@Nievre.gouv.fr",
        "--role",
        "prefecture",
        "--departement",
        "58",
        "--password",
        "un-mot-de-passe-solide",
    )
    user = User.objects.get(email="agent@nievre.gouv.fr")
    assert user.role == Role.PREFECTURE
    assert user.departement_id == "58"
    assert user.check_password("un-mot-de-passe-solide")
    assert EmailAddress.objects.get(user=user).verified
    assert "Compte créé : agent@nievre.gouv.fr" in capsys.readouterr().out


def test_create_account_twice_updates_without_resetting_password(capsys):
    call_command(
        "create_account",
        "--email",
        "a@b.fr",
        "--role",
        "prefecture",
        "--departement",
        "58",
        "--password",
        "premier-mot-de-passe",
    )
    call_command("create_account", "--email", "a@b.fr", "--role", "prefecture_region", "--region", "27")
    user = User.objects.get(email="a@b.fr")
    assert (user.role, user.region_id, user.departement_id) == (Role.PREFECTURE_REGION, "27", None)
    assert user.check_password("premier-mot-de-passe")
    assert User.objects.filter(email="a@b.fr").count() == 1
    assert "Compte mis à jour" in capsys.readouterr().out


def test_create_account_admin_is_staff():
    call_command("create_account", "--email", "chef@anct.gouv.fr", "--role", "admin")
    user = User.objects.get(email="chef@anct.gouv.fr")
    assert user.is_staff
    assert user.is_superuser
    assert not user.has_usable_password()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "prefecture"], "doit avoir un département"),
        (["--role", "prefecture_region"], "doit avoir une région"),
        (["--role", "prefecture", "--departement", "00"], "Département inconnu : 00"),
        (["--role", "prefecture_region", "--region", "99"], "Région inconnue : 99"),
    ],
)
def test_create_account_refuses_missing_scope(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("create_account", "--email", "x@y.fr", *args)
    assert not User.objects.filter(email="x@y.fr").exists()


def test_seed_demo_is_idempotent_and_prints_logins(capsys):
    call_command("seed_demo")
    first = capsys.readouterr().out
    count = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == count
    for email in (
        "admin@anct.demo.example",
        "prefecture-58@nievre.demo.example",
        "sgar-27@bfc.demo.example",
        "demo@anct.demo.example",
    ):
        assert email in first
    assert "demo-fne-2027" in first
    assert User.objects.get(email="prefecture-58@nievre.demo.example").departement_id == "58"
    assert User.objects.get(email="sgar-27@bfc.demo.example").region_id == "27"


def test_email_login_with_demo_account(client):
    call_command("seed_demo")
    response = client.post(
        reverse("account_login"),
        {"login": "prefecture-58@nievre.demo.example", "password": "demo-fne-2027"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("espace:mon_espace")
    content = client.get("/departements/58/").content.decode()
    assert "Nièvre (58)" in content
    assert "prefecture-58@nievre.demo.example — Préfecture de la Nièvre" in content


def test_signup_creates_a_structure_account(client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "secretaire@mairie-de-clamecy.example",
            "password1": "Clamecy-2027-ok",
            "password2": "Clamecy-2027-ok",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="secretaire@mairie-de-clamecy.example")
    assert user.role == Role.STRUCTURE
    assert user.departement_id is None
    assert len(mailoutbox) == 1  # verification e-mail


def test_proconnect_is_off_without_its_variables(client):
    from allauth.socialaccount.adapter import get_adapter

    assert get_adapter().list_apps(None, provider="openid_connect") == []
    content = client.get(reverse("account_login")).content.decode()
    assert "ProConnect" not in content


def test_account_e_mails_name_the_platform_not_example_com(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {
            "email": "agent@mairie-de-cosne.example",
            "password1": "Cosne-2027-ok",
            "password2": "Cosne-2027-ok",
        },
    )
    (mail,) = mailoutbox
    assert "example.com" not in mail.subject + mail.body
    assert "Espace France Numérique Ensemble" in mail.subject


def test_a_failed_login_says_so_in_the_title_and_sums_up_the_error(client, structure_user):
    response = client.post(reverse("account_login"), {"login": structure_user.email, "password": "faux"})
    html = response.content.decode()
    assert error_summary.title(html).startswith("Erreur : ")
    assert error_summary.summary(html)
