"""Services: step 1 storage and validation, step 2 order and tamper rejection, concurrency,
deadline locking, history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from besoins import services
from besoins.enums import CARTE_RESSOURCE_HUMAINE, Item
from besoins.models import Besoin, Besoins
from besoins.rules import Ligne
from core.versioning import StaleVersion

from .conftest import fermer_campagne

LIGNES = [
    Ligne("diagnostic", ressource_humaine=True, etp=Decimal("0.5"), prestation=True),
    Ligne("fonds_local", prestation=True),
    Ligne("animer", ressource_humaine=True, etp=Decimal("1")),
    Ligne("former_agents", personnes_a_former=40),
    Ligne("outiller_autre", prestation=True, precision="Cartographie des lieux de médiation"),
]


def enregistrer(gouvernance, user, *, version=0, lignes=LIGNES, chef=True, **kwargs):
    return services.besoins_save(
        gouvernance=gouvernance,
        user=user,
        version=version,
        lignes=lignes,
        chef_de_projet=chef,
        chef_de_projet_structure=kwargs.pop("structure", "Conseil départemental"),
        etudes=kwargs.pop("etudes", ["Étude A", "  ", "Étude B"]),
    )


def test_step_one_stores_one_row_per_selected_item(gouvernance_58, prefecture_58):
    besoins = enregistrer(gouvernance_58, prefecture_58)

    assert besoins.version == 1
    assert besoins.modifie_par == prefecture_58
    assert besoins.chef_de_projet is True
    assert besoins.etudes == ["Étude A", "Étude B"]
    rows = {b.item: b for b in besoins.lignes.all()}
    assert set(rows) == {"diagnostic", "fonds_local", "animer", "former_agents", "outiller_autre"}
    assert rows["diagnostic"].etp == Decimal("0.5")
    assert rows["diagnostic"].categorie == "formaliser"
    assert rows["former_agents"].personnes_a_former == 40
    assert rows["outiller_autre"].precision == "Cartographie des lieux de médiation"
    # Default order: prestations and formations in the form's order, the RH card last.
    assert besoins.priorites == [
        "diagnostic",
        "fonds_local",
        "outiller_autre",
        "former_agents",
        CARTE_RESSOURCE_HUMAINE,
    ]
    assert besoins.priorisee_le is None


def test_invalid_lines_are_refused_with_every_message_and_nothing_saved(gouvernance_58, prefecture_58):
    bad = [
        Ligne("diagnostic", ressource_humaine=True, etp=Decimal("0")),
        Ligne("rediger"),
        Ligne("financer_autre", prestation=True),
        Ligne("former_salaries", personnes_a_former=0),
    ]
    with pytest.raises(ValidationError) as exc:
        enregistrer(gouvernance_58, prefecture_58, lignes=bad, chef=None)
    assert set(exc.value.message_dict) == {
        "diagnostic__etp",
        "rediger__reponse",
        "financer_autre__precision",
        "former_salaries__personnes",
        "chef_de_projet",
    }
    assert not Besoin.objects.exists()


def test_a_new_selection_drops_unselected_rows_and_keeps_the_order_of_remaining_cards(
    gouvernance_58, prefecture_58
):
    besoins = enregistrer(gouvernance_58, prefecture_58)
    ordre = [CARTE_RESSOURCE_HUMAINE, "former_agents", "outiller_autre", "fonds_local", "diagnostic"]
    besoins = services.besoins_prioritise(
        besoins=besoins, user=prefecture_58, version=besoins.version, ordre=ordre
    )
    assert besoins.priorisee_le is not None

    nouvelles = [ligne for ligne in LIGNES if ligne.item != "fonds_local"] + [
        Ligne("rediger", prestation=True)
    ]
    besoins = enregistrer(gouvernance_58, prefecture_58, version=besoins.version, lignes=nouvelles)

    assert not besoins.lignes.filter(item="fonds_local").exists()
    assert besoins.priorites == [
        CARTE_RESSOURCE_HUMAINE,
        "former_agents",
        "outiller_autre",
        "diagnostic",
        "rediger",
    ]
    assert besoins.priorisee_le is None  # the set of cards changed: ranking to be done again


def test_same_cards_keep_the_priorisation(gouvernance_58, prefecture_58):
    besoins = enregistrer(gouvernance_58, prefecture_58)
    besoins = services.besoins_prioritise(
        besoins=besoins, user=prefecture_58, version=besoins.version, ordre=list(reversed(besoins.priorites))
    )
    changed = [Ligne("diagnostic", ressource_humaine=True, etp=Decimal("2"), prestation=True), *LIGNES[1:]]
    besoins = enregistrer(gouvernance_58, prefecture_58, version=besoins.version, lignes=changed)
    assert besoins.priorisee_le is not None
    assert besoins.lignes.get(item="diagnostic").etp == Decimal("2")


def test_a_stale_version_is_refused_naming_who_saved(gouvernance_58, prefecture_58, admin_user):
    enregistrer(gouvernance_58, admin_user)
    with pytest.raises(StaleVersion) as exc:
        enregistrer(gouvernance_58, prefecture_58, version=0)
    assert exc.value.message.startswith("admin@anct.test a enregistré vos besoins en ingénierie le ")
    assert Besoins.objects.get().version == 1
    assert Besoins.objects.get().modifie_par == admin_user


def test_priorisation_refuses_a_list_that_does_not_match(gouvernance_58, prefecture_58):
    besoins = enregistrer(gouvernance_58, prefecture_58)
    stored = list(besoins.priorites)
    for tampered in (
        stored[:-1],  # a card missing
        [*stored, "rediger"],  # a card that is not selected
        [stored[0], *stored],  # a duplicate
        [*stored[:-1], "<script>"],
    ):
        with pytest.raises(ValidationError) as exc:
            services.besoins_prioritise(
                besoins=besoins, user=prefecture_58, version=besoins.version, ordre=tampered
            )
        assert exc.value.code == "tampered"
        assert "ne correspond pas aux besoins sélectionnés" in exc.value.messages[0]
    besoins.refresh_from_db()
    assert besoins.priorites == stored
    assert besoins.priorisee_le is None


def test_priorisation_stores_the_order(gouvernance_58, prefecture_58):
    besoins = enregistrer(gouvernance_58, prefecture_58)
    ordre = ["former_agents", CARTE_RESSOURCE_HUMAINE, "outiller_autre", "diagnostic", "fonds_local"]
    services.besoins_prioritise(besoins=besoins, user=prefecture_58, version=besoins.version, ordre=ordre)
    besoins.refresh_from_db()
    assert besoins.priorites == ordre
    assert besoins.version == 2


def test_after_the_deadline_the_prefecture_cannot_write_unless_reopened(
    gouvernance_58, prefecture_58, admin_user
):
    besoins = enregistrer(gouvernance_58, prefecture_58)
    fermer_campagne()
    with pytest.raises(PermissionDenied, match="échéance"):
        enregistrer(gouvernance_58, prefecture_58, version=besoins.version)
    with pytest.raises(PermissionDenied):
        services.besoins_prioritise(
            besoins=besoins, user=prefecture_58, version=besoins.version, ordre=besoins.priorites
        )
    # An administrator always may; a reopening gives the préfecture its pen back.
    besoins = enregistrer(gouvernance_58, admin_user, version=besoins.version)
    from django.utils import timezone

    gouvernance_58.rouverte_jusquau = timezone.localdate()
    gouvernance_58.save()
    enregistrer(gouvernance_58, prefecture_58, version=besoins.version)


def test_read_only_roles_never_write(gouvernance_58, region_bfc, demo_user):
    for user in (region_bfc, demo_user):
        with pytest.raises(PermissionDenied):
            enregistrer(gouvernance_58, user)


def test_history_is_kept(gouvernance_58, prefecture_58):
    besoins = enregistrer(gouvernance_58, prefecture_58)
    services.besoins_prioritise(
        besoins=besoins, user=prefecture_58, version=besoins.version, ordre=besoins.priorites
    )
    assert besoins.history.count() == 3  # created, step 1 saved, step 2 saved
    assert Besoin.history.filter(item="diagnostic").exists()


def test_item_codes_are_the_enum_values():
    assert Item("diagnostic") == Item.DIAGNOSTIC
