"""Forms of the public interest form and the préfecture's filters. They parse and check input;
the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError

from core.forms import FneBaseForm, bounded_formset
from core.models import TEXT_SHORT
from core.validators import normalize_siret, validate_siret
from core.versioning import VersionedFormMixin
from territoires.enums import TypeCollectivite
from territoires.models import Departement
from territoires.search import resolve_text
from territoires.widgets import TerritoireSearchInput, TerritoiresSearchTextarea

from .enums import TYPE_STRUCTURE_EXEMPLES, Intention, Persona, TypeStructure
from .services import ContactData, StructureData

# Collectivités a porteur adds outside its territory: a few partners, never hundreds.
AJOUTS_MAX_LINES = 100
AJOUTS_MAX_LENGTH = 10_000
ALL_TYPES = list(TypeCollectivite)


def resolve_collectivite_input(value: str, *, types: list[TypeCollectivite], departement: str | None = None):
    """Turn what the visitor typed (the label of a suggestion, a name, an INSEE code, a SIREN or
    a postal code) into one collectivité of the referential, or raise a French error."""
    return resolve_text(value, types=types, departement=departement)


def departement_field(**kwargs) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        empty_label="Choisissez un département",
        error_messages={
            "required": "Choisissez le département.",
            "invalid_choice": "Ce département est inconnu.",
        },
        **kwargs,
    )
    field.label_from_instance = lambda d: f"{d.code} — {d.nom}"
    return field


class EntreeForm(FneBaseForm):
    persona = forms.ChoiceField(
        label="Vous êtes",
        choices=Persona.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez qui vous êtes."},
    )
    intention = forms.ChoiceField(
        label="Vous souhaitez",
        choices=Intention.choices,
        widget=forms.RadioSelect,
        help_text="Seuls un conseil régional, un conseil départemental ou un EPCI peuvent porter une feuille de route.",
        error_messages={"required": "Indiquez ce que vous souhaitez faire."},
    )

    def clean(self):
        cleaned = super().clean()
        persona, intention = cleaned.get("persona"), cleaned.get("intention")
        if persona and intention == Intention.PORTER and not Persona(persona).can_porter:
            self.add_error(
                "intention",
                "Une commune ou une autre structure ne peut pas porter une feuille de route : "
                "choisissez « participer ».",
            )
        return cleaned


class ContactForm(FneBaseForm):
    """nom, prénom, fonction, e-mail. When not required, it is either empty or complete."""

    prenom = forms.CharField(label="Prénom", max_length=100)
    nom = forms.CharField(label="Nom", max_length=100)
    fonction = forms.CharField(label="Fonction", max_length=200)
    email = forms.EmailField(
        label="Adresse e-mail",
        help_text="Format attendu : nom@domaine.fr",
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, avec un « @ » (exemple : nom@domaine.fr)."
        },
    )

    def __init__(self, *args, required: bool = True, legend: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.required = required
        self.legend = legend
        for field in self.fields.values():
            field.required = required
            field.error_messages["required"] = f"{field.label} : ce champ est obligatoire."

    def clean(self):
        cleaned = super().clean()
        if not self.required:
            filled = [name for name in self.fields if self.data.get(self.add_prefix(name), "").strip()]
            if filled and len(filled) < len(self.fields):
                for name in self.fields:
                    if name not in filled and name not in self.errors:
                        self.add_error(name, "Complétez ce champ ou videz tout le contact.")
        return cleaned

    def is_empty(self) -> bool:
        return not any((self.cleaned_data.get(name) or "").strip() for name in self.fields)

    def to_data(self) -> ContactData | None:
        if self.is_empty():
            return None
        return ContactData(
            **{name: self.cleaned_data[name] for name in ("nom", "prenom", "fonction", "email")}
        )


def contact_forms(
    data=None, *, intention: str, persona: str, initial: dict[str, dict] | None = None
) -> dict[str, ContactForm]:
    """The form's own contacts: politique (required) + technique (optional), or the structure's."""
    initial = initial or {}
    if persona == Persona.STRUCTURE:
        specs = [("structure", True, "Contact de la structure")]
    else:
        specs = [
            ("politique", True, "Contact politique (élu·e)"),
            ("technique", False, "Contact technique"),
        ]
    return {
        name: ContactForm(
            data, prefix=f"contact_{name}", required=required, legend=legend, initial=initial.get(name)
        )
        for name, required, legend in specs
    }


class ParticiperCollectiviteForm(VersionedFormMixin, FneBaseForm):
    departement = departement_field(
        help_text="La liste des collectivités proposées est celle de ce département."
    )
    collectivite = forms.CharField(
        label="Votre collectivité",
        help_text="Nom, code INSEE, SIREN ou code postal, puis choisissez dans la liste proposée.",
        max_length=200,
        error_messages={"required": "Choisissez votre collectivité."},
    )

    def __init__(self, *args, persona: Persona, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_collectivite = Persona(persona).type_collectivite
        self.fields["collectivite"].widget = TerritoireSearchInput(
            [self.type_collectivite], departement_field="departement"
        )

    def clean(self):
        cleaned = super().clean()
        departement = cleaned.get("departement")
        value = cleaned.get("collectivite")
        if value and departement:
            try:
                collectivite = resolve_collectivite_input(
                    value, types=[self.type_collectivite], departement=departement.code
                )
            except ValidationError as exc:
                self.add_error("collectivite", exc)
            else:
                from .services import collectivite_in_departement

                if not collectivite_in_departement(collectivite, departement):
                    self.add_error(
                        "collectivite",
                        f"{collectivite.nom} n'est pas dans le département {departement.nom} ({departement.code}) : "
                        "choisissez une collectivité de ce département, ou changez de département.",
                    )
                cleaned["collectivite_obj"] = collectivite
        return cleaned


class ParticiperStructureForm(VersionedFormMixin, FneBaseForm):
    structure_nom = forms.CharField(
        label="Nom de la structure",
        max_length=200,
        error_messages={"required": "Indiquez le nom de la structure."},
    )
    structure_siret = forms.CharField(
        label="SIRET",
        max_length=20,
        required=False,
        help_text="14 chiffres, par exemple 356 000 000 00048.",
    )
    structure_sans_siret = forms.BooleanField(label="La structure n'a pas de SIRET", required=False)
    structure_type = forms.ChoiceField(
        label="Type de structure",
        choices=[(t.value, f"{t.label} ({TYPE_STRUCTURE_EXEMPLES[t]})") for t in TypeStructure],
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le type de la structure."},
    )
    departement = departement_field(help_text="Le département où la structure agit.")

    def clean_structure_siret(self):
        value = normalize_siret(self.cleaned_data.get("structure_siret", ""))
        if value:
            validate_siret(value)
        return value

    def clean(self):
        cleaned = super().clean()
        siret, sans = cleaned.get("structure_siret"), cleaned.get("structure_sans_siret")
        if "structure_siret" not in self.errors:
            if sans and siret:
                self.add_error(
                    "structure_siret", "Indiquez un SIRET ou cochez « pas de SIRET », pas les deux."
                )
            elif not sans and not siret:
                self.add_error(
                    "structure_siret", "Indiquez le SIRET de la structure ou cochez « pas de SIRET »."
                )
        return cleaned


class PorterInformationsForm(VersionedFormMixin, FneBaseForm):
    collectivite = forms.CharField(
        label="Votre collectivité",
        help_text="Nom, code INSEE ou SIREN : choisissez dans la liste proposée.",
        max_length=200,
        error_messages={"required": "Choisissez votre collectivité."},
    )
    dispositifs_existants = forms.CharField(
        label="Schémas ou démarches existants",
        help_text="Par exemple : SDUN, CRTE, SDAASaP, schéma départemental d'inclusion numérique…",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_SHORT,
    )

    def __init__(self, *args, persona: Persona, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_collectivite = Persona(persona).type_collectivite
        self.fields["collectivite"].widget = TerritoireSearchInput([self.type_collectivite])

    def clean_collectivite(self):
        return resolve_collectivite_input(self.cleaned_data["collectivite"], types=[self.type_collectivite])


class PerimetreForm(VersionedFormMixin, FneBaseForm):
    """Tick the EPCI and communes of the porteur's territory; add collectivités outside it."""

    membres = forms.MultipleChoiceField(
        label="Collectivités de votre territoire",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ajouts = forms.CharField(
        label="Autres collectivités, hors de votre territoire",
        help_text="Une collectivité par ligne : nom, code INSEE ou SIREN.",
        required=False,
        max_length=AJOUTS_MAX_LENGTH,
        widget=TerritoiresSearchTextarea(ALL_TYPES),
    )

    def __init__(self, *args, territoire: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.territoire = {f"{t}:{c.code}": c for t, c in territoire}
        self.fields["membres"].choices = [
            (key, f"{c.nom} ({c.sigle if t == TypeCollectivite.EPCI else 'commune'})")
            for key, (t, c) in zip(self.territoire, territoire, strict=True)
        ]

    def clean_ajouts(self):
        collectivites, errors = [], []
        lines = [line for line in self.cleaned_data.get("ajouts", "").splitlines() if line.strip()]
        if len(lines) > AJOUTS_MAX_LINES:
            # Each line is looked up in the referential: the list stays what a périmètre needs.
            raise ValidationError(
                f"Indiquez au plus {AJOUTS_MAX_LINES} collectivités hors de votre territoire "
                f"(vous en avez saisi {len(lines)})."
            )
        for line in lines:
            try:
                collectivites.append(resolve_collectivite_input(line, types=ALL_TYPES))
            except ValidationError as exc:
                errors.append(exc.messages[0])  # each message quotes the line it is about
        if errors:
            raise ValidationError(errors)
        return collectivites

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            chosen = [self.territoire[key] for key in cleaned.get("membres", [])]
            cleaned["collectivites"] = chosen + cleaned.get("ajouts", [])
            if not cleaned["collectivites"]:
                raise ValidationError("Cochez ou ajoutez au moins une collectivité.")
        return cleaned


class PlusTardForm(VersionedFormMixin, FneBaseForm):
    plus_tard = forms.BooleanField(
        label="Je n'ai pas encore les contacts de ces collectivités",
        required=False,
        help_text="Vous pourrez confirmer votre formulaire sans ces contacts.",
    )


class AutreStructureForm(FneBaseForm):
    nom_structure = forms.CharField(label="Nom de la structure", max_length=200, required=False)
    prenom = forms.CharField(label="Prénom du contact", max_length=100, required=False)
    nom = forms.CharField(label="Nom du contact", max_length=100, required=False)
    fonction = forms.CharField(label="Fonction", max_length=200, required=False)
    email = forms.EmailField(
        label="Adresse e-mail",
        required=False,
        error_messages={
            "invalid": "Saisissez une adresse e-mail valide, avec un « @ » (exemple : nom@domaine.fr)."
        },
    )

    def clean(self):
        cleaned = super().clean()
        filled = [name for name in self.fields if (self.data.get(self.add_prefix(name)) or "").strip()]
        if filled and len(filled) < len(self.fields):
            for name in self.fields:
                if name not in filled and name not in self.errors:
                    self.add_error(name, "Complétez ce champ ou videz toute la ligne.")
        return cleaned

    def to_data(self) -> StructureData | None:
        if not self.cleaned_data.get("nom_structure"):
            return None
        c = self.cleaned_data
        return StructureData(
            nom=c["nom_structure"],
            contact=ContactData(nom=c["nom"], prenom=c["prenom"], fonction=c["fonction"], email=c["email"]),
        )


# The other structures a porteur names beside itself: a few partners, never hundreds.
AutreStructureFormSet = bounded_formset(AutreStructureForm, most=30, extra=2)


def apply_service_error(
    form: forms.Form, exc: ValidationError, *, fields: dict[str, forms.Form] | None = None
):
    """Attach a service's ValidationError to the matching field (or form) so it shows in place."""
    fields = fields or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = fields.get(name)
            if target is not None:
                target.add_error(None, errors)
            elif name in form.fields:
                form.add_error(name, errors)
            else:
                form.add_error(None, errors)
    else:
        form.add_error(None, exc)
