"""One way to refuse a stale save (optimistic concurrency), for every editable page.

A row that a page edits carries a `version` (and who saved it last, and when). The page renders
the version it read in a hidden field; the service locks the row, compares, writes and bumps:

    row = lock_current(Axe.objects.filter(document=document), pk=axe.pk, version=version, label="…")
    …write the row…
    row.touch(user=user)
    row.save()

A save made from a stale page raises `StaleVersion`, whose French message names who saved and
when; the view keeps what the user typed and gives the form the current version
(`VersionedFormMixin.rebind_after_conflict`) so that a second, deliberate save goes through.

Rows that stand for part of a larger object (the sections of a gouvernance or of a feuille de
route) use the same base: a row per (object, section), created by the first save.
"""

from __future__ import annotations

from typing import TypeVar

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone

from .formats import french_datetime
from .forms import FneBaseForm

Row = TypeVar("Row", bound="VersionedModel")


class VersionedModel(models.Model):
    """A row edited from a page: its version, and who saved it last and when."""

    version = models.PositiveIntegerField("version", default=0)
    modifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="modifié par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    modifie_le = models.DateTimeField("modifié le", null=True, blank=True)

    class Meta:
        abstract = True

    def touch(self, *, user) -> None:
        """Count one more save, by `user` (anonymous or missing: nobody named), now. No write."""
        self.version += 1
        self.modifie_par = user if user is not None and user.is_authenticated else None
        self.modifie_le = timezone.now()


class StaleVersion(Exception):
    """The row was saved by someone else after the page was read. Nothing was written.

    `label` names what was saved, with its article, as it reads after a verb:
    « la section « Membres » », « ce formulaire », « la fiche action « Médiation » ».
    `current_version` is the version the row stands at now: the view hands it to the form
    (`VersionedFormMixin.rebind_after_conflict`) so that the next, deliberate save goes through.
    `advice` replaces the closing sentence where saving the same page again cannot replace the
    saved version (a whole form that can only be created once)."""

    ADVICE = (
        "Vérifiez-les au regard de la version enregistrée, puis enregistrez de nouveau "
        "pour la remplacer par la vôtre."
    )

    def __init__(self, *, label: str, par=None, le=None, current_version: int = 0, advice: str = ""):
        self.label = label
        self.par = par
        self.le = le
        self.current_version = current_version
        self.advice = advice or self.ADVICE
        super().__init__(self.message)

    @property
    def message(self) -> str:
        auteur = self.par.display_name if self.par is not None else "Une autre personne"
        if self.le is None:
            quoi = f"{auteur} a enregistré {self.label} après l'ouverture de votre page."
        else:
            quoi = f"{auteur} a enregistré {self.label} le {french_datetime(self.le)}, après l'ouverture de votre page."
        return (
            f"{quoi} Vos saisies n'ont pas été enregistrées ; elles sont conservées ci-dessous. {self.advice}"
        )


def check_version(row: VersionedModel | None, *, version: int | None, label: str) -> None:
    """Raise `StaleVersion` unless the page read `row` at its current version. A missing row
    stands at version 0 (a section nobody has saved yet). `version=None` skips the check, for
    writes that do not come from an edit page (cancelling, confirming)."""
    if version is None:
        return
    current = row.version if row is not None else 0
    if version != current:
        raise StaleVersion(
            label=label,
            par=getattr(row, "modifie_par", None),
            le=getattr(row, "modifie_le", None),
            current_version=current,
        )


def lock_current(queryset: models.QuerySet[Row], *, version: int | None, label: str, **lookup) -> Row | None:
    """Lock the row (`SELECT … FOR UPDATE` on the row alone), check the page's version, return it.

    Call inside `transaction.atomic()`. Returns None when no row matches (a section nobody has
    saved yet), after checking that the page read version 0."""
    row = (
        # `of=("self",)`: PostgreSQL refuses to lock the nullable side of the join to the author.
        queryset.select_for_update(of=("self",)).select_related("modifie_par").filter(**lookup).first()
    )
    check_version(row, version=version, label=label)
    return row


class VersionField(forms.IntegerField):
    """The hidden field that carries the version a page was read at."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("required", True)
        kwargs.setdefault(
            "error_messages",
            {
                "required": "La page a expiré : rechargez-la avant d'enregistrer.",
                "invalid": "La page a expiré : rechargez-la avant d'enregistrer.",
                "min_value": "La page a expiré : rechargez-la avant d'enregistrer.",
            },
        )
        super().__init__(**kwargs)


class VersionedFormMixin(forms.Form):
    """A form of an edit page: it carries the `version` its page was read at."""

    version = VersionField()

    def rebind_after_conflict(self, *, version: int) -> None:
        """Keep what the user typed but carry the current version: once the user has compared
        with the saved version, the next save replaces it deliberately."""
        data = self.data.copy()
        data[self.add_prefix("version")] = str(version)
        self.data = data
        self._errors = None  # validated again, with the current version, on the next access


class VersionOnlyForm(VersionedFormMixin, FneBaseForm):
    """The version alone, for a page whose input is a formset or a list rather than one form:
    the page renders it inside its `<form>`, next to the rows."""
