"""The préfecture's pages: what a user sees, what a POST stores, what is refused and kept."""

from decimal import Decimal

import pytest
from django.urls import reverse

from besoins.enums import Item
from subventions.enums import StatutDemande
from subventions.models import Demande, NoteSubventions
from tests.subventions.factories import acceptee, budget_pdf, demande, formation, note


def _url(name, **kwargs):
    return reverse(f"subventions:{name}", kwargs={"code": "58", **kwargs})


def _post_data(n, **overrides):
    data = {
        "version": "0",
        "action": str(n.fiche.pk),
        # Every field the page renders (a field left out is refused as an incomplete post).
        "nouvelle_action_axe": "",
        "nouvelle_action_nom": "",
        "besoins": [Item.DIAGNOSTIC.value],
        "contexte": "Le Morvan manque de lieux.",
        "description": "<p>Un bus itinérant</p>",
        "budget_global": "30 000",
        "subvention_demandee": "12 000,50",
        "montant_rh": "8000",
        "montant_prestations": "4 000,50",
        f"beneficiaire_{n.departement_cd.pk}": "8 000",
        f"beneficiaire_{n.association.pk}": "4000,50",
        "budget_fichier": budget_pdf(),
    }
    data.update(overrides)
    return data


def test_the_page_shows_dotations_demandes_badges_and_the_gouvernance_status(client_for, n):
    demande(n, subvention="10000", statut=StatutDemande.VALIDEE)
    demande(
        n,
        fiche=n.fiche_2,
        subvention="2500.50",
        rh="0",
        statut=StatutDemande.BROUILLON,
        instruction="modification",
    )
    response = client_for("region").get(_url("page"))
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        'Dotation restante : <strong data-testid="restante-ingenierie">37\u202f499,50\u202f€</strong>' in html
    )
    assert "Médiation numérique itinérante" in html
    assert "Formation des aidants" in html
    assert 'fr-badge--info">Validée et envoyée' in html
    assert 'fr-badge--warning">Modification demandée' in html
    assert 'data-testid="statut-gouvernance">En cours' in html
    # Read-only: no button to write, no conventions (the région does not obtain them).
    assert "Nouvelle demande de subvention" not in html
    assert "Conventions de subvention" not in html


@pytest.mark.parametrize(
    ("statuts", "attendu"),
    [
        ([], "Non renseigné"),
        ([StatutDemande.BROUILLON, StatutDemande.VALIDEE], "En cours"),
        ([StatutDemande.VALIDEE, StatutDemande.ACCEPTEE], "À instruire"),
        ([StatutDemande.ACCEPTEE, StatutDemande.REJETEE], "Finalisé"),
    ],
)
def test_the_derived_status_of_the_gouvernance(client_for, n, statuts, attendu):
    fiches = [n.fiche, n.fiche_2]
    for statut, fiche in zip(statuts, fiches, strict=False):
        demande(n, fiche=fiche, subvention="1000", rh="0", statut=statut)
    html = client_for("prefecture").get(_url("page")).content.decode()
    assert f'data-testid="statut-gouvernance">{attendu}' in html
    home = client_for("prefecture").get(reverse("espace:departement", kwargs={"code": "58"})).content.decode()
    assert "Demandes de subvention" in home
    assert attendu in home


@pytest.mark.parametrize(
    ("formations", "attendu"),
    [
        # A rejected demande de formation followed by a draft: the draft is the one worked on.
        ([(StatutDemande.REJETEE, "rejet"), (StatutDemande.BROUILLON, "")], "En cours"),
        # Only rejected ones: the last one counts, and it is decided.
        ([(StatutDemande.REJETEE, "rejet")], "Finalisé"),
    ],
)
def test_the_home_card_tells_the_page_status_and_the_remaining_dotation(client_for, n, formations, attendu):
    demande(n, fiche=n.fiche, subvention="12000.50", rh="0", statut=StatutDemande.ACCEPTEE)
    for statut, instruction in formations:
        formation(n, statut=statut, instruction=instruction)
    client = client_for("prefecture")
    page = client.get(_url("page")).content.decode()
    assert f'data-testid="statut-gouvernance">{attendu}' in page
    home = client.get(reverse("espace:departement", kwargs={"code": "58"})).content.decode()
    card = home[home.index('id="subventions"') :]
    assert f">{attendu}</span>" in card
    assert "dotation restante : 37\u202f999,50\u202f€" in card  # 50 000 € less the accepted demande


