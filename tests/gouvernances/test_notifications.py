"""What the collectivités and structures of a gouvernance hear: an e-mail once the préfecture has
sent the gouvernance with them as members (and when one becomes co-porteur), never twice, through
a Celery task with the shared retry policy; and « Mon espace » lists their gouvernances."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from candidatures.enums import Intention, Persona, Statut
from candidatures.models import ManifestationInteret
from core.tasks import RETRY_POLICY, TRANSIENT_ERRORS
from gouvernances import notifications, services, tasks
from gouvernances.enums import Section, StatutGouvernance
from gouvernances.models import Membre
from territoires.models import Departement

from .helpers import NEVERS
from .test_services import gouvernance_input, membre

pytestmark = pytest.mark.django_db
PREFIX = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX


@pytest.fixture
def manifestation(structure_user):
    return ManifestationInteret.objects.create(
        user=structure_user,
        persona=Persona.STRUCTURE,
        intention=Intention.PARTICIPER,
        statut=Statut.CONFIRMEE,
        confirmee_le=timezone.now(),
        structure_nom="Emmaüs Connect Nièvre",
        structure_siret="73282932000074",
        structure_departement=Departement.objects.get(code="58"),
    )


@pytest.fixture
def brouillon(prefecture_58, manifestation, django_capture_on_commit_callbacks):
    """The Nièvre's draft: the Département (co-porteur), Nevers agglomération and the structure
    that filed a manifestation d'intérêt."""
    data = gouvernance_input(
        membres=[*gouvernance_input().membres, membre(f"candidature:{manifestation.pk}")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        return services.gouvernance_create(
            departement=Departement.objects.get(code="58"), user=prefecture_58, data=data
        )


def remonter(gouvernance, user, capture):
    with capture(execute=True):
        services.gouvernance_submit(gouvernance=gouvernance, user=user, statut=StatutGouvernance.PRESSENTIE)


def test_a_draft_tells_nobody_the_sent_gouvernance_tells_each_member_once(
    brouillon, prefecture_58, django_capture_on_commit_callbacks
):
    assert mail.outbox == []  # a draft's composition may still change
    assert not Membre.objects.filter(avis_membre_envoye_le__isnull=False).exists()

    remonter(brouillon, prefecture_58, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    by_subject = {m.subject: m for m in mail.outbox}
    coporteur = by_subject[PREFIX + "Votre structure est co-porteuse de la gouvernance de la Nièvre"]
    assert (
        "La préfecture de la Nièvre a inscrit « Conseil départemental de la Nièvre » parmi les membres"
        in (coporteur.body)
    )
    assert "co-porteur de cette gouvernance" in coporteur.body
    assert coporteur.to == ["r1@example.org", "r2@example.org"]
    structure = next(m for m in mail.outbox if "secretariat@mairie.test" in m.to)
    assert structure.subject == PREFIX + "Votre structure est membre de la gouvernance de la Nièvre"
    assert "« Emmaüs Connect Nièvre »" in structure.body
    assert "/departements/58/gouvernance/publique/" in structure.body
    assert Membre.objects.filter(avis_membre_envoye_le__isnull=True).count() == 0

    # The task again (a retry, another save): nobody hears it twice.
    assert tasks.notify_new_members.delay(brouillon.pk).get() == 0
    assert len(mail.outbox) == 3


def test_a_member_added_later_then_made_co_porteur(
    brouillon, prefecture_58, django_capture_on_commit_callbacks
):
    remonter(brouillon, prefecture_58, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    existing = [membre(id=m.pk) for m in brouillon.membres.order_by("id")]
    with django_capture_on_commit_callbacks(execute=True):
        services.section_save(
            gouvernance=brouillon,
            user=prefecture_58,
            section=Section.MEMBRES,
            version=1,
            data=[*existing, membre(structure_nom="La Poste", structure_siret="35600000000048")],
        )
    assert [m.subject for m in mail.outbox] == [
        PREFIX + "Votre structure est membre de la gouvernance de la Nièvre"
    ]
    assert "« La Poste »" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.section_save(
            gouvernance=brouillon,
            user=prefecture_58,
            section=Section.COPORTEURS,
            version=1,
            data=services.CoporteursInput(keys=["departement:58", f"epci:{NEVERS}"], pas_de_coporteur=False),
        )
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "« CA de Nevers » est désormais co-porteur de cette gouvernance" in body.replace("\n", " ")
    assert "a inscrit" not in body  # it knew it was a member


def test_a_mail_failure_leaves_the_member_to_tell(brouillon, prefecture_58, monkeypatch):
    Membre.objects.update(avis_membre_envoye_le=None, avis_coporteur_envoye_le=None)
    brouillon.statut = StatutGouvernance.PRESSENTIE
    brouillon.save()

    def boom(**kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(notifications, "send_mail", boom)
    with pytest.raises(ConnectionError):
        notifications.notify_new_members(gouvernance_id=brouillon.pk)
    assert Membre.objects.filter(avis_membre_envoye_le__isnull=True).count() == 3
    monkeypatch.undo()
    assert notifications.notify_new_members(gouvernance_id=brouillon.pk) == 3


def test_the_task_uses_the_shared_retry_policy():
    assert tasks.notify_new_members.autoretry_for == TRANSIENT_ERRORS
    assert tasks.notify_new_members.max_retries == RETRY_POLICY["max_retries"]


def test_mon_espace_lists_the_gouvernances_once_sent(
    client, structure_user, brouillon, prefecture_58, django_capture_on_commit_callbacks
):
    client.force_login(structure_user)
    page = client.get(reverse("espace:mon_espace")).content.decode()
    assert 'id="mes-gouvernances"' not in page
    assert "membre d'aucune gouvernance" in page

    remonter(brouillon, prefecture_58, django_capture_on_commit_callbacks)
    page = client.get(reverse("espace:mon_espace")).content.decode()
    listed = page.split('id="mes-gouvernances"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/departements/58/gouvernance/publique/"' in listed
    assert "« Emmaüs Connect Nièvre » est membre de la gouvernance (gouvernance pressentie remontée)" in (
        " ".join(listed.split())
    )
    assert "Nevers" not in listed  # another organisation's membership
