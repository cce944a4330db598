import datetime

import pytest
from django import forms

from core.forms import FneBaseForm
from core.versioning import StaleVersion, VersionedFormMixin, VersionOnlyForm, check_version


class _Author:
    display_name = "Camille Martin"


class _Row:
    def __init__(self, version, par=None, le=None):
        self.version, self.modifie_par, self.modifie_le = version, par, le


def test_a_stale_version_names_who_saved_and_when():
    le = datetime.datetime(2026, 3, 5, 13, 5, tzinfo=datetime.UTC)
    with pytest.raises(StaleVersion) as exc:
        check_version(_Row(3, _Author(), le), version=2, label="la section « Membres »")
    assert exc.value.message.startswith(
        "Camille Martin a enregistré la section « Membres » le 5 mars 2026 à 14h05, "
        "après l'ouverture de votre page. Vos saisies n'ont pas été enregistrées ; "
        "elles sont conservées ci-dessous."
    )


def test_without_an_author_the_message_says_someone_else():
    with pytest.raises(StaleVersion) as exc:
        check_version(None, version=1, label="ce formulaire")
    assert exc.value.message.startswith("Une autre personne a enregistré ce formulaire après l'ouverture")


def test_the_current_version_passes_and_a_missing_row_stands_at_zero():
    check_version(_Row(4), version=4, label="x")
    check_version(None, version=0, label="x")
    check_version(_Row(9), version=None, label="x")  # writes that do not come from an edit page


class _NoteForm(VersionedFormMixin, FneBaseForm):
    texte = forms.CharField()


def test_the_hidden_version_is_required_with_a_french_message():
    form = _NoteForm(data={"texte": "Bonjour"})
    assert not form.is_valid()
    assert form.errors["version"] == ["La page a expiré : rechargez-la avant d'enregistrer."]
    assert 'type="hidden"' in str(form["version"])


def test_after_a_conflict_the_form_keeps_the_input_and_carries_the_current_version():
    form = _NoteForm(data={"texte": "Ce que j'ai tapé", "version": "2"})
    assert form.is_valid()
    form.rebind_after_conflict(version=5)
    assert form.is_valid()
    assert form.cleaned_data == {"texte": "Ce que j'ai tapé", "version": 5}
    assert 'value="5"' in str(form["version"])


def test_a_stale_version_carries_the_current_version_for_the_next_save():
    with pytest.raises(StaleVersion) as exc:
        check_version(_Row(7), version=5, label="ce formulaire")
    assert exc.value.current_version == 7
    with pytest.raises(StaleVersion) as exc:
        check_version(None, version=2, label="la section « Membres »")
    assert exc.value.current_version == 0


def test_the_closing_advice_can_be_replaced_where_saving_again_cannot_replace():
    default = StaleVersion(label="ce formulaire")
    assert default.message.endswith("puis enregistrez de nouveau pour la remplacer par la vôtre.")
    created = StaleVersion(
        label="la gouvernance de ce département", advice="Reportez-les section par section."
    )
    assert created.message.endswith("elles sont conservées ci-dessous. Reportez-les section par section.")


def test_the_version_alone_renders_hidden_and_is_rebound_after_a_conflict():
    form = VersionOnlyForm(data={"version": "1"})
    assert form.is_valid()
    form.rebind_after_conflict(version=3)
    assert form.is_valid()
    assert form.cleaned_data == {"version": 3}
    assert str(form["version"]).startswith('<input type="hidden" name="version" value="3"')
