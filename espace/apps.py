from django.apps import AppConfig


class EspaceConfig(AppConfig):
    """The top layer of the site: its public pages, the navigation, the espace départemental
    and « Mon espace », which assemble the domain apps' data, and the demo seeding."""

    name = "espace"
    verbose_name = "Pages de l'Espace"
