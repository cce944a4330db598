"""Forms of the feuille de route editor: one per section, all carrying the page's version
(core.versioning.VersionedFormMixin)."""

from django import forms

from core.formats import french_number
from core.forms import FneBaseForm
from core.models import TEXT_SECTION, TEXT_SHORT
from core.validators import validate_campaign_date
from core.versioning import VersionedFormMixin

from .enums import Indicateur, SectionDocument, TypeFinanceur
from .models import CIBLE_MAX, Axe, Document, FicheAction, Signataire
from .services import FICHE_FIELDS, SECTION_FIELDS

ANNEES = (2023, 2025, 2027)


def _mark_added_fields(form: forms.Form) -> None:
    # FneBaseForm gives each widget the group_class django-dsfr reads; fields added later need it too.
    for field in form.fields.values():
        if not hasattr(field.widget, "group_class"):
            field.widget.group_class = "fr-input-group"


def section_form_class(section: str) -> type[forms.ModelForm]:
    """A ModelForm over the section's own fields of the Document (SECTION_FIELDS)."""
    fields = SECTION_FIELDS[SectionDocument(section)]
    widgets = {
        name: forms.Textarea(attrs={"rows": 6})
        for name in fields
        if Document._meta.get_field(name).get_internal_type() == "TextField"
    }
    meta = type("Meta", (), {"model": Document, "fields": fields, "widgets": widgets})
    return type(f"{section.title()}Form", (VersionedFormMixin, FneBaseForm, forms.ModelForm), {"Meta": meta})


class AxeForm(VersionedFormMixin, FneBaseForm, forms.ModelForm):
    class Meta:
        model = Axe
        fields = ["nom", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}


class FicheActionForm(VersionedFormMixin, FneBaseForm, forms.ModelForm):
    class Meta:
        model = FicheAction
        fields = FICHE_FIELDS
        widgets = {
            name: forms.Textarea(attrs={"rows": 4}) for name in FICHE_FIELDS if name not in ("nom", "pilote")
        }


class SignataireForm(FneBaseForm, forms.ModelForm):
    class Meta:
        model = Signataire
        fields = ["organisation", "qualite", "nom"]


class IndicateursForm(VersionedFormMixin, FneBaseForm):
    """Three targets for each of the twelve indicators: fields `<code>_<année>`."""

    def __init__(self, *args, cibles=None, **kwargs):
        super().__init__(*args, **kwargs)
        cibles = cibles or {}
        for code, label in Indicateur.choices:
            row = cibles.get(code)
            for annee in ANNEES:
                self.fields[f"{code}_{annee}"] = forms.IntegerField(
                    label=f"{label} — cible {annee}",
                    min_value=0,
                    max_value=CIBLE_MAX,
                    required=False,
                    initial=getattr(row, f"cible_{annee}", None),
                    error_messages={
                        "min_value": "Saisissez un nombre positif ou nul.",
                        "max_value": f"Saisissez une cible d'au plus {french_number(CIBLE_MAX)}.",
                        "invalid": "Saisissez un nombre entier, par exemple 120.",
                    },
                )
        _mark_added_fields(self)

    def rows(self):
        """(libellé, [champs 2023, 2025, 2027]) for the table."""
        return [(label, [self[f"{code}_{a}"] for a in ANNEES]) for code, label in Indicateur.choices]

    def cibles(self) -> dict[str, dict[int, int | None]]:
        data = self.cleaned_data
        return {code: {a: data.get(f"{code}_{a}") for a in ANNEES} for code in Indicateur.values}


class FinancementsForm(VersionedFormMixin, FneBaseForm):
    mutualisation = forms.CharField(
        label="Stratégie de mutualisation des coûts et de diversification des financements",
        help_text="Mutualisation de moyens, montée en compétences de structures existantes, évolution de leurs formes juridiques…",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=TEXT_SECTION,
    )

    def __init__(self, *args, cofinancements=None, mutualisation="", **kwargs):
        super().__init__(*args, **kwargs)
        cofinancements = cofinancements or {}
        self.fields["mutualisation"].initial = mutualisation
        for code, label in TypeFinanceur.choices:
            row = cofinancements.get(code)
            self.fields[f"{code}_montant"] = forms.DecimalField(
                label=f"{label} — montant envisagé (€)",
                min_value=0,
                max_digits=12,
                decimal_places=2,
                required=False,
                initial=getattr(row, "montant", None),
            )
            self.fields[f"{code}_description"] = forms.CharField(
                label=f"{label} — financeurs et engagements",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=TEXT_SHORT,
                initial=getattr(row, "description", ""),
            )
        _mark_added_fields(self)
        self.order_fields(
            [
                *(f for c in TypeFinanceur.values for f in (f"{c}_montant", f"{c}_description")),
                "mutualisation",
            ]
        )

    def cofinancements(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            code: {"montant": data.get(f"{code}_montant"), "description": data.get(f"{code}_description", "")}
            for code in TypeFinanceur.values
        }


class InvitationForm(FneBaseForm):
    email = forms.EmailField(
        label="Adresse e-mail de la personne à inviter",
        help_text="Elle recevra un lien pour co-rédiger la feuille de route au nom de la collectivité porteuse.",
        error_messages={"invalid": "Saisissez une adresse e-mail valide, par exemple nom@collectivite.fr."},
    )


class ApprobationForm(FneBaseForm):
    approuvee_le = forms.DateField(
        label="Date d'approbation par la gouvernance",
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_campaign_date],
        error_messages={"invalid": "Saisissez une date valide."},
    )


class CopieSigneeForm(FneBaseForm):
    fichier = forms.FileField(
        label="Copie signée (PDF, 40 Mo au plus)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class DiagnosticMiseAJourForm(VersionedFormMixin, FneBaseForm):
    """Confirm the refresh of section II from the diagnostic: which parts to rewrite."""

    champs = forms.MultipleChoiceField(
        label="Parties à remplacer par le texte mis à jour",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins une partie de la synthèse à mettre à jour."},
    )

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["champs"].choices = [(p.champ, p.libelle) for p in parties]
        self.fields["champs"].initial = [p.champ for p in parties if p.change]
        _mark_added_fields(self)
