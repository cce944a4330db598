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
