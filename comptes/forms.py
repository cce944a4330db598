"""The accounts' forms: role requests (they parse and show errors next to each field; the rules
are the services', comptes/services.py), and allauth's sign-up and login forms with the labels
and hints the pages use: each field says what it asks for in the words of the DSFR."""

from allauth.account.forms import (
    ChangePasswordForm,
    ConfirmEmailVerificationCodeForm,
    ConfirmLoginCodeForm,
    LoginForm,
    RequestLoginCodeForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
    SignupForm,
)
from django import forms

from core.forms import FneBaseForm
from territoires.models import Departement, Region

from .enums import ROLES_DEMANDABLES, Role


class DemandeRoleForm(FneBaseForm):
    role = forms.ChoiceField(
        label="Rôle demandé",
        choices=[(role.value, role.label) for role in ROLES_DEMANDABLES],
        widget=forms.RadioSelect,
    )
    departement = forms.ModelChoiceField(
        label="Département (préfecture de département)",
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label="— Choisir —",
    )
    region = forms.ModelChoiceField(
        label="Région (préfecture de région)",
        queryset=Region.objects.order_by("nom"),
        required=False,
        empty_label="— Choisir —",
    )
    service = forms.CharField(
        label="Service",
        max_length=200,
        help_text="Par exemple : secrétariat général, cabinet du préfet, SGAR, direction de la citoyenneté.",
    )
    fonction = forms.CharField(label="Fonction", max_length=200, required=False)
    message = forms.CharField(
        label="Message à l'administrateur",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.PREFECTURE and not data.get("departement"):
            self.add_error("departement", "Choisissez le département de votre préfecture.")
        if role == Role.PREFECTURE_REGION and not data.get("region"):
            self.add_error("region", "Choisissez la région de votre préfecture.")
        return data


class DecisionForm(FneBaseForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("approuver", "Approuver"), ("refuser", "Refuser")],
        widget=forms.HiddenInput,
    )
    motif_refus = forms.CharField(
        label="Motif du refus (envoyé à la personne)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


EMAIL_LABEL = "Adresse e-mail"
EMAIL_HINT = "Format attendu : nom@domaine.fr"


def _email_field(field, *, hint: str = EMAIL_HINT) -> None:
    field.label = EMAIL_LABEL
    field.help_text = hint
    # allauth puts the label in a placeholder too; a placeholder repeating the label adds noise.
    field.widget.attrs.pop("placeholder", None)


class FneLoginForm(LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _email_field(self.fields["login"])
        self.fields["password"].label = "Mot de passe"


class FneSignupForm(SignupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _email_field(
            self.fields["email"],
            hint=f"{EMAIL_HINT}. Un code vous y sera envoyé pour vérifier l'adresse.",
        )
        self.fields["password1"].label = "Mot de passe"
        self.fields["password1"].widget.attrs.pop("placeholder", None)
        self.fields["password2"].label = "Confirmez le mot de passe"
        self.fields["password2"].help_text = "Saisissez le même mot de passe une seconde fois."
        self.fields["password2"].widget.attrs.pop("placeholder", None)


class FneRequestLoginCodeForm(RequestLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _email_field(self.fields["email"])


class FneResetPasswordForm(ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _email_field(self.fields["email"])


CODE_HINT = "Les 8 caractères reçus par e-mail, par exemple ABCD-EFGH."


def _code_field(field, label: str) -> None:
    field.label = label
    field.help_text = CODE_HINT
    field.widget.attrs.pop("placeholder", None)


class FneConfirmLoginCodeForm(ConfirmLoginCodeForm):
    """The code that signs in without a password: named a « code de connexion » on every page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self.fields["code"], "Code de connexion")


class FneConfirmEmailVerificationCodeForm(ConfirmEmailVerificationCodeForm):
    """The code that proves the address at sign-up: a « code de vérification », not a login code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self.fields["code"], "Code de vérification")


def _new_password_fields(form) -> None:
    form.fields["password1"].label = "Nouveau mot de passe"
    form.fields["password2"].label = "Confirmez le nouveau mot de passe"
    form.fields["password2"].help_text = "Saisissez le même mot de passe une seconde fois."
    for name in ("password1", "password2"):
        form.fields[name].widget.attrs.pop("placeholder", None)


class FneResetPasswordKeyForm(ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _new_password_fields(self)


class FneChangePasswordForm(ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = "Mot de passe actuel"
        self.fields["oldpassword"].widget.attrs.pop("placeholder", None)
        _new_password_fields(self)
