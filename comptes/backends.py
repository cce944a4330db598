"""Authentication backends: Django's and allauth's, loading the user of each request together
with its département and région (the header names them on every page), in one query."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class _UserWithTerritoire:
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("departement", "region").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_UserWithTerritoire, DjangoModelBackend):
    pass


class AuthenticationBackend(_UserWithTerritoire, AllauthBackend):
    pass
