import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """SectionEtat is renamed SectionState, the name feuilles_de_route uses for the same thing,
    and takes the fields of core.versioning.VersionedModel (only their labels change).

    RenameModel renames the tables (and simple-history's table) in place: every row and its
    history stay."""

    dependencies = [
        ("gouvernances", "0002_echeances_campagne_2023"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="SectionEtat", new_name="SectionState"),
        migrations.RenameModel(old_name="HistoricalSectionEtat", new_name="HistoricalSectionState"),
        migrations.AlterField(
            model_name="historicalsectionstate",
            name="modifie_le",
            field=models.DateTimeField(blank=True, null=True, verbose_name="modifié le"),
        ),
        migrations.AlterField(
            model_name="historicalsectionstate",
            name="modifie_par",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="modifié par",
            ),
        ),
        migrations.AlterField(
            model_name="sectionstate",
            name="modifie_le",
            field=models.DateTimeField(blank=True, null=True, verbose_name="modifié le"),
        ),
        migrations.AlterField(
            model_name="sectionstate",
            name="modifie_par",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="modifié par",
            ),
        ),
    ]