def test_the_page_query_count_does_not_grow_with_demandes(client_for, n, django_assert_max_num_queries):
    client = client_for("prefecture")
    acceptee(n, beneficiaires=[(n.departement_cd, "10000")])
    with django_assert_max_num_queries(30) as few:
        client.get(_url("page"))
    for _ in range(6):
        demande(n, beneficiaires=[(n.departement_cd, "5000"), (n.association, "5000")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_url("page")).status_code == 200


def test_the_prefecture_creates_a_demande_from_the_page(client_for, n):
    client = client_for("prefecture")
    response = client.post(_url("demande_nouvelle"), _post_data(n))
    created = Demande.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("demande", pk=created.pk)
    assert created.subvention_demandee == Decimal("12000.50")
    assert created.montant_prestations == Decimal("4000.50")
    assert {b.membre_id: b.montant for b in created.beneficiaires.all()} == {
        n.departement_cd.pk: Decimal("8000"),
        n.association.pk: Decimal("4000.50"),
    }
    detail = client.get(response["Location"]).content.decode()
    assert "12\u202f000,50\u202f€" in detail
    assert "Valider et envoyer à l'ANCT" in detail


def test_a_refused_demande_comes_back_with_its_errors_next_to_the_fields_and_the_input_kept(client_for, n):
    client = client_for("prefecture")
    response = client.post(
        _url("demande_nouvelle"),
        _post_data(n, budget_global="10 000", **{f"beneficiaire_{n.association.pk}": "1000"}),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert not Demande.objects.exists()
    assert "ne peut pas dépasser le budget global (10\u202f000\u202f€)" in html
    assert "Les montants des bénéficiaires font 9\u202f000\u202f€" in html
    assert 'value="Le Morvan manque de lieux."' in html or "Le Morvan manque de lieux." in html
    assert 'value="12 000,50"' in html


def test_a_bad_amount_is_refused_in_french(client_for, n):
    response = client_for("prefecture").post(
        _url("demande_nouvelle"), _post_data(n, budget_global="trente mille")
    )
    assert response.status_code == 400
    assert "Saisissez un montant en euros, par exemple 12 500,50." in response.content.decode()


def test_a_new_action_is_created_from_the_demande_page(client_for, n):
    response = client_for("prefecture").post(
        _url("demande_nouvelle"),
        _post_data(
            n, action="nouvelle", nouvelle_action_axe=str(n.axe.pk), nouvelle_action_nom="Bus numérique"
        ),
    )
    assert response.status_code == 302
    assert Demande.objects.get().fiche_action.nom == "Bus numérique"
    assert n.axe.fiches.filter(nom="Bus numérique").exists()


def test_a_stale_edit_answers_409_and_keeps_the_input(client_for, n):
    existing = demande(n)
    existing.version = 3
    existing.save()
    response = client_for("prefecture").post(
        _url("demande_modifier", pk=existing.pk), _post_data(n, version="1", contexte="Ma version")
    )
    assert response.status_code == 409
    assert "Quelqu'un a enregistré avant vous" in response.content.decode()
    assert "Ma version" in response.content.decode()
    existing.refresh_from_db()
    assert existing.contexte == "Un contexte."


def test_validation_from_the_page_then_read_only(client_for, n):
    note(n.gouvernance)
    existing = demande(n)
    client = client_for("prefecture")
    response = client.post(_url("demande_valider", pk=existing.pk), {"version": str(existing.version)})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.statut == StatutDemande.VALIDEE
    edit = client.get(_url("demande_modifier", pk=existing.pk))
    assert edit.status_code == 302
    detail = client.get(_url("demande", pk=existing.pk)).content.decode()
    assert "Valider et envoyer" not in detail
    assert "validée et envoyée" in detail


def test_a_read_only_role_is_refused_and_nothing_changes(client_for, n):
    existing = demande(n)
    note(n.gouvernance)
    for role in ("region", "demo"):
        client = client_for(role)
        assert client.post(_url("demande_valider", pk=existing.pk), {"version": "1"}).status_code == 403
        assert client.post(_url("demande_supprimer", pk=existing.pk)).status_code == 403
    existing.refresh_from_db()
    assert existing.statut == StatutDemande.BROUILLON


def test_the_note_page_saves_sanitised_html(client_for, n):
    client = client_for("prefecture")
    short = client.post(_url("note"), {"version": "0", "texte": "<p>Trop court</p>"})
    assert short.status_code == 400
    assert "au moins 100 caractères" in short.content.decode()
    texte = "<p>" + "Le contexte de nos demandes. " * 5 + "</p><img src=x onerror=alert(1)>"
    assert client.post(_url("note"), {"version": "0", "texte": texte}).status_code == 302
    assert "onerror" not in NoteSubventions.objects.get().texte


def test_the_formation_page(client_for, n):
    client = client_for("prefecture")
    assert "20\u202f000\u202f€" in client.get(_url("formation")).content.decode()
    response = client.post(_url("formation"), {"version": "0", "membre": str(n.association.pk)})
    assert response.status_code == 302
    created = Demande.objects.get(fonds="formation")
    assert created.subvention_demandee == Decimal("20000")


def test_the_formation_demande_shows_on_the_page(client_for, n):
    formation(n, statut=StatutDemande.ACCEPTEE, instruction="acceptation")
    html = client_for("prefecture").get(_url("page")).content.decode()
    assert "Association Numérique en Morvan</strong> — 20\u202f000\u202f€" in html


def test_the_budget_previsionnel_downloads_for_readers(client_for, n):
    existing = demande(n)
    response = client_for("region").get(_url("demande_budget", pk=existing.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert (
        response["Content-Disposition"]
        == f'attachment; filename="budget-previsionnel-demande-{existing.pk}.pdf"'
    )


def test_a_member_beneficiaire_cannot_be_removed_from_the_gouvernance(n, prefecture_58):
    from django.core.exceptions import ValidationError

    from gouvernances import services as gouvernances_services
    from gouvernances.enums import Section
    from tests.nievre import open_campaign

    open_campaign()
    demande(n, beneficiaires=[(n.association, "10000")])
    contact = gouvernances_services.ContactInput("Alice", "Martin", "DGS", "alice@example.org")
    with pytest.raises(ValidationError) as excinfo:
        gouvernances_services.section_save(
            gouvernance=n.gouvernance,
            user=prefecture_58,
            section=Section.MEMBRES,
            version=0,
            data=[
                gouvernances_services.MembreInput(referent=contact, suppleant=contact, id=n.departement_cd.pk)
            ],
        )
    assert "« Association Numérique en Morvan » est bénéficiaire d'une demande de subvention" in str(
        excinfo.value
    )
    assert n.gouvernance.membres.filter(pk=n.association.pk).exists()


def test_dates_read_the_french_way(client_for, n):
    import datetime

    from django.utils import timezone

    saved = note(n.gouvernance)
    saved.modifie_le = timezone.make_aware(datetime.datetime(2026, 12, 1, 10, 45))
    saved.save()
    html = client_for("prefecture").get(_url("page")).content.decode()
    assert "Enregistrée le 1er décembre 2026 à 10h45." in html


def test_the_subventions_page_names_its_departement_in_the_title(client_for, n):
    html = client_for("prefecture").get(_url("page")).content.decode()
    assert "<title>Demandes de subvention — Nièvre — Espace France Numérique Ensemble</title>" in html
