"""What the sign-up and login pages say: each asks for one thing (a password, or a code sent by
e-mail), in plain French, with its own title, labels, hints and buttons."""

import html
import re

import pytest
from django.urls import reverse

from tests import error_summary

pytestmark = pytest.mark.django_db


def _main(content: str) -> str:
    return re.search(r"<main.*?</main>", content, re.S).group(0)


def _text(fragment: str) -> str:
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()
    return re.sub(r" ([.,])", r"\1", text)


def _labels(fragment: str) -> list[str]:
    return [
        _text(label) for label in re.findall(r'<label class="fr-label"[^>]*>(.*?)</label>', fragment, re.S)
    ]


def _buttons(fragment: str) -> list[str]:
    return [_text(button) for button in re.findall(r"<button[^>]*>(.*?)</button>", fragment, re.S)]


def _page(client, name: str) -> tuple[str, str]:
    response = client.get(reverse(name))
    assert response.status_code == 200
    content = response.content.decode()
    return error_summary.title(content), _main(content)


def test_the_login_page_offers_the_password_then_a_code_as_a_second_option(client):
    title, main = _page(client, "account_login")
    assert title == "Se connecter — Espace France Numérique Ensemble"
    assert "<h1>Se connecter</h1>" in main
    headings = [_text(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", main, re.S)]
    assert headings == ["Avec votre mot de passe", "Ou sans mot de passe, avec un code reçu par e-mail"]
    password_form, code_option = main.split("Ou sans mot de passe", 1)
    assert _labels(password_form) == ["Adresse e-mail", "Mot de passe", "Se souvenir de moi"]
    assert "Format attendu : nom@domaine.fr" in password_form
    assert "Mot de passe oublié ?" in password_form
    assert _buttons(password_form) == ["Se connecter"]
    # The code is a separate page, reached by a link after the password form, never mixed in it.
    assert "code" not in _text(password_form).lower()
    assert re.search(
        rf'<a class="fr-btn fr-btn--secondary" href="{reverse("account_request_login_code")}">'
        r"Recevoir un code de connexion</a>",
        code_option,
    )
    assert "Pas encore de compte ? Créez votre compte." in _text(main)


def test_the_code_page_asks_only_for_the_e_mail_address(client):
    title, main = _page(client, "account_request_login_code")
    assert title == "Recevoir un code de connexion — Espace France Numérique Ensemble"
    assert "<h1>Recevoir un code de connexion</h1>" in main
    assert _labels(main) == ["Adresse e-mail"]
    assert 'type="password"' not in main
    assert _buttons(main) == ["Recevoir le code"]
    assert "code à usage unique" in _text(main)
    assert (
        f'<a class="fr-link" href="{reverse("account_login")}">Se connecter avec son mot de passe</a>' in main
    )


def test_the_signup_page_asks_for_an_address_and_a_password_twice(client):
    title, main = _page(client, "account_signup")
    assert title == "Créer un compte — Espace France Numérique Ensemble"
    assert "<h1>Créer un compte</h1>" in main
    assert _labels(main) == ["Adresse e-mail", "Mot de passe", "Confirmez le mot de passe"]
    text = _text(main)
    assert "Vous avez déjà un compte ? Connectez-vous." in text
    assert "Un code vous y sera envoyé pour vérifier l'adresse." in text
    assert "Saisissez le même mot de passe une seconde fois." in text
    assert _buttons(main) == ["Créer mon compte"]
    assert "placeholder" not in main


def test_the_password_reset_page_names_the_address_as_the_other_pages_do(client):
    _, main = _page(client, "account_reset_password")
    assert _labels(main) == ["Adresse e-mail"]


def test_a_failed_signup_keeps_the_new_wording_next_to_its_error(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "mairie@clamecy.example", "password1": "Clamecy-2027-ok", "password2": "autre-chose-2027"},
    )
    content = response.content.decode()
    assert error_summary.title(content) == "Erreur : Créer un compte — Espace France Numérique Ensemble"
    assert "Confirmez le mot de passe" in error_summary.summary(content)


# --- The other account pages: login by code, e-mail verification, password reset, logout --------

# allauth's own wording (English, or its French translation) that none of our pages shows.
ALLAUTH_WORDING = (
    "Sign In",
    "Sign Out",
    "Confirm",
    "Cancel",
    "Password Reset",
    "Enter",
    "Entrez le code",
    "veuillez donc",
    "jeton",
    "Bad Token",
    "Êtes-vous sûr",
    "Courriel",
    "Merci de nous contacter",
    "(confirmation)",
)


def _assert_our_wording(main: str) -> None:
    text = _text(main)
    for wording in ALLAUTH_WORDING:
        assert not re.search(rf"(?<!\w){re.escape(wording)}(?!\w)", text), f"« {wording} » dans : {text}"
    assert "placeholder" not in main


@pytest.fixture
def agent(db):
    from comptes.enums import Role
    from tests.conftest import make_user

    return make_user("agent@nievre.test", Role.PREFECTURE, departement="58")


def _get(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    content = response.content.decode()
    return error_summary.title(content), _main(content)


def test_the_login_code_entry_page_asks_for_the_code_only(client, agent, mailoutbox):
    response = client.post(reverse("account_request_login_code"), {"email": agent.email})
    assert response["Location"] == reverse("account_confirm_login_code")
    title, main = _get(client, reverse("account_confirm_login_code"))
    assert title == "Saisir le code de connexion — Espace France Numérique Ensemble"
    assert "<h1>Saisir le code de connexion</h1>" in main
    assert _labels(main) == ["Code de connexion"]
    assert "Les 8 caractères reçus par e-mail, par exemple ABCD-EFGH." in _text(main)
    assert "Nous avons envoyé un code de connexion à agent@nievre.test." in _text(main)
    assert "aucun mot de passe n'est demandé" in _text(main)
    assert 'type="password"' not in main
    # « Recevoir un nouveau code » comes once the resend delay is over.
    assert _buttons(main) == ["Se connecter", "Annuler"]
    assert "Se connecter avec son mot de passe" in _text(main)
    _assert_our_wording(main)

    # A wrong code: said in French next to the field, the page title starts with « Erreur : ».
    content = client.post(reverse("account_confirm_login_code"), {"code": "AAAA-BBBB"}).content.decode()
    assert error_summary.title(content).startswith("Erreur : Saisir le code de connexion")
    assert "Ce code ne correspond pas à celui envoyé" in _main(content)
    _assert_our_wording(_main(content))

    # The e-mail names the same code and the same page.
    (mail,) = mailoutbox
    assert mail.subject == "[Espace France Numérique Ensemble] Votre code de connexion"
    assert "Voici votre code de connexion" in mail.body
    assert "« Saisir le code de connexion »" in mail.body
    assert "vérification" not in mail.body
    assert "Bonjour, c'est" not in mail.body


def test_the_e_mail_verification_page_speaks_of_a_verification_code(client, mailoutbox):
    client.post(
        reverse("account_signup"),
        {"email": "mairie@clamecy.example", "password1": "Clamecy-2027-ok", "password2": "Clamecy-2027-ok"},
    )
    title, main = _get(client, reverse("account_email_verification_sent"))
    assert title == "Vérifier votre adresse e-mail — Espace France Numérique Ensemble"
    assert "<h1>Vérifier votre adresse e-mail</h1>" in main
    assert _labels(main)[0].startswith("Code de vérification")
    assert "Nous avons envoyé un code de vérification à mairie@clamecy.example." in _text(main)
    assert "connexion" not in _text(main).lower()
    assert "Vérifier l'adresse" in _buttons(main)
    _assert_our_wording(main)

    (mail,) = mailoutbox
    assert mail.subject == "[Espace France Numérique Ensemble] Vérifiez votre adresse e-mail"
    assert "Voici votre code de vérification" in mail.body
    assert (
        "Un compte de l'Espace France Numérique Ensemble vient d'être créé avec cette adresse e-mail."
        in mail.body
    )
    assert "connexion" not in mail.body  # allauth's French calls it a « code de connexion »

    content = client.post(reverse("account_email_verification_sent"), {"code": "AAAA-BBBB"}).content.decode()
    assert "Ce code ne correspond pas à celui envoyé" in _main(content)


def test_the_password_reset_pages_speak_of_a_link_and_a_new_password(client, agent, mailoutbox):
    title, main = _get(client, reverse("account_reset_password"))
    assert title == "Réinitialiser votre mot de passe — Espace France Numérique Ensemble"
    assert "<h1>Réinitialiser votre mot de passe</h1>" in main
    assert _buttons(main) == ["Recevoir le lien"]
    _assert_our_wording(main)

    response = client.post(reverse("account_reset_password"), {"email": agent.email})
    assert response["Location"] == reverse("account_reset_password_done")
    title, main = _get(client, reverse("account_reset_password_done"))
    assert title == "Lien de réinitialisation envoyé — Espace France Numérique Ensemble"
    assert "un e-mail vient d'y être envoyé avec un lien pour choisir un nouveau mot de passe" in _text(main)
    _assert_our_wording(main)

    (mail,) = mailoutbox
    assert mail.subject == "[Espace France Numérique Ensemble] Réinitialisation de votre mot de passe"
    link = re.search(r"https?://\S+/comptes/password/reset/key/\S+", mail.body).group(0)
    assert "code" not in mail.body

    # The link leads to the new password's form (allauth moves the key into the session first).
    response = client.get(link.split("testserver", 1)[-1])
    assert response.status_code == 302
    title, main = _get(client, response["Location"])
    assert title == "Choisir un nouveau mot de passe — Espace France Numérique Ensemble"
    assert _labels(main) == ["Nouveau mot de passe", "Confirmez le nouveau mot de passe"]
    assert _buttons(main) == ["Enregistrer le mot de passe"]
    _assert_our_wording(main)

    response = client.post(
        response["Location"], {"password1": "Nevers-2027-nouveau", "password2": "Nevers-2027-nouveau"}
    )
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    title, main = _get(client, reverse("account_reset_password_from_key_done"))
    assert title == "Mot de passe modifié — Espace France Numérique Ensemble"
    assert "Votre nouveau mot de passe est enregistré." in _text(main)
    _assert_our_wording(main)
    agent.refresh_from_db()
    assert agent.check_password("Nevers-2027-nouveau")


def test_a_used_reset_link_says_so_and_offers_a_new_one(client):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "perime"})
    title, main = _get(client, url)
    assert title == "Lien de réinitialisation expiré — Espace France Numérique Ensemble"
    assert "Ce lien de réinitialisation n'est plus valable" in _text(main)
    assert f'href="{reverse("account_reset_password")}">Demander un nouveau lien</a>' in main
    _assert_our_wording(main)


