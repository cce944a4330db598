"""Search over the session's subset of the real referential (Bourgogne-Franche-Comté, Allier, …)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.text import sort_key
from territoires.enums import TypeCollectivite
from territoires.models import Commune, Departement, Epci, Region
from territoires.search import (
    CollectiviteResult,
    collectivite_label,
    fold,
    resolve_collectivite,
    resolve_text,
    search_collectivites,
)

MOULINS_COMMUNAUTE = "200071140"


def keys(results):
    return [result.key for result in results]


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nevers", "nevers"),
        ("Château-Chinon (Ville)", "chateau chinon ville"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Côte-d'Or", "cote d or"),
        ("Saint-Didier-sur-Chalaronne  ", "saint didier sur chalaronne"),
        ("Œuilly", "oeuilly"),
        ("  CA  Moulins Communauté ", "ca moulins communaute"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize("query", ["nevers", "NEVERS", "Nevers ", "nèvers", "58000", "58194", "215801945"])
@pytest.mark.django_db
def test_nevers_is_found_first(query):
    results = search_collectivites(query)

    assert results[0] == CollectiviteResult(
        type=TypeCollectivite.COMMUNE,
        code="58194",
        nom="Nevers",
        departement_code="58",
        population=Commune.objects.get(code="58194").population,
        detail="Nièvre",
        type_label="Commune",
    )
    assert results[0].key == "commune:58194"
    assert results[0].label == "Nevers (Commune, 58194)"


@pytest.mark.django_db
def test_postal_code_finds_every_commune_using_it():
    communes = {r.code for r in search_collectivites("58000")}

    assert {"58194", "58238"} <= communes  # Nevers, Saint-Éloi
    assert all("58000" in Commune.objects.get(code=code).codes_postaux_list for code in communes)


@pytest.mark.django_db
def test_accent_insensitive_name():
    results = search_collectivites("Chateau", types=[TypeCollectivite.COMMUNE])

    assert results
    assert results[0].nom.startswith("Château")
    assert "commune:58062" in keys(search_collectivites("chateau chinon"))  # Château-Chinon (Ville)


@pytest.mark.django_db
def test_every_word_must_appear():
    results = search_collectivites("loire saint")

    assert results
    assert all("saint" in fold(r.nom) and "loire" in fold(r.nom) for r in results)


@pytest.mark.django_db
def test_prefix_matches_come_first_then_population():
    results = search_collectivites("moulins", types=[TypeCollectivite.COMMUNE])

    assert results[0].key == "commune:03190"  # Moulins, before Moulins-Engilbert and the others
    prefix = [r for r in results if fold(r.nom).startswith("moulins")]
    assert results[: len(prefix)] == prefix
    populations = [r.population for r in prefix]
    assert populations == sorted(populations, reverse=True)


@pytest.mark.django_db
def test_epci_by_siren_and_by_name():
    by_siren = search_collectivites(MOULINS_COMMUNAUTE)
    by_name = search_collectivites("moulins communaute")

    assert keys(by_siren) == [f"epci:{MOULINS_COMMUNAUTE}"]
    assert by_siren[0].label == f"CA Moulins Communauté (EPCI, {MOULINS_COMMUNAUTE})"
    assert by_siren[0].long_label == f"CA Moulins Communauté (EPCI, {MOULINS_COMMUNAUTE}) — Allier, Nièvre"
    assert by_siren[0].departement_code is None  # straddles two départements
    assert by_name[0] == by_siren[0]


@pytest.mark.django_db
def test_departement_and_region_by_code_and_name():
    assert keys(search_collectivites("58")) == ["departement:58"]
    assert set(keys(search_collectivites("27"))) == {"region:27", "departement:27"}
    nievre = search_collectivites("nievre", types=[TypeCollectivite.DEPARTEMENT])
    assert nievre[0].label == "Nièvre (Conseil départemental, 58)"
    bfc = search_collectivites("bourgogne", types=[TypeCollectivite.REGION])
    assert bfc[0].label == "Bourgogne-Franche-Comté (Conseil régional, 27)"
    assert bfc[0].population == sum(
        Departement.objects.filter(region="27").values_list("population", flat=True)
    )


@pytest.mark.django_db
def test_departement_filter():
    everywhere = keys(search_collectivites("moulins"))
    in_nievre = keys(search_collectivites("moulins", departement="58"))
    in_allier = keys(search_collectivites("moulins", departement="03"))

    assert "commune:03190" in everywhere
    assert "commune:03190" not in in_nievre
    assert "commune:58182" in in_nievre  # Moulins-Engilbert
    assert f"epci:{MOULINS_COMMUNAUTE}" in in_nievre  # touches the Nièvre
    assert f"epci:{MOULINS_COMMUNAUTE}" in in_allier
    assert "commune:03190" in in_allier
    assert all(
        Commune.objects.get(code=r.code).departement_id == "58"
        for r in search_collectivites("saint", departement="58")
    )
    # The département itself and its région, not the others.
    assert keys(search_collectivites("bourgogne", departement="58")) == ["region:27"]
    assert keys(search_collectivites("bourgogne", departement="03")) == []
    assert keys(search_collectivites("nievre", departement="58", types=[TypeCollectivite.DEPARTEMENT])) == [
        "departement:58"
    ]
    assert search_collectivites("58000", departement="03") == []


@pytest.mark.django_db
def test_types_and_limit():
    results = search_collectivites("nevers", types=[TypeCollectivite.EPCI])
    assert keys(results) == ["epci:245804406"]
    assert len(search_collectivites("saint", limit=5)) == 5
    assert search_collectivites("saint", types=[]) == []
    assert search_collectivites("   ") == []
    assert search_collectivites("-'") == []


@pytest.mark.django_db
def test_few_queries(django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        results = search_collectivites("saint", limit=20)
    assert len(results) == 20
    with django_assert_max_num_queries(4):
        search_collectivites("58000")


@pytest.mark.django_db
def test_resolve_collectivite():
    assert resolve_collectivite("commune:58194") == Commune.objects.get(code="58194")
    assert resolve_collectivite(f"epci:{MOULINS_COMMUNAUTE}") == Epci.objects.get(code=MOULINS_COMMUNAUTE)
    assert resolve_collectivite("departement:58") == Departement.objects.get(code="58")
    assert resolve_collectivite("region:27") == Region.objects.get(code="27")
    for key in ("commune:99999", "canton:5801", "commune:", "58194", ""):
        assert resolve_collectivite(key) is None
    result = search_collectivites("nevers")[0]
    assert resolve_collectivite(result.key).nom == result.nom


# --- What a person typed in a form → one collectivité ------------------------------------------

ALL = list(TypeCollectivite)
NEVERS_AGGLO = "245804406"


@pytest.mark.django_db
def test_the_label_of_a_chosen_collectivite_is_read_back():
    nevers = Epci.objects.get(code=NEVERS_AGGLO)

    assert collectivite_label(nevers) == "CA de Nevers (EPCI, 245804406)"
    assert resolve_text("CA de Nevers (EPCI, 245804406)", types=ALL) == nevers
    assert resolve_text("ca de nevers (epci, 245804406)", types=[TypeCollectivite.EPCI]) == nevers
    assert resolve_text(f"epci:{NEVERS_AGGLO}", types=ALL) == nevers  # a key posted by an older page
    assert collectivite_label(Departement.objects.get(code="58")) == "Nièvre (Conseil départemental, 58)"
    assert resolve_text("Nièvre (Conseil départemental, 58)", types=ALL).code == "58"


@pytest.mark.django_db
def test_a_label_outside_what_is_asked_is_refused():
    with pytest.raises(ValidationError, match="ne fait pas partie des collectivités proposées"):
        resolve_text("CA de Nevers (EPCI, 245804406)", types=[TypeCollectivite.COMMUNE])
    with pytest.raises(ValidationError, match="ne fait pas partie"):
        resolve_text("Moulins (Commune, 99999)", types=ALL)
    # A label names its collectivité whatever the département: the form says why it does not fit.
    assert resolve_text("Moulins (Commune, 03190)", types=ALL, departement="58").code == "03190"


@pytest.mark.django_db
def test_an_exact_name_is_never_ambiguous():
    # « Nevers » is also the start of « Nevers agglomération »'s name and of other results.
    assert resolve_text("Nevers", types=[TypeCollectivite.COMMUNE]).code == "58194"
    assert resolve_text("nevers", types=ALL).code == "58194"
    # « Moulins » starts Moulins-Engilbert's name too: the whole name chooses the one.
    assert resolve_text("moulins", types=[TypeCollectivite.COMMUNE]).code == "03190"
    assert resolve_text("Avrée", types=[TypeCollectivite.COMMUNE]).code == "58019"


@pytest.mark.django_db
def test_namesakes_are_listed_with_their_departement_and_code():
    with pytest.raises(ValidationError) as raised:
        resolve_text("Saint-Didier", types=[TypeCollectivite.COMMUNE])
    message = raised.value.messages[0]
    assert message.startswith("Plusieurs collectivités s'appellent « Saint-Didier » : ")
    for line in (
        "Saint-Didier (Commune, 21546) — Côte-d'Or",
        "Saint-Didier (Commune, 39480) — Jura",
        "Saint-Didier (Commune, 58237) — Nièvre",
    ):
        assert line in message
    # Within one département, the namesake is unique.
    assert resolve_text("Saint-Didier", types=[TypeCollectivite.COMMUNE], departement="58").code == "58237"


@pytest.mark.django_db
def test_codes_and_partial_names():
    assert resolve_text("58194", types=ALL).code == "58194"
    assert resolve_text(NEVERS_AGGLO, types=ALL).code == NEVERS_AGGLO
    assert resolve_text("Varennes-Vauz", types=[TypeCollectivite.COMMUNE]).code == "58303"
    with pytest.raises(ValidationError, match="Plusieurs collectivités correspondent à « 58000 »"):
        resolve_text("58000", types=[TypeCollectivite.COMMUNE])
    with pytest.raises(ValidationError, match="Aucune collectivité ne correspond au code « 99999 »"):
        resolve_text("99999", types=ALL)
    with pytest.raises(ValidationError, match="Aucune collectivité ne correspond à « Xyzzy »"):
        resolve_text("Xyzzy", types=ALL)
    with pytest.raises(ValidationError, match="Choisissez une collectivité"):
        resolve_text("   ", types=ALL)


def test_french_sort_key():
    names = ["Avril-sur-Loire", "Avrée", "Échassières", "Ébreuil", "Dun-sur-Auron", "Éy", "Ez", "avrée"]
    assert sorted(names, key=sort_key) == [
        "Avrée",
        "avrée",
        "Avril-sur-Loire",
        "Dun-sur-Auron",
        "Ébreuil",
        "Échassières",
        "Éy",
        "Ez",
    ]


# --- The JSON endpoint --------------------------------------------------------------------------

URL = reverse("territoires:recherche")


@pytest.mark.django_db
def test_endpoint_is_public_and_returns_json(client):
    response = client.get(URL, {"q": "nevers"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data[0] == {
        "key": "commune:58194",
        "label": "Nevers (Commune, 58194)",
        "detail": "Nièvre",
        "type": "commune",
        "type_label": "Commune",
        "code": "58194",
        "nom": "Nevers",
    }


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonyme", "prefecture", "structure"])
def test_endpoint_for_every_role(client_for, role):
    response = client_for(role).get(URL, {"q": "58194"})

    assert response.status_code == 200
    assert [item["key"] for item in response.json()] == ["commune:58194"]


@pytest.mark.django_db
def test_endpoint_filters(client):
    data = client.get(URL, {"q": "moulins", "departement": "58", "types": "commune,epci"}).json()

    assert {item["type"] for item in data} <= {"commune", "epci"}
    assert "commune:58182" in [item["key"] for item in data]
    assert "commune:03190" not in [item["key"] for item in data]
    assert client.get(URL, {"q": "moulins", "types": "canton"}).json() == []


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "n"}, {"q": " n "}])
def test_endpoint_short_query_is_empty(client, params, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get(URL, params)
    assert response.json() == []


@pytest.mark.django_db
def test_endpoint_limit_and_method(client):
    assert len(client.get(URL, {"q": "saint"}).json()) == 20
    assert client.post(URL, {"q": "nevers"}).status_code == 405
