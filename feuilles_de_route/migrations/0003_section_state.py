import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _modifie_par():
    return models.ForeignKey(
        blank=True,
        null=True,
        on_delete=django.db.models.deletion.SET_NULL,
        related_name="+",
        to=settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
    )


class Migration(migrations.Migration):
    """EtatSection is renamed SectionState, the name gouvernances uses for the same thing; it,
    Axe and FicheAction take the fields of core.versioning.VersionedModel (only their labels and
    `blank` change).

    RenameModel renames the table in place: every row stays."""

    dependencies = [
        ("feuilles_de_route", "0002_document"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="EtatSection", new_name="SectionState"),
        migrations.AlterField(model_name="axe", name="modifie_par", field=_modifie_par()),
        migrations.AlterField(model_name="ficheaction", name="modifie_par", field=_modifie_par()),
        migrations.AlterField(
            model_name="sectionstate",
            name="modifie_le",
            field=models.DateTimeField(blank=True, null=True, verbose_name="modifié le"),
        ),
        migrations.AlterField(model_name="sectionstate", name="modifie_par", field=_modifie_par()),
    ]
