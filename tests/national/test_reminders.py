import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from comptes.enums import Role
from feuilles_de_route.enums import StatutDocument
from gouvernances.enums import StatutGouvernance
from gouvernances.models import Echeance
from national.models import RappelEnvoye
from national.services import echeance_reminders_send
from national.tasks import send_echeance_reminders
from territoires.models import Departement
from tests.besoins.factories import besoins_complets
from tests.conftest import make_user
from tests.feuilles_de_route.factories import DocumentFactory
from tests.gouvernances.conftest import move_echeances
from tests.gouvernances.factories import FeuilleDeRouteFactory, GouvernanceFactory


@pytest.fixture
def campagne(db):
    """Only one deadline requiring a statut, due in seven days (the pressentie)."""
    today = timezone.localdate()
    move_echeances(Echeance.objects.filter(code="gouvernance-pressentie"), today + datetime.timedelta(days=7))
    move_echeances(
        Echeance.objects.filter(code="gouvernance-definitive"), today + datetime.timedelta(days=40)
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
    move_echeances(Echeance.objects.filter(pk=campagne.pk), today - datetime.timedelta(days=30))
    move_echeances(Echeance.objects.filter(code="gouvernance-definitive"), today + datetime.timedelta(days=7))
    assert echeance_reminders_send() == 3  # 58 has only the pressentie
    assert {m.to[0] for m in mail.outbox} == {"agent@58.test", "agent@21.test", "agent@23.test"}


def test_nothing_when_no_deadline_is_near(campagne, prefectures):
    move_echeances(Echeance.objects.exclude(statut=""), timezone.localdate() + datetime.timedelta(days=8))
    assert echeance_reminders_send() == 0
    move_echeances(Echeance.objects.exclude(statut=""), timezone.localdate() - datetime.timedelta(days=1))
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


# --- Deadlines expecting the besoins en ingénierie or approved feuilles de route ------------------


def only_due(code: str) -> Echeance:
    """Every deadline long past but `code`, due in seven days."""
    today = timezone.localdate()
    move_echeances(Echeance.objects.all(), today - datetime.timedelta(days=30))
    move_echeances(Echeance.objects.filter(code=code), today + datetime.timedelta(days=7))
    return Echeance.objects.get(code=code)


def mail_to(address: str):
    return next(m for m in mail.outbox if address in m.to)


def test_the_definitive_deadline_also_expects_the_besoins(prefectures):
    echeance = only_due("gouvernance-definitive")
    assert echeance.besoins_attendus  # the calendar's migration says so
    besoins_complets(gouvernance=Departement.objects.get(code="58").gouvernance)  # prioritised

    assert echeance_reminders_send() == 3
    nievre = mail_to("agent@58.test").body
    assert "- remonter la gouvernance définitive ;" in nievre
    assert "prioriser les besoins" not in nievre  # 58 has prioritised them
    cote_dor = mail_to("agent@21.test").body
    assert "- remonter la gouvernance définitive ;" in cote_dor
    assert "- exprimer et prioriser les besoins en ingénierie ;" in cote_dor
    assert "/departements/21/besoins/" in cote_dor

    # Once per département and deadline: the besoins still missing send nothing more.
    assert echeance_reminders_send() == 0
    assert len(mail.outbox) == 3


def test_a_prioritised_definitive_gouvernance_is_not_reminded(prefectures):
    only_due("gouvernance-definitive")
    nievre = Departement.objects.get(code="58").gouvernance
    nievre.statut = StatutGouvernance.DEFINITIVE
    nievre.definitive_remontee_le = timezone.now()
    nievre.save()
    besoins_complets(gouvernance=nievre)
    echeance_reminders_send()
    assert {m.to[0] for m in mail.outbox} == {"agent@21.test", "agent@23.test"}


def test_the_feuilles_de_route_deadline_reminds_until_each_feuille_is_approved(prefectures):
    echeance = only_due("feuilles-de-route")
    assert echeance.feuilles_attendues
    assert not echeance.statut
    nievre = Departement.objects.get(code="58").gouvernance
    approuvee = FeuilleDeRouteFactory(gouvernance=nievre)
    DocumentFactory(
        feuille_de_route=approuvee, statut=StatutDocument.APPROUVEE, approuvee_le=timezone.localdate()
    )
    cote_dor = Departement.objects.get(code="21").gouvernance
    DocumentFactory(feuille_de_route=FeuilleDeRouteFactory(gouvernance=cote_dor))  # a draft

    # 58: every feuille approved; 21: one in draft; 23: none declared.
    assert echeance_reminders_send() == 2
    assert {m.to[0] for m in mail.outbox} == {"agent@21.test", "agent@23.test"}
    body = mail_to("agent@21.test").body
    assert "Feuilles de route finalisées et approuvées" in body
    assert "- faire approuver chaque feuille de route (au moins une déclarée) ;" in body
    assert "/feuilles-de-route/" in body
    assert "remonter la gouvernance" not in body  # this deadline expects no statut

    # A second feuille of 58, not approved yet, after the reminders went: 58 is reminded once.
    FeuilleDeRouteFactory(gouvernance=nievre, infra=True)
    assert echeance_reminders_send() == 1
    assert echeance_reminders_send() == 0
    assert RappelEnvoye.objects.filter(echeance=echeance).count() == 3


def test_a_deadline_expecting_nothing_reminds_nobody(prefectures):
    echeance = only_due("premiere-information")
    assert not echeance.statut
    assert not echeance.besoins_attendus
    assert not echeance.feuilles_attendues
    assert echeance_reminders_send() == 0
    assert mail.outbox == []
