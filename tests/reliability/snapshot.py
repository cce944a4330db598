"""A picture of the stored data, to prove that a refused request changed nothing."""

from django.apps import apps
from django.forms.models import model_to_dict

# The apps whose rows a page writes; historical (audit) tables are left out: a refused request
# writes none anyway, and their rows carry no user data of their own.
APPS = ("candidatures", "gouvernances", "feuilles_de_route", "besoins", "national")
VOLATILE = {"created_at", "updated_at"}


def snapshot() -> dict[str, list[tuple]]:
    picture = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            rows = []
            for obj in model.objects.order_by("pk"):
                values = model_to_dict(obj)
                rows.append(
                    (
                        *tuple(sorted((k, repr(v)) for k, v in values.items() if k not in VOLATILE)),
                        ("pk", obj.pk),
                    )
                )
            picture[model._meta.label] = rows
    return picture


def rows_lost(before: dict, after: dict) -> int:
    """Rows gone or changed between two pictures."""
    lost = 0
    for label, rows in before.items():
        remaining = set(after.get(label, []))
        lost += sum(1 for row in rows if row not in remaining)
    return lost
