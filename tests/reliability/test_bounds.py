"""Dates, numbers and uploads are bounded: refused with a French message next to the field,
before any database sees them (SQLite stores any integer; PostgreSQL would answer an error)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from feuilles_de_route.enums import Indicateur
from feuilles_de_route.forms import ApprobationForm, IndicateursForm
from feuilles_de_route.models import CopieSignee, IndicateurCible
from gouvernances.models import Echeance
from national.forms import ReouvertureForm
from tests.browser_form import page_text, post_form
from tests.feuilles_de_route.test_services import a_real_pdf

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "day", [datetime.date(1, 1, 1), datetime.date(9999, 12, 31), datetime.date(2022, 12, 31)]
)
def test_dates_outside_the_campaign_are_refused(day):
    for form, name in ((ApprobationForm, "approuvee_le"), (ReouvertureForm, "jusquau")):
        bound = form({name: day.isoformat()})
        assert not bound.is_valid()
        assert bound.errors[name] == [
            "Saisissez une date comprise entre le 1er janvier 2023 et le 31 décembre 2035."
        ]


def test_the_admin_calendar_refuses_a_year_9999(db):
    from django.core.exceptions import ValidationError

    echeance = Echeance(code="essai", libelle="Essai", date_limite=datetime.date(9999, 1, 1))
    with pytest.raises(ValidationError) as error:
        echeance.full_clean()
    assert "date_limite" in error.value.message_dict


def test_indicator_targets_stay_within_sane_bounds():
    code = Indicateur.values[0]
    form = IndicateursForm({"version": "0", **{f"{code}_2027": "3000000000"}})
    assert not form.is_valid()
    assert form.errors[f"{code}_2027"] == ["Saisissez une cible d'au plus 1\u202f000\u202f000."]


def test_numbers_beyond_any_column_are_refused_on_every_page(client, prefecture_58, contenu_58, figures):
    """On SQLite these would be stored; on PostgreSQL they were a 500. Both refuse them now."""
    client.force_login(prefecture_58)
    feuille = contenu_58["feuille"]
    cases = [
        (
            reverse("feuilles_de_route:section", kwargs={"pk": feuille.pk, "section": "moyens"}),
            "coordinateurs_postes",
        ),
        (
            reverse("gouvernances:section", kwargs={"code": "58", "section": "coordination"}),
            "coordination-0-nombre_postes",
        ),
        (
            reverse("feuilles_de_route:section", kwargs={"pk": feuille.pk, "section": "indicateurs"}),
            f"{Indicateur.values[0]}_2025",
        ),
        (reverse("besoins:selection", kwargs={"code": "58"}), "former_agents__personnes"),
    ]
    tried = 0
    for url, field in cases:
        data = post_form(client.get(url).content.decode(), contains="version").as_post()
        assert field in data, (url, field)
        # 40,000 overflows a small integer column (postes); it is a sane target or head count.
        small_integer = field.endswith(("coordinateurs_postes", "nombre_postes"))
        values = ("99999999999999999999", "40000", "-5") if small_integer else ("99999999999999999999", "-5")
        for value in values:
            data[field] = [value]
            response = client.post(url, data)
            tried += 1
            assert response.status_code in (200, 400), (url, field, value, response.status_code)
    assert not IndicateurCible.objects.filter(cible_2025__gt=1_000_000).exists()
    figures(classe="bornes des nombres", requetes=tried, erreurs_500=0, detail="postes, cibles, personnes")


def test_an_etp_over_the_maximum_is_refused(client, prefecture_58, contenu_58):
    client.force_login(prefecture_58)
    url = reverse("besoins:selection", kwargs={"code": "58"})
    data = post_form(client.get(url).content.decode(), contains="version").as_post()
    field = next(name for name in data if name.endswith("__etp") and data[name] != [""])
    data[field] = ["5000"]
    response = client.post(url, data)
    assert response.status_code == 200
    assert "L'estimation en ETP ne peut dépasser 100." in page_text(response)


# --- Signed copies ----------------------------------------------------------------------------


def _upload(client, feuille, content: bytes, name="signee.pdf"):
    return client.post(
        reverse("feuilles_de_route:copie_deposer", kwargs={"pk": feuille.pk}),
        {"fichier": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"<html><script>alert(1)</script></html>\n%PDF-1.7\n%%EOF", id="polyglotte-html"),
        pytest.param(b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF", id="pdf-sans-page"),
        pytest.param(b"GIF89a%PDF-1.4", id="image"),
    ],
)
def test_a_signed_copy_must_start_as_a_pdf_and_parse(client, prefecture_58, contenu_58, content):
    client.force_login(prefecture_58)
    response = _upload(client, contenu_58["feuille"], content)
    assert response.status_code == 400
    assert not CopieSignee.objects.exists()
    text = page_text(response)
    assert "n'est pas un PDF" in text or "illisible ou endommagé" in text


def test_a_polyglot_around_a_real_pdf_is_refused(client, prefecture_58, contenu_58):
    """HTML first, a real PDF after it: readers find the header in the first kilobyte."""
    client.force_login(prefecture_58)
    response = _upload(client, contenu_58["feuille"], b"<html><body>x</body></html>\n" + a_real_pdf())
    assert response.status_code == 400
    assert "n'est pas un PDF" in page_text(response)


def test_a_real_signed_pdf_is_accepted(client, prefecture_58, contenu_58):
    client.force_login(prefecture_58)
    response = _upload(client, contenu_58["feuille"], a_real_pdf())
    assert response.status_code == 302
    assert CopieSignee.objects.count() == 1
