from django.db import models


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        abstract = True


# Maximum lengths of free text, in characters. Every text field of the platform has one, in the
# model (the admin and ModelForms enforce it) and in its form: without it a single field took
# megabytes and the PDF of a feuille de route minutes to lay out. A page of A4 holds about 3,500.
TEXT_SECTION = 20_000  # a section of the feuille de route document, the stratégie de mutualisation
TEXT_PARAGRAPH = 5_000  # a field of a fiche action, an axe's description, a follow-up note
TEXT_SHORT = 2_000  # a comité's composition or role, a co-financement, the calendar's text
NOTE_CONTEXTE = 50_000  # the gouvernance's note de contexte (HTML), the longest text of all
