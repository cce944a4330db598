import datetime

from django import forms
from django.utils import timezone

from core.forms import FneBaseForm
from core.models import TEXT_PARAGRAPH
from core.validators import validate_campaign_date


class SuiviForm(FneBaseForm):
    commentaire = forms.CharField(
        label="Commentaire de suivi",
        required=False,
        max_length=TEXT_PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    probleme = forms.CharField(
        label="Problème identifié",
        required=False,
        max_length=TEXT_PARAGRAPH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Laissez vide s'il n'y a pas de problème.",
    )


class ReouvertureForm(FneBaseForm):
    jusquau = forms.DateField(
        label="Rouvrir jusqu'au (inclus)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_campaign_date],
        error_messages={"invalid": "Saisissez une date valide."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jusquau"].initial = timezone.localdate() + datetime.timedelta(days=15)
