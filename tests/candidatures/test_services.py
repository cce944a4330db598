import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from candidatures import services, tasks
from candidatures.enums import EtapePorter, Intention, Persona, Statut, TypeContact
from candidatures.models import ManifestationInteret
from candidatures.selectors import compteurs_for_departement
from candidatures.services import ContactData, StructureData
from core.versioning import StaleVersion
from territoires.models import Commune, Departement, Epci, Region

from .factories import (
    AutreStructureFactory,
    ContactFactory,
    ManifestationFactory,
    PerimetreFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CONTACT = ContactData(
    nom="Martin", prenom="Claire", fonction="Maire adjointe", email="claire.martin@nevers.example"
)
TECHNIQUE = ContactData(nom="Durand", prenom="Paul", fonction="DSI", email="paul.durand@nevers.example")


@pytest.fixture
def nievre():
    return Departement.objects.get(code="58")


@pytest.fixture
def nevers():
    return Commune.objects.get(code="58194")


def _participer_commune(user, nevers, nievre):
    manifestation = services.manifestation_create(
        user=user, persona=Persona.COMMUNE, intention=Intention.PARTICIPER
    )
    return services.participer_save(
        manifestation=manifestation,
        user=user,
        version=manifestation.version,
        departement=nievre,
        collectivite=nevers,
        contact_politique=CONTACT,
        contact_technique=TECHNIQUE,
    )


# --- Creation -------------------------------------------------------------------------------


def test_create_draft():
    user = UserFactory()
    manifestation = services.manifestation_create(user=user, persona=Persona.EPCI, intention=Intention.PORTER)
    assert manifestation.statut == Statut.BROUILLON
    assert manifestation.type_collectivite == "epci"
    assert manifestation.etape == EtapePorter.INFORMATIONS


@pytest.mark.parametrize("persona", [Persona.COMMUNE, Persona.STRUCTURE])
def test_commune_or_structure_cannot_porter(persona):
    with pytest.raises(ValidationError) as exc:
        services.manifestation_create(user=UserFactory(), persona=persona, intention=Intention.PORTER)
    assert "peuvent porter" in str(exc.value)


def test_second_active_form_refused():
    user = UserFactory()
    services.manifestation_create(user=user, persona=Persona.COMMUNE, intention=Intention.PARTICIPER)
    with pytest.raises(ValidationError, match="déjà un formulaire"):
        services.manifestation_create(user=user, persona=Persona.STRUCTURE, intention=Intention.PARTICIPER)


def test_database_holds_one_active_form_per_user():
    manifestation = ManifestationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ManifestationFactory(user=manifestation.user)


def test_restart_deletes_the_draft_and_allows_another_persona():
    user = UserFactory()
    draft = services.manifestation_create(user=user, persona=Persona.COMMUNE, intention=Intention.PARTICIPER)
    services.manifestation_restart(manifestation=draft, user=user)
    assert not ManifestationInteret.objects.filter(pk=draft.pk).exists()
    services.manifestation_create(user=user, persona=Persona.STRUCTURE, intention=Intention.PARTICIPER)


# --- Participer -----------------------------------------------------------------------------


def test_participer_commune_saves_collectivite_and_contacts(nevers, nievre):
    user = UserFactory()
    manifestation = _participer_commune(user, nevers, nievre)
    assert manifestation.commune == nevers
    assert manifestation.version == 2
    types = sorted(manifestation.contacts.values_list("type", flat=True))
    assert types == [TypeContact.POLITIQUE, TypeContact.TECHNIQUE]


def test_participer_commune_outside_departement_refused(nevers):
    user = UserFactory()
    manifestation = services.manifestation_create(
        user=user, persona=Persona.COMMUNE, intention=Intention.PARTICIPER
    )
    with pytest.raises(ValidationError) as exc:
        services.participer_save(
            manifestation=manifestation,
            user=user,
            version=1,
            departement=Departement.objects.get(code="21"),
            collectivite=nevers,
            contact_politique=CONTACT,
        )
    assert "collectivite" in exc.value.error_dict


def test_participer_requires_contact_politique(nevers, nievre):
    user = UserFactory()
    manifestation = services.manifestation_create(
        user=user, persona=Persona.COMMUNE, intention=Intention.PARTICIPER
    )
    with pytest.raises(ValidationError) as exc:
        services.participer_save(
            manifestation=manifestation, user=user, version=1, departement=nievre, collectivite=nevers
        )
    assert "contact_politique" in exc.value.error_dict


def test_participer_wrong_type_of_collectivite_refused(nievre):
    user = UserFactory()
    manifestation = services.manifestation_create(
        user=user, persona=Persona.COMMUNE, intention=Intention.PARTICIPER
    )
    with pytest.raises(ValidationError, match="Commune"):
        services.participer_save(
            manifestation=manifestation,
            user=user,
            version=1,
            departement=nievre,
            collectivite=nievre,
            contact_politique=CONTACT,
        )


def test_participer_structure_with_la_poste_siret(nievre):
    user = UserFactory()
    manifestation = services.manifestation_create(
        user=user, persona=Persona.STRUCTURE, intention=Intention.PARTICIPER
    )
    manifestation = services.participer_save(
        manifestation=manifestation,
        user=user,
        version=1,
        departement=nievre,
        structure_nom="La Poste — bureau de Nevers",
        structure_siret="356 000 000 49837",
        contact_structure=CONTACT,
    )
    assert manifestation.structure_siret == "35600000049837"
    assert manifestation.contacts.get().type == TypeContact.STRUCTURE


def test_structure_type_is_asked_and_a_missing_one_keeps_the_stored_answer(nievre):
    user = UserFactory()
    manifestation = services.manifestation_create(
        user=user, persona=Persona.STRUCTURE, intention=Intention.PARTICIPER
    )
    common = {
        "user": user,
        "departement": nievre,
        "structure_nom": "Emmaüs Connect",
        "structure_sans_siret": True,
        "contact_structure": CONTACT,
    }
    with pytest.raises(ValidationError) as exc:
        services.participer_save(manifestation=manifestation, version=1, structure_type="club", **common)
    assert exc.value.message_dict["structure_type"] == ["Choisissez le type de la structure."]
    assert services.missing_for_confirmation(manifestation) == [
        "les informations de la structure",
        "le type de la structure",
        "le contact de la structure",
    ]
    manifestation = services.participer_save(
        manifestation=manifestation, version=1, structure_type="association", **common
    )
    manifestation = services.participer_save(
        manifestation=manifestation, version=manifestation.version, **common
    )
    manifestation.refresh_from_db()
    assert manifestation.structure_type == "association"
    assert services.missing_for_confirmation(manifestation) == []


def test_participer_structure_invalid_siret(nievre):
    user = UserFactory()
    manifestation = services.manifestation_create(
        user=user, persona=Persona.STRUCTURE, intention=Intention.PARTICIPER
    )
    with pytest.raises(ValidationError) as exc:
        services.participer_save(
            manifestation=manifestation,
            user=user,
            version=1,
            departement=nievre,
            structure_nom="Association",
            structure_siret="73282932000075",
            contact_structure=CONTACT,
        )
    assert "structure_siret" in exc.value.error_dict


def test_stale_version_is_refused_and_nothing_overwritten(nevers, nievre):
    user = UserFactory()
    manifestation = _participer_commune(user, nevers, nievre)  # version is now 2
    other = ContactData(nom="Autre", prenom="Personne", fonction="Maire", email="autre@nevers.example")
    with pytest.raises(StaleVersion) as exc:
        services.participer_save(
            manifestation=manifestation,
            user=user,
            version=1,
            departement=nievre,
            collectivite=nevers,
            contact_politique=other,
        )
    assert exc.value.message.startswith(f"{user.display_name} a enregistré ce formulaire le ")
    assert manifestation.contacts.get(type=TypeContact.POLITIQUE).nom == "Martin"
    assert ManifestationInteret.objects.get(pk=manifestation.pk).version == 2


def test_another_user_cannot_write_the_form(nevers, nievre):
    manifestation = ManifestationFactory()
    with pytest.raises(ValidationError):
        services.participer_save(
            manifestation=manifestation,
            user=UserFactory(),
            version=1,
            departement=nievre,
            collectivite=nevers,
            contact_politique=CONTACT,
        )


# --- Porter ---------------------------------------------------------------------------------


def _porter_epci_until_recap(user):
    epci = Epci.objects.get(code=Commune.objects.get(code="58194").epci_id)
    m = services.manifestation_create(user=user, persona=Persona.EPCI, intention=Intention.PORTER)
    m = services.porter_informations_save(
        manifestation=m,
        user=user,
        version=m.version,
        collectivite=epci,
        contact_politique=CONTACT,
        dispositifs_existants="CRTE du Nevers Sud Nivernais",
    )
    assert m.etape == EtapePorter.PERIMETRE
    _, communes = services.territoire_of(m)
    assert len(communes) > 5
    outside = Commune.objects.get(code="21231")  # Dijon, hors territoire
    m = services.porter_perimetre_save(
        manifestation=m, user=user, version=m.version, collectivites=[*communes[:3], outside, epci]
    )
    rows = list(m.perimetre.all())
    assert len(rows) == 4  # the porteur itself is not part of its own périmètre
    assert [r.hors_territoire for r in rows].count(True) == 1
    m = services.porter_contacts_save(
        manifestation=m,
        user=user,
        version=m.version,
        contacts={rows[0].pk: TECHNIQUE},
        plus_tard=True,
    )
    m = services.porter_structures_save(
        manifestation=m,
        user=user,
        version=m.version,
        structures=[StructureData(nom="Emmaüs Connect", contact=TECHNIQUE)],
    )
    assert m.etape == EtapePorter.RECAPITULATIF
    return m


def test_porter_steps_each_saved_as_draft():
    user = UserFactory()
    m = _porter_epci_until_recap(user)
    assert m.statut == Statut.BROUILLON
    assert m.contacts.count() == 3  # politique, one périmètre contact, one structure contact
    assert services.missing_for_confirmation(m) == []


def test_porter_contacts_required_unless_plus_tard():
    user = UserFactory()
    epci = Epci.objects.get(code=Commune.objects.get(code="58194").epci_id)
    m = services.manifestation_create(user=user, persona=Persona.EPCI, intention=Intention.PORTER)
    m = services.porter_informations_save(
        manifestation=m, user=user, version=m.version, collectivite=epci, contact_politique=CONTACT
    )
    _, communes = services.territoire_of(m)
    m = services.porter_perimetre_save(
        manifestation=m, user=user, version=m.version, collectivites=communes[:2]
    )
    with pytest.raises(ValidationError, match="chaque collectivité"):
        services.porter_contacts_save(manifestation=m, user=user, version=m.version, contacts={})


def test_confirm_incomplete_porter_refused():
    user = UserFactory()
    m = services.manifestation_create(user=user, persona=Persona.EPCI, intention=Intention.PORTER)
    with pytest.raises(ValidationError, match="Il manque"):
        services.manifestation_confirm(manifestation=m, user=user)


# --- Confirmation, e-mails, cancellation ----------------------------------------------------


def test_confirm_is_idempotent_and_mails_once(
    nevers, nievre, prefecture_58, django_capture_on_commit_callbacks
):
    user = UserFactory(email="mairie@nevers.example")
    m = _participer_commune(user, nevers, nievre)
    with django_capture_on_commit_callbacks(execute=True):
        services.manifestation_confirm(manifestation=m, user=user)
    with django_capture_on_commit_callbacks(execute=True):
        services.manifestation_confirm(manifestation=m, user=user)
    m.refresh_from_db()
    assert m.statut == Statut.CONFIRMEE
    assert m.accuse_envoye_le is not None
    assert m.prefecture_notifiee_le is not None
    assert ManifestationInteret.objects.filter(user=user).count() == 1
    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert recipients == [("agent@nievre.test",), ("mairie@nevers.example",)]
    summary = next(message for message in mail.outbox if message.to == ["mairie@nevers.example"])
    assert "Nevers" in summary.body
    assert "Claire Martin" in summary.body


def test_confirmed_form_is_read_only(nevers, nievre):
    user = UserFactory()
    m = _participer_commune(user, nevers, nievre)
    services.manifestation_confirm(manifestation=m, user=user)
    with pytest.raises(ValidationError, match="confirmé"):
        services.participer_save(
            manifestation=m,
            user=user,
            version=m.version + 1,
            departement=nievre,
            collectivite=nevers,
            contact_politique=CONTACT,
        )


def test_failing_mail_server_keeps_the_submission(
    nevers, nievre, prefecture_58, monkeypatch, django_capture_on_commit_callbacks
):
    attempts = []

    def broken_send_mail(**kwargs):
        attempts.append(kwargs["recipient_list"])
        raise smtplib.SMTPServerDisconnected("serveur injoignable")

    monkeypatch.setattr("candidatures.notifications.send_mail", broken_send_mail)
    user = UserFactory()
    m = _participer_commune(user, nevers, nievre)
    with django_capture_on_commit_callbacks(execute=True):
        services.manifestation_confirm(manifestation=m, user=user)
    m.refresh_from_db()
    assert m.statut == Statut.CONFIRMEE
    assert m.accuse_envoye_le is None
    assert len(attempts) == 2  # one attempt per e-mail task, both failed

    # Each task asks Celery for a retry (with backoff) on an SMTP error…
    with pytest.raises(Retry):
        tasks.send_accuse_reception.apply(args=(m.pk,))
    # …and, once the server answers again, the retried task sends the summary exactly once.
    monkeypatch.undo()
    assert tasks.send_accuse_reception.apply(args=(m.pk,)).get() is True
    assert tasks.send_accuse_reception.apply(args=(m.pk,)).get() is False
    assert [message.to for message in mail.outbox] == [[user.email]]


def test_cancel_confirmed_form_removes_it_from_counters(nevers, nievre, prefecture_58):
    user = UserFactory()
    m = _participer_commune(user, nevers, nievre)
    services.manifestation_confirm(manifestation=m, user=user)
    assert compteurs_for_departement(user=prefecture_58, departement=nievre).participants_collectivites == 1
    services.manifestation_cancel(manifestation=m, user=user)
    m.refresh_from_db()
    assert m.statut == Statut.ANNULEE
    assert compteurs_for_departement(user=prefecture_58, departement=nievre).participants_collectivites == 0
    # and the user may start again
    services.manifestation_create(user=user, persona=Persona.COMMUNE, intention=Intention.PARTICIPER)


# --- Counters and visibility ----------------------------------------------------------------


def test_counters(nievre, prefecture_58):
    porteur = ManifestationFactory(porteur_departement=True, confirmee=True)
    PerimetreFactory(manifestation=porteur)  # Nevers
    PerimetreFactory(
        manifestation=porteur, commune=Commune.objects.filter(departement="58").exclude(code="58194").first()
    )
    PerimetreFactory(manifestation=porteur, commune=Commune.objects.get(code="21231"))  # Dijon: not Nièvre's
    AutreStructureFactory(manifestation=porteur)
    # A second porteur naming Nevers again: counted once.
    other = ManifestationFactory(porteur_epci=True, confirmee=True)
    PerimetreFactory(manifestation=other)
    ManifestationFactory(confirmee=True)  # Nevers participe
    ManifestationFactory(structure=True, confirmee=True)
    ManifestationFactory(structure=True)  # draft: not counted
    ManifestationFactory(structure=True, annulee=True)  # cancelled: not counted

    compteurs = compteurs_for_departement(user=prefecture_58, departement=nievre)
    assert compteurs.porteurs_collectivites == 2
    assert compteurs.partenaires_collectivites == 2
    assert compteurs.partenaires_structures == 1
    assert compteurs.participants_collectivites == 1
    assert compteurs.participants_structures == 1


def test_conseil_regional_seen_by_every_departement_of_its_region(prefecture_58, prefecture_21):
    ManifestationFactory(conseil_regional=True, confirmee=True)
    for user in (prefecture_58, prefecture_21):
        compteurs = compteurs_for_departement(user=user, departement=user.departement)
        assert compteurs.participants_collectivites == 1
    assert Region.objects.get(code="27").departements.filter(code__in=["58", "21"]).count() == 2


def test_epci_straddling_seen_by_both_departements(users):
    from comptes.enums import Role
    from tests.conftest import make_user

    epci = next(
        e
        for e in Epci.objects.prefetch_related("departements")
        if {"03", "58"} <= {d.code for d in e.departements.all()}
    )
    ManifestationFactory(porteur_epci=True, epci=epci, confirmee=True)
    allier = make_user("agent@allier.test", Role.PREFECTURE, departement="03")
    for user in (users["prefecture"], allier):
        assert compteurs_for_departement(user=user, departement=user.departement).porteurs_collectivites == 1


def test_counters_empty_for_outsider(nievre, prefecture_21):
    ManifestationFactory(confirmee=True)
    assert compteurs_for_departement(user=prefecture_21, departement=nievre).total == 0


def test_contact_factory_smoke():
    contact = ContactFactory()
    assert "@nevers.example" in contact.email
