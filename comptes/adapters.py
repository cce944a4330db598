from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class AccountAdapter(DefaultAccountAdapter):
    """Self sign-up creates a collectivité/structure account; other roles are given by ANCT."""

    # allauth's French says « Code incorrect. » or « Mauvais jeton »: say what to do instead.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": "Ce code ne correspond pas à celui envoyé : vérifiez-le dans l'e-mail reçu, ou demandez-en un nouveau.",
        "invalid_password_reset": "Ce lien de réinitialisation n'est plus valable : demandez-en un nouveau.",
    }

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        from .enums import Role

        user.role = Role.STRUCTURE
        if commit:
            user.save()
        return user

    def get_client_ip(self, request):
        """allauth raises (a 500) when X-Forwarded-For holds fewer hops than the trusted proxies:
        such a request did not come through them, and its own connection is its address."""
        try:
            return super().get_client_ip(request)
        except ImproperlyConfigured:
            return request.META.get("REMOTE_ADDR") or "inconnue"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """ProConnect logs in existing agents (matched by verified e-mail); it creates no préfecture role."""

    def is_open_for_signup(self, request, sociallogin):
        return settings.PROCONNECT_ENABLED
