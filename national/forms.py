import datetime

from django import forms
from django.utils import timezone

from core.forms import FneBaseForm


class SuiviForm(FneBaseForm):
    commentaire = forms.CharField(
        label="Commentaire de suivi", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    probleme = forms.CharField(
        label="Problème identifié",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Laissez vide s'il n'y a pas de problème.",
    )


class ReouvertureForm(FneBaseForm):
    jusquau = forms.DateField(
        label="Rouvrir jusqu'au (inclus)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jusquau"].initial = timezone.localdate() + datetime.timedelta(days=15)
