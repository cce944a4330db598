"""allauth's sign-up and login forms with the labels and hints the pages use: each field says
what it asks for (an e-mail address, a password, its confirmation) in the words of the DSFR."""

from allauth.account.forms import LoginForm, RequestLoginCodeForm, ResetPasswordForm, SignupForm

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
