"""Forms of the role requests. They parse and show errors next to each field; the rules are the
services' (comptes/services.py)."""

from django import forms

from core.forms import FneBaseForm
from territoires.models import Departement, Region

from .enums import ROLES_DEMANDABLES, Role


class DemandeRoleForm(FneBaseForm):
    role = forms.ChoiceField(
        label="Rôle demandé",
        choices=[(role.value, role.label) for role in ROLES_DEMANDABLES],
        widget=forms.RadioSelect,
    )
    departement = forms.ModelChoiceField(
        label="Département (préfecture de département)",
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label="— Choisir —",
    )
    region = forms.ModelChoiceField(
        label="Région (préfecture de région)",
        queryset=Region.objects.order_by("nom"),
        required=False,
        empty_label="— Choisir —",
    )
    service = forms.CharField(
        label="Service",
        max_length=200,
        help_text="Par exemple : secrétariat général, cabinet du préfet, SGAR, direction de la citoyenneté.",
    )
    fonction = forms.CharField(label="Fonction", max_length=200, required=False)
    message = forms.CharField(
        label="Message à l'administrateur",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.PREFECTURE and not data.get("departement"):
            self.add_error("departement", "Choisissez le département de votre préfecture.")
        if role == Role.PREFECTURE_REGION and not data.get("region"):
            self.add_error("region", "Choisissez la région de votre préfecture.")
        return data


class DecisionForm(FneBaseForm):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("approuver", "Approuver"), ("refuser", "Refuser")],
        widget=forms.HiddenInput,
    )
    motif_refus = forms.CharField(
        label="Motif du refus (envoyé à la personne)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
