"""The rules of a demande de subvention, tested on the services: what is refused (with which
French message, on which field), what is stored, and that nothing is written on a refusal."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from besoins.enums import Item
from core.versioning import StaleVersion
from feuilles_de_route.models import FicheAction
from subventions import services
from subventions.enums import Fonds, Instruction, StatutDemande
from subventions.models import Demande, NoteSubventions
from tests.subventions.factories import budget_pdf, demande, formation, note


def _input(n, **overrides):
    values = {
        "feuille_id": n.feuille.pk,
        "fiche_id": n.fiche.pk,
        "besoins": (Item.DIAGNOSTIC, Item.ANIMER),
        "contexte": "Le Morvan manque de lieux de médiation.",
        "description": "<p>Un bus <strong>itinérant</strong></p><script>alert(1)</script>",
        "budget_global": Decimal("30000"),
        "subvention_demandee": Decimal("12000"),
        "montant_rh": Decimal("8000"),
        "montant_prestations": Decimal("4000"),
        "beneficiaires": ((n.departement_cd.pk, Decimal("8000")), (n.association.pk, Decimal("4000"))),
    }
    values.update(overrides)
    return services.DemandeInput(**values)


def _save(n, user, demande=None, version=0, budget=True, **overrides):
    return services.demande_save(
        gouvernance=n.gouvernance,
        demande=demande,
        version=version,
        data=_input(n, **overrides),
        budget_fichier=budget_pdf() if budget else None,
        user=user,
    )


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


def test_a_valid_demande_is_stored_with_its_besoins_and_beneficiaires(n, prefecture_58):
    saved = _save(n, prefecture_58)
    saved.refresh_from_db()
    assert saved.statut == StatutDemande.BROUILLON
    assert saved.fiche_action == n.fiche
    assert saved.feuille_de_route == n.feuille
    assert saved.subvention_demandee == Decimal("12000.00")
    assert sorted(b.item for b in saved.besoins.all()) == sorted([Item.DIAGNOSTIC, Item.ANIMER])
    assert {(b.membre_id, b.montant) for b in saved.beneficiaires.all()} == {
        (n.departement_cd.pk, Decimal("8000.00")),
        (n.association.pk, Decimal("4000.00")),
    }
    # The description is sanitised (the project's nh3 sanitiser); the budget is stored privately.
    assert saved.description == "<p>Un bus <strong>itinérant</strong></p>"
    assert saved.budget_fichier.name.startswith(f"subventions/{n.gouvernance.pk}/budgets/")
    assert saved.version == 1
    assert saved.modifie_par == prefecture_58
    assert saved.history.first().history_user == prefecture_58


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"budget_global": Decimal("0")}, "budget_global", "Le budget global doit être supérieur à 0 €."),
        ({"budget_global": None}, "budget_global", "Indiquez le budget global de l'action."),
        (
            {"subvention_demandee": Decimal("0")},
            "subvention_demandee",
            "La subvention demandée doit être supérieure à 0 €.",
        ),
        (
            {"budget_global": Decimal("10000")},
            "subvention_demandee",
            "La subvention demandée (12\u202f000\u202f€) ne peut pas dépasser le budget global (10\u202f000\u202f€).",
        ),
        (
            {"montant_prestations": Decimal("3000.50")},
            "montant_prestations",
            "Ressources humaines et prestations (8\u202f000\u202f€ + 3\u202f000,50\u202f€ = 11\u202f000,50\u202f€) doivent faire la subvention demandée (12\u202f000\u202f€).",
        ),
        ({"montant_rh": Decimal("-1")}, "montant_rh", "Ce montant ne peut pas être négatif."),
        ({"besoins": ()}, "besoins", "Indiquez au moins un besoin en ingénierie auquel répond la demande."),
        ({"besoins": ("inconnu",)}, "besoins", "Un des besoins envoyés n'existe pas."),
        ({"contexte": "  "}, "contexte", "Décrivez le contexte de la demande."),
        (
            {"contexte": "x" * 3001},
            "contexte",
            "Le contexte compte au plus 3 000 caractères (le vôtre en compte 3001).",
        ),
        ({"description": "<p><br></p>"}, "description", "Décrivez l'action financée."),
        (
            {"beneficiaires": ()},
            "beneficiaires",
            "Choisissez au moins un bénéficiaire parmi les membres de la gouvernance.",
        ),
        (
            {"beneficiaires": ((999_999, Decimal("12000")),)},
            "beneficiaires",
            "Un des bénéficiaires choisis n'est pas membre de la gouvernance.",
        ),
        (
            {"fiche_id": None},
            "fiche_action",
            "Choisissez une action de la feuille de route, ou créez-en une nouvelle.",
        ),
    ],
)
def test_each_rule_is_refused_on_its_field_and_nothing_is_written(
    n, prefecture_58, overrides, field, message
):
    with pytest.raises(ValidationError) as excinfo:
        _save(n, prefecture_58, **overrides)
    assert message in _errors(excinfo)[field]
    assert not Demande.objects.exists()


def test_beneficiaires_must_sum_to_the_subvention(n, prefecture_58):
    with pytest.raises(ValidationError) as excinfo:
        _save(
            n,
            prefecture_58,
            beneficiaires=((n.departement_cd.pk, Decimal("8000")), (n.association.pk, Decimal("3999.99"))),
        )
    assert _errors(excinfo)["beneficiaires"] == [
        "Les montants des bénéficiaires font 11\u202f999,99\u202f€ : ils doivent faire la subvention demandée (12\u202f000\u202f€)."
    ]


def test_a_member_of_another_gouvernance_is_no_beneficiaire(n, prefecture_58):
    from territoires.models import Departement
    from tests.feuilles_de_route.factories import GouvernanceFactory, MembreFactory

    autre = MembreFactory(gouvernance=GouvernanceFactory(departement=Departement.objects.get(code="21")))
    with pytest.raises(ValidationError) as excinfo:
        _save(n, prefecture_58, beneficiaires=((autre.pk, Decimal("12000")),))
    assert "n'est pas membre de la gouvernance" in _errors(excinfo)["beneficiaires"][0]


def test_a_fiche_of_another_feuille_de_route_is_refused(n, prefecture_58):
    from tests.feuilles_de_route.factories import FicheActionFactory

    ailleurs = FicheActionFactory()
    with pytest.raises(ValidationError) as excinfo:
        _save(n, prefecture_58, fiche_id=ailleurs.pk)
    assert _errors(excinfo)["fiche_action"] == [
        "Cette action n'appartient pas à la feuille de route choisie."
    ]


def test_the_budget_previsionnel_is_required_and_checked_by_content(n, prefecture_58):
    with pytest.raises(ValidationError) as excinfo:
        _save(n, prefecture_58, budget=False)
    assert _errors(excinfo)["budget_fichier"] == [
        "Joignez le budget prévisionnel de l'action (PDF, JPEG ou PNG)."
    ]
    fake = SimpleUploadedFile("budget.pdf", b"MZ not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError) as excinfo:
        services.demande_save(
            gouvernance=n.gouvernance,
            demande=None,
            version=0,
            data=_input(n),
            budget_fichier=fake,
            user=prefecture_58,
        )
    assert _errors(excinfo)["budget_fichier"] == [
        "Le budget prévisionnel doit être un fichier PDF, JPEG ou PNG."
    ]


def test_png_and_jpeg_budgets_are_accepted_and_broken_images_refused():
    import io

    from PIL import Image

    for fmt, name in (("PNG", "b.png"), ("JPEG", "b.jpg")):
        buffer = io.BytesIO()
        Image.new("RGB", (4, 4), "white").save(buffer, format=fmt)
        assert services.check_budget_file(SimpleUploadedFile(name, buffer.getvalue())) == ""
    broken = SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    assert "illisible" in services.check_budget_file(broken)
    truncated = SimpleUploadedFile("b.pdf", b"%PDF-1.4\n1 0 obj")
    assert "incomplet" in services.check_budget_file(truncated)


def test_a_budget_over_40_mo_is_refused():
    class Big:
        size = 40 * 1024 * 1024 + 1

    assert services.check_budget_file(Big()) == (
        "Le fichier dépasse 40 Mo : déposez une version plus légère du budget prévisionnel."
    )


def test_the_dotation_restante_caps_the_demandes_and_names_what_is_left(n, prefecture_58):
    demande(n, subvention="30000", budget="60000", rh="0")
    demande(n, subvention="9000", budget="9000", rh="0", statut=StatutDemande.REJETEE)  # does not count
    assert services.restante(n.dotation) == Decimal("20000")
    with pytest.raises(ValidationError) as excinfo:
        _save(
            n,
            prefecture_58,
            budget_global=Decimal("40000"),
            subvention_demandee=Decimal("20000.50"),
            montant_rh=Decimal("0"),
            montant_prestations=Decimal("20000.50"),
            beneficiaires=((n.departement_cd.pk, Decimal("20000.50")),),
        )
    assert _errors(excinfo)["subvention_demandee"] == [
        "La subvention demandée (20\u202f000,50\u202f€) dépasse la dotation restante : il reste 20\u202f000\u202f€ "
        "sur la dotation « Fonds d'ingénierie » 2024 du département."
    ]


def test_the_dotation_restante_is_never_negative(n):
    demande(n, subvention="30000", budget="60000", rh="0")
    n.dotation.montant = Decimal("10000")
    n.dotation.save()
    assert services.restante(n.dotation) == Decimal("0")


def test_an_edit_does_not_count_its_own_amount_twice(n, prefecture_58):
    saved = _save(
        n,
        prefecture_58,
        budget_global=Decimal("60000"),
        subvention_demandee=Decimal("50000"),
        montant_rh=Decimal("0"),
        montant_prestations=Decimal("50000"),
        beneficiaires=((n.departement_cd.pk, Decimal("50000")),),
    )
    again = _save(
        n,
        prefecture_58,
        demande=saved,
        version=saved.version,
        budget=False,
        budget_global=Decimal("60000"),
        subvention_demandee=Decimal("49000"),
        montant_rh=Decimal("0"),
        montant_prestations=Decimal("49000"),
        beneficiaires=((n.departement_cd.pk, Decimal("49000")),),
    )
    assert again.subvention_demandee == Decimal("49000")
    assert again.budget_fichier


def test_no_dotation_no_demande(n, prefecture_58):
    n.dotation.delete()
    with pytest.raises(ValidationError) as excinfo:
        _save(n, prefecture_58)
    assert (
        "Aucune dotation du fonds d'ingénierie n'est attribuée à ce département (Nièvre)"
        in excinfo.value.messages[0]
    )


def test_a_new_action_becomes_a_fiche_action_of_the_current_document(n, prefecture_58):
    saved = _save(
        n,
        prefecture_58,
        fiche_id=None,
        nouvelle_action=services.NouvelleAction(axe_id=n.axe.pk, nom="Bus numérique"),
    )
    fiche = FicheAction.objects.get(nom="Bus numérique")
    assert fiche.axe == n.axe
    assert saved.fiche_action == fiche


def test_a_new_action_needs_a_name_an_axe_and_a_document_in_redaction(n, prefecture_58):
    with pytest.raises(ValidationError) as excinfo:
        _save(n, prefecture_58, fiche_id=None, nouvelle_action=services.NouvelleAction(axe_id=None, nom=""))
    assert _errors(excinfo)["nouvelle_action_nom"] == ["Nommez la nouvelle action."]
    assert _errors(excinfo)["nouvelle_action_axe"] == [
        "Choisissez l'axe prioritaire auquel rattacher la nouvelle action."
    ]
    n.document.statut = "approuvee"
    n.document.approuvee_le = n.document.created_at.date()
    n.document.save()
    with pytest.raises(ValidationError) as excinfo:
        _save(
            n,
            prefecture_58,
            fiche_id=None,
            nouvelle_action=services.NouvelleAction(axe_id=n.axe.pk, nom="Bus"),
        )
    assert "est approuvée" in _errors(excinfo)["nouvelle_action_axe"][0]
    assert not FicheAction.objects.filter(nom="Bus").exists()


def test_read_only_roles_cannot_write(n, region_bfc, demo_user):
    for user in (region_bfc, demo_user):
        with pytest.raises(PermissionDenied):
            _save(n, user)


def test_a_stale_save_is_refused_by_the_shared_mechanism(n, prefecture_58, admin_user):
    saved = _save(n, prefecture_58)
    _save(n, admin_user, demande=saved, version=saved.version, budget=False, contexte="Modifié par l'ANCT.")
    with pytest.raises(StaleVersion) as excinfo:
        _save(n, prefecture_58, demande=saved, version=1, budget=False, contexte="Ma version.")
    assert "a enregistré la demande « Médiation numérique itinérante »" in excinfo.value.message
    saved.refresh_from_db()
    assert saved.contexte == "Modifié par l'ANCT."


def test_the_note_de_contexte_needs_100_characters_of_text(n, prefecture_58):
    with pytest.raises(ValidationError) as excinfo:
        services.note_save(
            gouvernance=n.gouvernance,
            version=0,
            texte="<p><strong>" + "a" * 99 + "</strong></p>",
            user=prefecture_58,
        )
    assert _errors(excinfo)["texte"] == [
        "La note de contexte des subventions compte au moins 100 caractères de texte (mise en forme non comprise) ; la vôtre en compte 99."
    ]
    saved = services.note_save(
        gouvernance=n.gouvernance,
        version=0,
        texte="<p>" + "a" * 100 + "</p><script>x</script>",
        user=prefecture_58,
    )
    assert saved.texte == "<p>" + "a" * 100 + "</p>"
    assert saved.version == 1
    with pytest.raises(StaleVersion):
        services.note_save(
            gouvernance=n.gouvernance, version=0, texte="<p>" + "b" * 120 + "</p>", user=prefecture_58
        )
    assert NoteSubventions.objects.get().texte == "<p>" + "a" * 100 + "</p>"


def test_validation_needs_the_note_then_makes_the_demande_read_only(n, prefecture_58):
    saved = _save(n, prefecture_58)
    with pytest.raises(ValidationError) as excinfo:
        services.demande_validate(demande=saved, version=saved.version, user=prefecture_58)
    assert "note de contexte des subventions" in excinfo.value.messages[0]
    note(n.gouvernance)
    validated = services.demande_validate(demande=saved, version=saved.version, user=prefecture_58)
    assert validated.statut == StatutDemande.VALIDEE
    assert validated.validee_par == prefecture_58
    assert validated.validee_le is not None
    with pytest.raises(ValidationError) as excinfo:
        _save(n, prefecture_58, demande=validated, version=validated.version, budget=False)
    assert excinfo.value.messages == [
        "Cette demande est validée et envoyée : elle ne peut plus être modifiée."
    ]
    with pytest.raises(ValidationError):
        services.demande_delete(demande=validated, user=prefecture_58)


def test_anct_accepts_asks_for_a_change_or_rejects(n, admin_user, prefecture_58):
    a = demande(n, statut=StatutDemande.VALIDEE)
    accepted = services.demande_instruct(
        demande=a, decision=Instruction.ACCEPTATION, commentaire="", user=admin_user
    )
    assert accepted.statut == StatutDemande.ACCEPTEE
    assert accepted.instruite_par == admin_user
    with pytest.raises(ValidationError):
        services.demande_instruct(
            demande=accepted, decision=Instruction.REJET, commentaire="Non.", user=admin_user
        )

    b = demande(n, fiche=n.fiche_2, statut=StatutDemande.VALIDEE)
    with pytest.raises(ValidationError) as excinfo:
        services.demande_instruct(
            demande=b, decision=Instruction.MODIFICATION, commentaire=" ", user=admin_user
        )
    assert _errors(excinfo)["commentaire"] == ["Dites à la préfecture ce qu'il faut modifier."]
    with pytest.raises(ValidationError) as excinfo:
        services.demande_instruct(demande=b, decision=Instruction.REJET, commentaire="", user=admin_user)
    assert _errors(excinfo)["commentaire"] == ["Indiquez le motif du rejet."]
    rejected = services.demande_instruct(
        demande=b, decision=Instruction.REJET, commentaire="Hors champ.", user=admin_user
    )
    assert rejected.statut == StatutDemande.REJETEE
    assert rejected.instruction_commentaire == "Hors champ."
    assert rejected.statut_affiche == "Rejetée"


def test_asking_for_a_change_sends_it_back_to_brouillon_and_emails_the_prefecture(
    n, admin_user, prefecture_58, django_capture_on_commit_callbacks
):
    a = demande(n, statut=StatutDemande.VALIDEE)
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.demande_instruct(
            demande=a, decision=Instruction.MODIFICATION, commentaire="Joignez le devis.", user=admin_user
        )
    assert changed.statut == StatutDemande.BROUILLON
    assert changed.modification_demandee
    assert changed.statut_affiche == "Modification demandée"
    assert changed.badge == "fr-badge--warning"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [prefecture_58.email]
    assert "Joignez le devis." in message.body
    assert f"/departements/58/subventions/demandes/{a.pk}/" in message.body
    # Back in brouillon, the préfecture edits it again.
    note(n.gouvernance)
    services.demande_validate(demande=changed, version=changed.version, user=prefecture_58)


def test_only_administrators_instruct(n, demo_user, prefecture_58):
    a = demande(n, statut=StatutDemande.VALIDEE)
    for user in (demo_user, prefecture_58):
        with pytest.raises(PermissionDenied):
            services.demande_instruct(demande=a, decision=Instruction.ACCEPTATION, commentaire="", user=user)


def test_the_formation_fund_gives_its_fixed_amount_to_one_member(n, prefecture_58):
    saved = services.formation_save(
        gouvernance=n.gouvernance, demande=None, version=0, membre_id=n.association.pk, user=prefecture_58
    )
    assert saved.fonds == Fonds.FORMATION
    assert saved.subvention_demandee == Decimal("20000")
    assert [(b.membre, b.montant) for b in saved.beneficiaires.all()] == [
        (n.association, Decimal("20000.00"))
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.formation_save(
            gouvernance=n.gouvernance,
            demande=None,
            version=0,
            membre_id=n.departement_cd.pk,
            user=prefecture_58,
        )
    assert "existe déjà" in excinfo.value.messages[0]
    changed = services.formation_save(
        gouvernance=n.gouvernance,
        demande=saved,
        version=saved.version,
        membre_id=n.departement_cd.pk,
        user=prefecture_58,
    )
    assert [b.membre for b in changed.beneficiaires.all()] == [n.departement_cd]
    with pytest.raises(ValidationError) as excinfo:
        services.formation_save(
            gouvernance=n.gouvernance,
            demande=changed,
            version=changed.version,
            membre_id=None,
            user=prefecture_58,
        )
    assert _errors(excinfo)["membre"] == [
        "Choisissez le membre de la gouvernance bénéficiaire du fonds de formation."
    ]


def test_a_rejected_formation_demande_frees_the_fund(n, prefecture_58):
    formation(n, statut=StatutDemande.REJETEE, instruction=Instruction.REJET)
    again = services.formation_save(
        gouvernance=n.gouvernance, demande=None, version=0, membre_id=n.association.pk, user=prefecture_58
    )
    assert again.statut == StatutDemande.BROUILLON


def test_a_fiche_action_with_a_demande_cannot_be_deleted(n, prefecture_58):
    from feuilles_de_route import services as feuilles_services

    demande(n)
    with pytest.raises(ValidationError) as excinfo:
        feuilles_services.fiche_delete(fiche=n.fiche, user=prefecture_58)
    assert excinfo.value.messages == [
        "Cette fiche action fait l'objet d'une demande de subvention : elle ne peut pas être supprimée. Modifiez plutôt son contenu."
    ]
    with pytest.raises(ValidationError):
        feuilles_services.axe_delete(axe=n.axe, user=prefecture_58)
    assert FicheAction.objects.filter(pk=n.fiche.pk).exists()


def test_deleting_a_brouillon(n, prefecture_58):
    a = demande(n)
    services.demande_delete(demande=a, user=prefecture_58)
    assert not Demande.objects.filter(pk=a.pk).exists()
