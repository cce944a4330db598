import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from comptes.enums import Role
from gouvernances.enums import StatutGouvernance
from gouvernances.models import Echeance
from national.models import RappelEnvoye
from national.services import echeance_reminders_send
from national.tasks import send_echeance_reminders
from territoires.models import Departement
from tests.conftest import make_user
from tests.gouvernances.factories import GouvernanceFactory


@pytest.fixture
def campagne(db):
    """Only one deadline requiring a statut, due in seven days (the pressentie)."""
    today = timezone.localdate()
    Echeance.objects.filter(code="gouvernance-pressentie").update(
        date_limite=today + datetime.timedelta(days=7)
    )
    Echeance.objects.filter(code="gouvernance-definitive").update(
        date_limite=today + datetime.timedelta(days=40)
    )
    return Echeance.objects.get(code="gouvernance-pressentie")


@pytest.fixture
def prefectures(db):
    users = {
        code: make_user(f"agent@{code}.test", Role.PREFECTURE, departement=code)
        for code in ("58", "21", "23")
    }
    users["21b"] = make_user("second-agent@21.test", Role.PREFECTURE, departement="21")
    # 58 has submitted its pressentie; 21 is a draft; 23 has nothing; 89 has no account.
    GouvernanceFactory(
        departement=Departement.objects.get(code="58"),
        statut=StatutGouvernance.PRESSENTIE,
        pressentie_remontee_le=timezone.now(),
    )
    GouvernanceFactory(departement=Departement.objects.get(code="21"), sous_prefet_email="sp@21.example")
    return users


def test_reminders_go_to_exactly_the_late_prefectures_once(campagne, prefectures):
    assert echeance_reminders_send() == 2
    recipients = sorted(tuple(sorted(m.to)) for m in mail.outbox)
    assert recipients == [("agent@21.test", "second-agent@21.test"), ("agent@23.test",)]
    assert "Rappel : Remontée des gouvernances pressenties" in mail.outbox[0].subject
    assert set(RappelEnvoye.objects.values_list("departement_id", flat=True)) == {"21", "23"}

    # The job runs again (same day, next day): nothing is sent twice.
    assert echeance_reminders_send() == 0
    assert echeance_reminders_send(today=timezone.localdate() + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 2


def test_definitive_deadline_reminds_those_without_the_definitive(campagne, prefectures):
    today = timezone.localdate()
    Echeance.objects.filter(pk=campagne.pk).update(date_limite=today - datetime.timedelta(days=30))
    Echeance.objects.filter(code="gouvernance-definitive").update(
        date_limite=today + datetime.timedelta(days=7)
    )
    assert echeance_reminders_send() == 3  # 58 has only the pressentie
    assert {m.to[0] for m in mail.outbox} == {"agent@58.test", "agent@21.test", "agent@23.test"}


def test_nothing_when_no_deadline_is_near(campagne, prefectures):
    Echeance.objects.exclude(statut="").update(date_limite=timezone.localdate() + datetime.timedelta(days=8))
    assert echeance_reminders_send() == 0
    Echeance.objects.exclude(statut="").update(date_limite=timezone.localdate() - datetime.timedelta(days=1))
    assert echeance_reminders_send() == 0
    assert mail.outbox == []


def test_a_mail_failure_keeps_the_reminder_due(campagne, prefectures, monkeypatch):
    from national import services

    def boom(**kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(services, "_send_reminder", boom)
    with pytest.raises(ConnectionError):
        echeance_reminders_send()
    assert not RappelEnvoye.objects.exists()
    monkeypatch.undo()
    assert echeance_reminders_send() == 2


def test_the_celery_task_and_the_beat_schedule(campagne, prefectures):
    assert send_echeance_reminders.delay().get() == 2
    assert send_echeance_reminders.delay().get() == 0
    entry = settings.CELERY_BEAT_SCHEDULE["rappels-echeances-campagne"]
    assert entry["task"] == "national.tasks.send_echeance_reminders"
    assert entry["schedule"].hour == {8}