def test_the_logout_page_asks_in_french(client, agent):
    client.force_login(agent)
    title, main = _get(client, reverse("account_logout"))
    assert title == "Se déconnecter — Espace France Numérique Ensemble"
    assert "Voulez-vous vous déconnecter de l'Espace France Numérique Ensemble ?" in _text(main)
    assert _buttons(main) == ["Se déconnecter"]
    assert "Rester connecté" in _text(main)
    _assert_our_wording(main)


def test_an_unknown_address_gets_a_french_e_mail(client, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": "personne@inconnue.example"})
    (mail,) = mailoutbox
    assert mail.subject == "[Espace France Numérique Ensemble] Aucun compte pour cette adresse"
    assert "aucun compte n'existe pour elle" in mail.body
    assert "/comptes/signup/" in mail.body


def test_signing_up_with_a_known_address_sends_a_french_e_mail(client, agent, mailoutbox):
    client.post(
        reverse("account_signup"),
        {"email": agent.email, "password1": "Clamecy-2027-ok", "password2": "Clamecy-2027-ok"},
    )
    (mail,) = mailoutbox
    assert mail.subject == "[Espace France Numérique Ensemble] Un compte existe déjà pour cette adresse"
    assert "un compte existe déjà pour elle" in mail.body
    assert reverse("account_reset_password") in mail.body
    assert "Bonjour, c'est" not in mail.body
