from django.apps import AppConfig


class BesoinsConfig(AppConfig):
    name = "besoins"
    verbose_name = "Besoins en ingénierie"
