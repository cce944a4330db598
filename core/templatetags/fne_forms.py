"""The error summary of a page whose form failed, and the « Erreur : » prefix of its title.

Both are found from the page's context (any bound form or formset in it, or in a list or dict
of them, or in an object's `summary_forms()`), so every form page gets them from templates/base.html without each view having to
pass anything. Reading a form's errors never queries: the form was validated in the view."""

from dataclasses import dataclass

from django import forms, template
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.formsets import BaseFormSet

register = template.Library()


@dataclass(frozen=True)
class Erreur:
    message: str
    anchor: str  # the id of the field to jump to; empty for a message about the whole form
    label: str = ""


def _forms_in(value):
    # A page validating several forms together may hold them in one object that lists them.
    if callable(getattr(value, "summary_forms", None)):
        value = list(value.summary_forms())
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        yield from (item for item in value if isinstance(item, forms.BaseForm | BaseFormSet))
    elif isinstance(value, forms.BaseForm | BaseFormSet):
        yield value


def _form_errors(form: forms.BaseForm) -> list[Erreur]:
    if not form.is_bound or not form.errors:
        return []
    result = [Erreur(str(message), "") for message in form.non_field_errors()]
    for name, messages in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        if bound.is_hidden:
            result.extend(Erreur(str(message), "") for message in messages)
            continue
        anchor = bound.id_for_label or bound.auto_id or ""
        label = str(bound.label or "")
        result.extend(Erreur(str(message), anchor, label) for message in messages)
    # A form may carry messages that belong to a group of inputs rather than to one field.
    extra = getattr(form, "summary_errors", None)
    if extra is not None:
        result.extend(Erreur(message, anchor, label) for anchor, label, message in extra())
    return result


def _errors(context) -> list[Erreur]:
    seen: set[int] = set()
    result: list[Erreur] = []
    for layer in context.dicts:
        for value in layer.values():
            for form in _forms_in(value):
                if id(form) in seen:
                    continue
                seen.add(id(form))
                if isinstance(form, BaseFormSet):
                    if not form.is_bound:
                        continue
                    result.extend(Erreur(str(m), "") for m in form.non_form_errors())
                    for sub in form.forms:
                        result.extend(_form_errors(sub))
                else:
                    result.extend(_form_errors(form))
    # One line per distinct message and field.
    return list(dict.fromkeys(result))


@register.filter
def one_line(value) -> str:
    """A page title as one line: templates' own line breaks and indents gone."""
    return " ".join(str(value).split())


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    return "Erreur : " if _errors(context) else ""


@register.inclusion_tag("includes/error_summary.html", takes_context=True)
def error_summary(context) -> dict:
    return {"erreurs": _errors(context)}
