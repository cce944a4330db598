"""Seed the campaign calendar (circulaire of 28 July 2023). Administrators edit it
afterwards in the admin; this migration only creates the rows that are missing."""

import datetime

from django.db import migrations

ECHEANCES = [
    {
        "code": "premiere-information",
        "libelle": "Première information de l'ANCT",
        "date_limite": datetime.date(2023, 9, 30),
        "date_affichee": "",
        "statut": "",
        "texte": (
            "Première information de l'ANCT par les préfectures : périmètre des feuilles de route, "
            "composition pressentie de la gouvernance, structures pouvant porter un coordinateur "
            "de conseillers numériques."
        ),
    },
    {
        "code": "gouvernance-pressentie",
        "libelle": "Remontée des gouvernances pressenties",
        "date_limite": datetime.date(2023, 10, 15),
        "date_affichee": "",
        "statut": "pressentie",
        "texte": "Remontée par les préfectures des gouvernances territoriales pressenties.",
    },
    {
        "code": "gouvernance-definitive",
        "libelle": "Gouvernance définitive et besoins en ingénierie",
        "date_limite": datetime.date(2023, 12, 31),
        "date_affichee": "",
        "statut": "definitive",
        "texte": (
            "Périmètre définitif de la ou des feuilles de route, gouvernance et acteurs impliqués, "
            "et expression des besoins en ingénierie financière et de projet."
        ),
    },
    {
        "code": "feuilles-de-route",
        "libelle": "Feuilles de route finalisées et approuvées",
        "date_limite": datetime.date(2024, 6, 30),
        "date_affichee": "Juin 2024",
        "statut": "",
        "texte": (
            "Feuilles de route finalisées et approuvées par toutes les parties de la gouvernance "
            "territoriale, co-signées par le préfet et les collectivités porteuses."
        ),
    },
]


def seed(apps, schema_editor):
    Echeance = apps.get_model("gouvernances", "Echeance")
    for row in ECHEANCES:
        Echeance.objects.get_or_create(code=row["code"], defaults={k: v for k, v in row.items() if k != "code"})


class Migration(migrations.Migration):
    dependencies = [("gouvernances", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
