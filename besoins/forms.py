"""Forms of the two steps. They parse what the user typed; the rules themselves live in
rules.py (called here to show every error at once) and are enforced again by services.py."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError

from core.forms import FneBaseForm
from core.versioning import VersionedFormMixin

from . import rules
from .enums import ITEMS_BY_CATEGORIE, asks_if_it_trains_people, is_autre, short_label, trains_people

OUI_NON = [("oui", "Oui"), ("non", "Non")]
INCOMPLET = "Certains besoins sont incomplets : voir les messages à côté de chacun."


class EtpField(forms.CharField):
    """An ETP estimate typed the French way (« 0,5 ») or with a dot; 2 decimals at most."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        text = super().to_python(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError("Saisissez un nombre, par exemple 0,5.", code="invalid") from None
        if not number.is_finite():
            raise ValidationError("Saisissez un nombre, par exemple 0,5.", code="invalid")
        if number.as_tuple().exponent < -2:
            raise ValidationError("Indiquez au plus deux décimales, par exemple 0,25.", code="decimals")
        return number


class SelectionForm(VersionedFormMixin, FneBaseForm):
    """Step 1: every item of the four categories (or « aucun besoin »), the chef de projet and
    the études."""

    aucun_besoin = forms.BooleanField(
        label="Le département n'a aucun besoin en ingénierie à déclarer",
        help_text="Cochez cette case plutôt que de sélectionner un besoin qui ne correspond pas au territoire.",
        required=False,
    )
    chef_de_projet = forms.ChoiceField(
        label="Un chef de projet « Financement de l'inclusion numérique » est-il nécessaire ?",
        help_text="Poste d'ingénierie financière pouvant être cofinancé par l'ANCT (circulaire du 28 juillet 2023).",
        choices=OUI_NON,
        widget=forms.RadioSelect,
        required=False,
    )
    chef_de_projet_structure = forms.CharField(
        label="Structure(s) envisagée(s) pour porter le poste",
        help_text="Si un chef de projet est nécessaire. Par exemple : conseil départemental, EPCI, GIP…",
        max_length=300,
        required=False,
    )
    etudes = forms.CharField(
        label="Études d'ingénierie spécifiques",
        help_text="Une étude par ligne. Par exemple : étude sur l'hybridation des modèles financiers des structures de médiation numérique.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reponse_errors: dict[str, list[str]] = {}
        for items in ITEMS_BY_CATEGORIE.values():
            for item in items:
                self._add_item_fields(item.value)
        for field in self.fields.values():
            if not hasattr(field.widget, "group_class"):
                field.widget.group_class = "fr-input-group"

    def _add_item_fields(self, code: str) -> None:
        name = rules.field_name
        self.fields[name(code, "selection")] = forms.BooleanField(label=short_label(code), required=False)
        if is_autre(code):
            self.fields[name(code, "precision")] = forms.CharField(
                label="Précisez le besoin", max_length=300, required=False
            )
        if asks_if_it_trains_people(code):
            self.fields[name(code, "forme")] = forms.BooleanField(
                label="Il s'agit de former des personnes",
                help_text="Le nombre de personnes à former est alors demandé.",
                required=False,
            )
        if trains_people(code) or asks_if_it_trains_people(code):
            self.fields[name(code, "personnes")] = forms.IntegerField(
                label="Nombre de personnes à former",
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                error_messages={"invalid": "Saisissez un nombre entier de personnes, par exemple 12."},
            )
        if trains_people(code):
            return
        self.fields[name(code, "ressource_humaine")] = forms.BooleanField(
            label="Ressource humaine",
            help_text="Internalisée par un membre de la gouvernance autre que l'État.",
            required=False,
        )
        self.fields[name(code, "etp")] = EtpField(
            label="Estimation en ETP", help_text="Équivalent temps plein, par exemple 0,5.", required=False
        )
        self.fields[name(code, "prestation")] = forms.BooleanField(
            label="Prestation de service", required=False
        )

    # --- Reading the typed values ------------------------------------------------------------

    def _value(self, code: str, part: str):
        key = rules.field_name(code, part)
        if key not in self.fields:
            return None
        return self.cleaned_data.get(key)

    def lignes(self) -> list[rules.Ligne]:
        """The selected items as typed (after parsing)."""
        result = []
        for items in ITEMS_BY_CATEGORIE.values():
            for item in items:
                code = item.value
                if not self._value(code, "selection"):
                    continue
                result.append(
                    rules.Ligne(
                        item=code,
                        ressource_humaine=bool(self._value(code, "ressource_humaine")),
                        etp=self._value(code, "etp"),
                        prestation=bool(self._value(code, "prestation")),
                        personnes_a_former=self._value(code, "personnes"),
                        precision=self._value(code, "precision") or "",
                        forme_des_personnes=bool(self._value(code, "forme")),
                    )
                )
        return result

    def clean(self):
        cleaned = super().clean()
        # Show every rule's message at once, next to its field; a field that could not even be
        # parsed keeps its own message only.
        aucun = bool(cleaned.get("aucun_besoin"))
        for key, messages in rules.validate_lignes(self.lignes(), aucun_besoin=aucun).items():
            if key == "__all__":
                self.add_error(None, messages)
            elif key in self.errors:
                continue
            else:
                self.add_service_error(key, messages)
        return cleaned

    def add_service_error(self, key: str, messages) -> None:
        if key in self.fields:
            self.add_error(key, messages)
        elif key.endswith(f"__{rules.REPONSE}"):
            code = key.removesuffix(f"__{rules.REPONSE}")
            self.reponse_errors.setdefault(code, []).extend(messages)
            # Keep the form invalid even though no single input carries the message.
            if INCOMPLET not in self.non_field_errors():
                self.add_error(None, INCOMPLET)
        else:
            self.add_error(None, messages)

    def summary_errors(self) -> list[tuple[str, str, str]]:
        """The « ressource humaine / prestation » messages for the page's error summary: they
        belong to the pair of checkboxes, so the link goes to the first one."""
        return [
            (self[rules.field_name(code, "ressource_humaine")].id_for_label, short_label(code), message)
            for code, messages in self.reponse_errors.items()
            for message in messages
        ]

    def apply_service_error(self, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                messages = [m for e in errors for m in e.messages]
                if key == "__all__":
                    self.add_error(None, messages)
                else:
                    self.add_service_error(key, messages)
        else:
            self.add_error(None, exc.messages)

    @property
    def chef_de_projet_value(self) -> bool | None:
        return {"oui": True, "non": False}.get(self.cleaned_data.get("chef_de_projet") or "")

    @property
    def etudes_list(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("etudes") or "").splitlines() if line.strip()]

    # --- For the template ----------------------------------------------------------------------

    def categories(self) -> list[dict]:
        groups = []
        for categorie, items in ITEMS_BY_CATEGORIE.items():
            rows = []
            for item in items:
                code = item.value

                def bound(part, code=code):
                    key = rules.field_name(code, part)
                    return self[key] if key in self.fields else None

                rows.append(
                    {
                        "code": code,
                        "libelle": item.label,
                        "selection": bound("selection"),
                        "precision": bound("precision"),
                        "forme": bound("forme"),
                        "personnes": bound("personnes"),
                        "ressource_humaine": bound("ressource_humaine"),
                        "etp": bound("etp"),
                        "prestation": bound("prestation"),
                        "reponse_errors": self.reponse_errors.get(code, []),
                    }
                )
            groups.append({"code": categorie.value, "libelle": categorie.label, "items": rows})
        return groups


def initial_for(page) -> dict:
    """The step-1 form's initial values from what is stored."""
    initial: dict = {"version": page.version}
    besoins = page.besoins
    if besoins is not None:
        initial["aucun_besoin"] = besoins.aucun_besoin
    if besoins is not None and besoins.chef_de_projet is not None:
        initial["chef_de_projet"] = "oui" if besoins.chef_de_projet else "non"
        initial["chef_de_projet_structure"] = besoins.chef_de_projet_structure
        initial["etudes"] = "\n".join(besoins.etudes or [])
    name = rules.field_name
    for ligne in page.lignes:
        initial[name(ligne.item, "selection")] = True
        initial[name(ligne.item, "ressource_humaine")] = ligne.ressource_humaine
        initial[name(ligne.item, "etp")] = rules.format_etp(ligne.etp)
        initial[name(ligne.item, "prestation")] = ligne.prestation
        initial[name(ligne.item, "personnes")] = ligne.personnes_a_former
        initial[name(ligne.item, "precision")] = ligne.precision
        initial[name(ligne.item, "forme")] = ligne.forme_des_personnes
    return initial


def lenient_lignes(data) -> list[rules.Ligne]:
    """The selected items from raw POST data, ignoring what does not parse: for the live totals
    computed while the user types (nothing is validated or saved)."""
    form = SelectionForm(data)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    result = []
    for items in ITEMS_BY_CATEGORIE.values():
        for item in items:
            code = item.value
            if not cleaned.get(rules.field_name(code, "selection")):
                continue
            result.append(
                rules.Ligne(
                    item=code,
                    ressource_humaine=bool(cleaned.get(rules.field_name(code, "ressource_humaine"))),
                    etp=cleaned.get(rules.field_name(code, "etp")),
                    prestation=bool(cleaned.get(rules.field_name(code, "prestation"))),
                    personnes_a_former=cleaned.get(rules.field_name(code, "personnes")),
                    forme_des_personnes=bool(cleaned.get(rules.field_name(code, "forme"))),
                )
            )
    return result
