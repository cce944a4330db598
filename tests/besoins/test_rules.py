"""The pure rules: validation messages, totals, priority cards and their order."""

from decimal import Decimal

import pytest

from besoins import rules
from besoins.enums import CARTE_RESSOURCE_HUMAINE, ITEMS_BY_CATEGORIE, Categorie, Item
from besoins.rules import Ligne


def test_four_categories_with_the_webinar_labels():
    assert [c.label for c in ITEMS_BY_CATEGORIE] == [
        "Formaliser les feuilles de route",
        "Financer le déploiement de la feuille de route",
        "Outiller les acteurs du territoire",
        "Former les professionnels à l'inclusion numérique",
    ]
    assert [i.label for i in ITEMS_BY_CATEGORIE[Categorie.FORMALISER]][:4] == [
        "Faire un diagnostic territorial",
        "Co-construire la feuille de route avec les acteurs locaux",
        "Rédiger la feuille de route",
        "Créer un véhicule juridique dédié à la gouvernance",
    ]
    assert Item.QUALIOPI.label.startswith("Appuyer la certification Qualiopi")
    assert sum(len(items) for items in ITEMS_BY_CATEGORIE.values()) == len(Item.values) == 17


def test_a_complete_selection_is_valid():
    lignes = [
        Ligne("diagnostic", ressource_humaine=True, etp=Decimal("0.5")),
        Ligne("fonds_local", prestation=True),
        Ligne("former_agents", personnes_a_former=12),
        Ligne("outiller_autre", prestation=True, precision="Cartographie des lieux"),
    ]
    assert rules.validate_lignes(lignes) == {}


@pytest.mark.parametrize(
    ("etp", "message"),
    [
        (None, "Indiquez une estimation en ETP"),
        (Decimal("0"), "supérieure à 0"),
        (Decimal("-1"), "supérieure à 0"),
        (Decimal("150"), "ne peut dépasser 100"),
    ],
)
def test_etp_must_be_positive(etp, message):
    errors = rules.validate_lignes([Ligne("diagnostic", ressource_humaine=True, etp=etp)])
    assert list(errors) == ["diagnostic__etp"]
    assert message in errors["diagnostic__etp"][0]


def test_a_selected_item_needs_rh_or_prestation():
    errors = rules.validate_lignes([Ligne("rediger")])
    assert errors == {
        "rediger__reponse": ["Choisissez « Ressource humaine », « Prestation de service » ou les deux."]
    }


def test_autre_needs_a_precision():
    errors = rules.validate_lignes([Ligne("financer_autre", prestation=True, precision="   ")])
    assert errors == {"financer_autre__precision": ["Précisez ce besoin."]}


@pytest.mark.parametrize(
    ("personnes", "message"), [(None, "Indiquez"), (0, "au moins 1"), (-3, "au moins 1")]
)
def test_formation_needs_a_number_of_people(personnes, message):
    errors = rules.validate_lignes([Ligne("former_salaries", personnes_a_former=personnes)])
    assert message in errors["former_salaries__personnes"][0]


def test_items_that_train_people_do_not_ask_for_rh_or_prestation():
    assert rules.validate_lignes([Ligne("former_agents", personnes_a_former=3)]) == {}
    assert rules.validate_lignes([Ligne("former_salaries", personnes_a_former=3)]) == {}


def test_the_head_count_is_only_for_items_that_train_people():
    # The Qualiopi support trains nobody: it is met like any need (RH and/or prestation).
    assert rules.validate_lignes([Ligne("qualiopi", prestation=True)]) == {}
    assert "former_agents__personnes" not in rules.validate_lignes([Ligne("qualiopi")])
    assert rules.validate_lignes([Ligne("qualiopi")]) == {
        "qualiopi__reponse": ["Choisissez « Ressource humaine », « Prestation de service » ou les deux."]
    }
    assert Ligne("qualiopi", prestation=True, personnes_a_former=12).cleaned() == Ligne(
        "qualiopi", prestation=True
    )
    # « Autre » asks for people only when its précision is about training people.
    autre = Ligne(
        "former_autre", precision="Outils de visioconférence", ressource_humaine=True, etp=Decimal("0.2")
    )
    assert rules.validate_lignes([autre]) == {}
    formant = Ligne("former_autre", precision="Former les agents d'accueil", forme_des_personnes=True)
    assert rules.validate_lignes([formant]) == {
        "former_autre__personnes": ["Indiquez le nombre de personnes à former."]
    }
    assert (
        rules.totaux(
            [Ligne("former_autre", forme_des_personnes=True, personnes_a_former=8, precision="x")]
        ).personnes_a_former
        == 8
    )
    assert (
        rules.totaux(
            [Ligne("former_autre", personnes_a_former=8, precision="x", prestation=True)]
        ).personnes_a_former
        == 0
    )


