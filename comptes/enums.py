from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrateur ANCT"
    DEMO = "demo", "Démo (lecture seule)"
    PREFECTURE = "prefecture", "Préfecture de département"
    PREFECTURE_REGION = "prefecture_region", "Préfecture de région"
    STRUCTURE = "structure", "Collectivité ou structure"
