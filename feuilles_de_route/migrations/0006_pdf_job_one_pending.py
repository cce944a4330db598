"""One PDF job waits or runs per document version; what a job shows the user (`raison`) apart
from the exception itself (`detail_technique`, admin only); the task running it (`tache`)."""

from django.db import migrations, models
from django.utils import timezone

PENDING = ["en_attente", "en_cours"]


def close_duplicate_pending_jobs(apps, schema_editor):
    """Before the constraint: of several pending jobs of one document, the newest stays."""
    PdfJob = apps.get_model("feuilles_de_route", "PdfJob")
    seen = set()
    for job in PdfJob.objects.filter(etat__in=PENDING).order_by("document_id", "-created_at", "-id"):
        if job.document_id in seen:
            PdfJob.objects.filter(pk=job.pk).update(
                etat="echec",
                raison="Demande remplacée par une demande plus récente du même document.",
                fin=timezone.now(),
            )
        seen.add(job.document_id)


class Migration(migrations.Migration):

    dependencies = [
        ('feuilles_de_route', '0005_contrat_preexistant_explicite'),
    ]

    operations = [
        migrations.AddField(
            model_name='pdfjob',
            name='detail_technique',
            field=models.TextField(blank=True, max_length=2000, verbose_name='détail technique (administration)'),
        ),
        migrations.AddField(
            model_name='pdfjob',
            name='tache',
            field=models.CharField(blank=True, max_length=64, verbose_name='tâche Celery'),
        ),
        migrations.AlterField(
            model_name='pdfjob',
            name='raison',
            field=models.TextField(blank=True, max_length=1000, verbose_name="raison de l'échec"),
        ),
        migrations.RunPython(close_duplicate_pending_jobs, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='pdfjob',
            constraint=models.UniqueConstraint(condition=models.Q(('etat__in', ['en_attente', 'en_cours'])), fields=('document',), name='pdf_job_un_seul_en_cours_par_document'),
        ),
    ]
