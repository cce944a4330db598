"""An EPCI signs in, fills the « porter » form through its four steps (informations,
périmètre, contacts of the périmètre, other structures), reads the summary and confirms; the
rows are stored and the Nièvre préfecture sees the porteur in its list."""

import re

import pytest
from playwright.sync_api import Page, expect

from candidatures.enums import Statut
from candidatures.models import ManifestationInteret
from comptes.enums import Role
from tests.conftest import PASSWORD, make_user
from tests.e2e.a11y import audit
from tests.e2e.journeys import (
    choose_territoire,
    contact_fieldset,
    fill_contact,
    login,
    logout,
    start_candidature,
)

pytestmark = pytest.mark.e2e

NEVERS_AGGLO = "245804406"


def test_epci_carries_a_feuille_de_route_through_every_step(page: Page, prefecture_nievre):
    make_user("numerique@agglo-nevers.example", Role.STRUCTURE)
    login(page, "numerique@agglo-nevers.example", PASSWORD)
    start_candidature(page, persona="EPCI ou groupement de communes", intention="Porter une feuille de route")

    # Step 1: the collectivité, by SIREN, and its elected contact.
    expect(page).to_have_url(re.compile(r"/porter/informations/$"))
    expect(page.get_by_role("heading", level=2)).to_contain_text("Informations")
    expect(page.locator(".fr-stepper__state")).to_have_text("Étape 1 sur 5")
    page.get_by_label("Votre collectivité").fill(NEVERS_AGGLO)
    page.get_by_label("Schémas ou démarches existants").fill(
        "Schéma départemental d'inclusion numérique 2024"
    )
    fill_contact(
        contact_fieldset(page, "Contact politique"),
        prenom="Denis",
        nom="Thuriot",
        fonction="Président",
        email="president@agglo-nevers.example",
    )
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Step 2: two communes of the agglomération, and Moulins (Allier) outside it.
    expect(page).to_have_url(re.compile(r"/porter/perimetre/$"))
    audit(page)
    expect(page.locator("main")).to_contain_text("CA de Nevers")
    for commune in ("Nevers (commune)", "Varennes-Vauzelles (commune)"):
        page.get_by_text(commune, exact=True).click()
        expect(page.get_by_label(commune, exact=True)).to_be_checked()
    choose_territoire(
        page.get_by_role("combobox", name="Autres collectivités, hors de votre territoire"),
        "03190",
        re.compile(r"^Moulins \(Commune, 03190\)"),
    )
    expect(
        page.get_by_role("list", name="Autres collectivités, hors de votre territoire : choix")
    ).to_contain_text("Moulins (Commune, 03190)")
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Step 3: a contact for each of the three.
    expect(page).to_have_url(re.compile(r"/porter/contacts/$"))
    audit(page)
    for index, (legend, ville) in enumerate(
        (("Nevers", "nevers"), ("Varennes-Vauzelles", "varennes"), ("Moulins", "moulins"))
    ):
        fill_contact(
            contact_fieldset(page, re.compile(rf"^{legend}\b")),
            prenom="Élu",
            nom=f"Référent {index}",
            fonction="Adjoint au numérique",
            email=f"elu@{ville}.example",
        )
    page.get_by_role("button", name="Enregistrer et continuer").click()

    # Step 4: one other structure to involve.
    expect(page).to_have_url(re.compile(r"/porter/structures/$"))
    audit(page)
    structure = contact_fieldset(page, "Structure 1")
    structure.get_by_label("Nom de la structure").fill("Emmaüs Connect Nevers")
    fill_contact(
        structure,
        prenom="Inès",
        nom="Morel",
        fonction="Responsable d'antenne",
        email="ines.morel@emmaus-connect.example",
    )
    page.get_by_role("button", name="Enregistrer et voir le récapitulatif").click()

    # Summary, then confirmation.
    expect(page).to_have_url(re.compile(r"/recapitulatif/$"))
    audit(page)
    main = page.locator("main")
    expect(main).to_contain_text("CA de Nevers")
    expect(main).to_contain_text("Périmètre (3 collectivités)")
    expect(main).to_contain_text("Moulins (03190) — hors territoire")
    expect(main).to_contain_text("Emmaüs Connect Nevers")
    page.get_by_role("button", name="Confirmer et envoyer").click()
    expect(main).to_contain_text("Formulaire confirmé")
    audit(page)

    manifestation = ManifestationInteret.objects.get(user__email="numerique@agglo-nevers.example")
    assert manifestation.statut == Statut.CONFIRMEE
    assert manifestation.epci_id == NEVERS_AGGLO
    assert sorted(row.collectivite_code for row in manifestation.perimetre.all()) == [
        "03190",
        "58194",
        "58303",
    ]
    assert manifestation.perimetre.filter(contact__isnull=False).count() == 3
    assert [s.nom for s in manifestation.autres_structures.all()] == ["Emmaüs Connect Nevers"]

    # The Nièvre préfecture sees the porteur counted and listed.
    logout(page)
    email, password = prefecture_nievre
    login(page, email, password)
    expect(page.locator('[data-compteur="porteurs_collectivites"]')).to_have_text("1")
    page.get_by_role("link", name=re.compile("Voir le détail")).click()
    audit(page)
    expect(page.locator("table")).to_contain_text("CA de Nevers")
