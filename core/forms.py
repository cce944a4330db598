"""The project's form base: django-dsfr's DsfrBaseForm, made to render cleanly everywhere and to
refuse input that would destroy data.

- django-dsfr's input snippet reads `widget.group_class` for every field but sets it only on
  selects and radios; the test suite fails on unknown template variables, so every widget gets one.
- Optional fields are marked (the DSFR's current recommendation) without the transitional
  setting, which would warn on every render.
- A form bound to a page's POST must carry every field the page renders (`require_every_field`).
  A field missing from the body is not a field the user emptied: a truncated body (a dropped
  connection, a broken extension, a forged request) would otherwise save blanks over what is
  stored. Checkboxes, multiple selects, radio groups and file inputs are the exceptions: a
  browser sends nothing for them when nothing is ticked or chosen.
- Formsets (`FneFormSet`) refuse a management form that does not describe the rows the page
  can carry: a negative, inconsistent or oversized TOTAL_FORMS is refused at once, before any
  row is built, and no row is deleted.
"""

from django import forms
from django.core import validators
from django.forms.formsets import INITIAL_FORM_COUNT, TOTAL_FORM_COUNT
from dsfr.forms import DsfrBaseForm

from .formats import french_number

INCOMPLETE = (
    "Le formulaire reçu est incomplet : rien n'a été enregistré. Rechargez la page, puis "
    "enregistrez de nouveau."
)
MISSING_FIELD = "Ce champ n'a pas été reçu : rechargez la page avant d'enregistrer."


def too_long_message(maximum: int) -> str:
    """The refusal of a text over its maximum length (%(show_value)d: its length, by Django)."""
    return (
        f"Ce texte dépasse la longueur maximale de {french_number(maximum)} caractères "
        "(il en compte %(show_value)d) : raccourcissez-le."
    )


# A browser sends nothing for these when nothing is ticked or chosen: their absence is an answer.
OMISSIBLE_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect, forms.FileInput)


class FneBaseForm(DsfrBaseForm):
    # Filter forms (bound to a query string, where every field is optional) set this to False.
    require_every_field = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not hasattr(field.widget, "group_class"):
                field.widget.group_class = "fr-input-group"
            if getattr(field, "max_length", None) and "max_length" not in field.error_messages:
                field.error_messages["max_length"] = too_long_message(field.max_length)

    def get_context(self) -> dict:
        context = forms.Form.get_context(self)
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", True)
        return context

    def missing_fields(self) -> list[str]:
        """The fields the page renders that the bound data does not carry."""
        if not self.is_bound or not self.require_every_field:
            return []
        return [
            name
            for name, field in self.fields.items()
            if not field.disabled
            and not isinstance(field.widget, OMISSIBLE_WIDGETS)
            and field.widget.value_omitted_from_data(self.data, self.files, self.add_prefix(name))
        ]

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or (self.empty_permitted and not self.has_changed()):
            return  # an extra row of a formset left blank (or never sent) saves nothing
        missing = self.missing_fields()
        for name in missing:
            if name not in self._errors:  # « obligatoire » already says it next to the field
                self.add_error(name, MISSING_FIELD)
        if missing:
            self.add_error(None, INCOMPLETE)


# A search box holds a name, a code or an e-mail address. SQLite refuses LIKE patterns longer
# than 50,000 bytes with an error: a 60,000-character `?q=` was a 500.
SEARCH_MAX_LENGTH = 100


class FneFilterForm(FneBaseForm):
    """The form of a FilterSet (`class Meta: form = FneFilterForm`): every field is optional in a
    query string, and every text field is bounded (SEARCH_MAX_LENGTH). An over-long value is
    refused with the message next to the field; the list is shown unfiltered by it."""

    require_every_field = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not field.max_length:
                field.max_length = SEARCH_MAX_LENGTH
                field.validators.append(validators.MaxLengthValidator(SEARCH_MAX_LENGTH))
                field.widget.attrs.setdefault("maxlength", str(SEARCH_MAX_LENGTH))
                field.error_messages["max_length"] = (
                    f"Une recherche compte au plus {SEARCH_MAX_LENGTH} caractères : raccourcissez-la."
                )


class FneFormSet(forms.BaseFormSet):
    """A formset whose management form is checked before any row is built.

    Declare one with `bounded_formset()`: its bound is what the page may carry at most."""

    default_error_messages = {
        "missing_management_form": (
            "Le formulaire reçu est incomplet (le nombre de lignes manque) : rien n'a été "
            "enregistré. Rechargez la page, puis enregistrez de nouveau."
        ),
        "too_many_forms": "Vous pouvez enregistrer au plus %(num)d lignes.",
    }
    FORGED_COUNT = (
        "Le nombre de lignes reçu n'est pas valide : rien n'a été enregistré. Rechargez la page, "
        "puis enregistrez de nouveau."
    )
    TOO_MANY_ROWS = (
        "Le formulaire reçu compte {total} lignes, au-delà du maximum de {maximum} : rien n'a été "
        "enregistré. Rechargez la page, puis enregistrez de nouveau."
    )

    def count_refusal(self) -> str:
        """Why the posted row counts cannot come from the page ("" when they can)."""
        if not self.is_bound or not self.management_form.is_valid():
            return ""
        total = self.management_form.cleaned_data[TOTAL_FORM_COUNT]
        initial = self.management_form.cleaned_data[INITIAL_FORM_COUNT]
        if total < 0 or initial < 0 or initial > total:
            # Django builds `total` rows: with fewer rows than initial ones, the rows left out
            # would be deleted without anybody ticking « supprimer ».
            return self.FORGED_COUNT
        if total > self.absolute_max:
            return self.TOO_MANY_ROWS.format(total=total, maximum=self.absolute_max)
        return ""

    def total_form_count(self):
        if self.count_refusal():
            return 0
        return super().total_form_count()

    def initial_form_count(self):
        if self.count_refusal():
            return 0
        return super().initial_form_count()

    def full_clean(self):
        super().full_clean()
        if self.is_bound and not self.management_form.is_valid():
            # Django's message would be replaced by what the formset's clean() says of zero rows
            # (« Ajoutez au moins un membre »): the user must read that the page came incomplete.
            refusal = self.error_messages["missing_management_form"]
        else:
            refusal = self.count_refusal()
        if refusal:
            self._non_form_errors = self.error_class([refusal], error_class="nonform", renderer=self.renderer)


def bounded_formset(form, *, most: int, formset=FneFormSet, extra: int = 1, can_delete: bool = False):
    """A formset of `form` holding at most `most` rows, counted from what a real gouvernance or
    form needs: more is refused with a French message before any row is built."""
    return forms.formset_factory(
        form,
        formset=formset,
        extra=extra,
        can_delete=can_delete,
        max_num=most,
        absolute_max=most,
        validate_max=True,
    )