def test_aucun_besoin_is_an_answer():
    assert rules.validate_lignes([], aucun_besoin=True) == {}
    assert rules.validate_lignes([Ligne("rediger", prestation=True)], aucun_besoin=True) == {
        "aucun_besoin": [
            "Vous avez indiqué n'avoir aucun besoin et sélectionné des besoins : choisissez l'un ou l'autre."
        ]
    }


def test_nothing_selected_or_unknown_or_duplicate():
    assert rules.validate_lignes([]) == {
        "__all__": ["Sélectionnez au moins un besoin, ou indiquez que le département n'en a aucun."]
    }
    assert "n'existe pas" in rules.validate_lignes([Ligne("inconnu")])["__all__"][0]
    twice = [Ligne("rediger", prestation=True), Ligne("rediger", prestation=True)]
    assert "en double" in rules.validate_lignes(twice)["__all__"][0]


def test_cleaned_drops_what_does_not_apply():
    assert Ligne("rediger", etp=Decimal("2"), prestation=True).cleaned() == Ligne("rediger", prestation=True)
    assert Ligne("former_agents", ressource_humaine=True, personnes_a_former=4).cleaned() == Ligne(
        "former_agents", personnes_a_former=4
    )
    assert Ligne("rediger", prestation=True, precision="x").cleaned().precision == ""


def test_totals():
    totaux = rules.totaux(
        [
            Ligne("diagnostic", ressource_humaine=True, etp=Decimal("0.5"), prestation=True),
            Ligne("animer", ressource_humaine=True, etp=Decimal("1.25")),
            Ligne("fonds_local", prestation=True),
            Ligne("former_agents", personnes_a_former=40),
            Ligne("former_salaries", personnes_a_former=15),
            # Invalid values typed so far are not counted.
            Ligne("rediger", ressource_humaine=True, etp=Decimal("-2")),
            Ligne("qualiopi", prestation=True),
        ]
    )
    assert totaux == rules.Totaux(besoins=7, etp=Decimal("1.75"), prestations=3, personnes_a_former=55)
    assert totaux.etp_affiche == "1,75"


@pytest.mark.parametrize(
    ("value", "text"),
    [(Decimal("1.50"), "1,5"), (Decimal("2.00"), "2"), (Decimal("0.25"), "0,25"), (Decimal("10"), "10")],
)
def test_format_etp(value, text):
    assert rules.format_etp(value) == text


def test_cards_prestations_formations_and_one_rh_card():
    cartes = rules.cartes_attendues(
        [
            Ligne("animer", ressource_humaine=True, etp=Decimal("1")),
            Ligne("diagnostic", ressource_humaine=True, etp=Decimal("0.5"), prestation=True),
            Ligne("former_agents", personnes_a_former=40),
            Ligne("formaliser_autre", prestation=True, precision="Étude juridique"),
        ]
    )
    assert [c.cle for c in cartes] == [
        "diagnostic",
        "formaliser_autre",
        "former_agents",
        CARTE_RESSOURCE_HUMAINE,
    ]
    assert cartes[1].titre == "Étude juridique"
    assert cartes[2].detail == "Formation — 40 personnes à former"
    assert cartes[-1].titre == "Ressource humaine (1,5 ETP)"


def test_no_rh_card_without_rh():
    assert [c.cle for c in rules.cartes_attendues([Ligne("rediger", prestation=True)])] == ["rediger"]


def test_reconcile_keeps_the_users_order_and_appends_new_cards():
    assert rules.reconcile(["b", "x", "a"], ["a", "b", "c"]) == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("ordre", "valid"),
    [
        (["a", "b"], True),
        (["b", "a"], True),
        (["a"], False),
        (["a", "b", "c"], False),
        (["a", "a", "b"], False),
    ],
)
def test_ordre_valide(ordre, valid):
    assert rules.ordre_valide(ordre, ["a", "b"]) is valid


def test_deplacer():
    assert rules.deplacer(["a", "b", "c"], "b", "monter") == ["b", "a", "c"]
    assert rules.deplacer(["a", "b", "c"], "b", "descendre") == ["a", "c", "b"]
    assert rules.deplacer(["a", "b", "c"], "a", "monter") == ["a", "b", "c"]
    assert rules.deplacer(["a", "b", "c"], "c", "descendre") == ["a", "b", "c"]
    assert rules.deplacer(["a", "b"], "z", "monter") == ["a", "b"]
