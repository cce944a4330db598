"""The project's form base: django-dsfr's DsfrBaseForm, made to render cleanly everywhere.

- django-dsfr's input snippet reads `widget.group_class` for every field but sets it only on
  selects and radios; the test suite fails on unknown template variables, so every widget gets one.
- Optional fields are marked (the DSFR's current recommendation) without the transitional
  setting, which would warn on every render.
"""

from django import forms
from dsfr.forms import DsfrBaseForm


class FneBaseForm(DsfrBaseForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not hasattr(field.widget, "group_class"):
                field.widget.group_class = "fr-input-group"

    def get_context(self) -> dict:
        context = forms.Form.get_context(self)
        context.setdefault("DSFR_MARK_OPTIONAL_FIELDS", True)
        return context
