"""The anonymous staff pulse: schedule, invitation e-mails through the real SMTP server, the token
page, one answer per invitation, reminders, validation and no link from an answer to its person."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone

from kohtaamo.organisations.models import Person
from kohtaamo.staffexperience.models import (
    StaffPulseAnswer,
    StaffPulseInvitation,
    StaffPulsePeriod,
    StaffPulseSheet,
)
from kohtaamo.staffexperience.services import (
    period_bounds,
    staff_pulse_period_open,
    staff_pulse_schedule_save,
    staff_pulses_run,
)

HELSINKI = ZoneInfo("Europe/Helsinki")
# The first morning of the current month: the period is open for the tests' real-time answers.
NOW = timezone.localtime(timezone.now(), HELSINKI).replace(day=1, hour=9, minute=0, second=0, microsecond=0)
LINK = re.compile(r"http://[^\s\"<]+/staff-pulse/([\w-]+)/")
ALL_AGREE = {code: "4" for code in ("meaning", "autonomy", "growth", "wellbeing", "workload", "tools")}
FULL_ANSWER = ALL_AGREE | {"empowerment": "5", "feedback_reaches": "2", "sees_impact": "3", "comment": "Hyvä"}


@pytest.fixture
def staffed(world):
    world.person.email = "employee@example.org"
    world.person.save()
    Person.objects.create(organisation=world.organisation, unit=world.team, name="B", email="b@example.org")
    Person.objects.create(organisation=world.organisation, unit=world.other_branch, name="C", email="c@example.org")
    Person.objects.create(organisation=world.organisation, unit=world.team, name="No mail")
    Person.objects.create(
        organisation=world.organisation, unit=world.team, name="Left", email="left@example.org", active=False
    )
    return world


def _open(world, units=(), now=NOW):
    staff_pulse_schedule_save(
        organisation=world.organisation, cadence="month", units=list(units), reminder_after_days=5, active=True
    )
    return staff_pulse_period_open(organisation=world.organisation, now=now)


def _token_of(message) -> str:
    body = message.get_payload()[0].get_payload(decode=True).decode()
    return LINK.search(body).group(1)


def test_period_bounds_cut_months_and_quarters():
    from datetime import date

    assert period_bounds(day=date(2026, 2, 14), cadence="month") == (date(2026, 2, 1), date(2026, 2, 28))
    assert period_bounds(day=date(2026, 5, 31), cadence="quarter") == (date(2026, 4, 1), date(2026, 6, 30))
    assert period_bounds(day=date(2026, 12, 1), cadence="quarter") == (date(2026, 10, 1), date(2026, 12, 31))


def test_invitations_arrive_by_email_for_active_staff_with_an_address(staffed, mailbox):
    period = _open(staffed, units=[staffed.branch])
    messages = mailbox.wait_for(2)
    assert sorted(m["To"] for m in messages) == ["b@example.org", "employee@example.org"]
    assert (period.start, period.end) == period_bounds(day=NOW.date(), cadence="month")
    assert StaffPulseInvitation.objects.filter(period=period, sent_at__isnull=False).count() == 2
    # Opening again in the same month opens nothing and sends nothing.
    assert staff_pulse_period_open(organisation=staffed.organisation, now=NOW + timedelta(days=3)) is None
    assert len(mailbox.wait_for(3, timeout=0.5)) == 2


@pytest.mark.parametrize(
    ("cadence", "first", "last_day", "next_day", "next_bounds"),
    [
        ("month", datetime(2026, 1, 15, 9), datetime(2026, 1, 31, 23, 30), datetime(2026, 2, 1, 0, 30), (2, 1, 2, 28)),
        ("quarter", datetime(2026, 2, 10, 9), datetime(2026, 3, 31, 20), datetime(2026, 4, 1, 8), (4, 1, 6, 30)),
    ],
)
def test_the_next_month_or_quarter_opens_a_new_period(
    staffed, mailbox, cadence, first, last_day, next_day, next_bounds
):
    from datetime import date

    staff_pulse_schedule_save(
        organisation=staffed.organisation, cadence=cadence, units=[], reminder_after_days=5, active=True
    )
    opened = staff_pulse_period_open(organisation=staffed.organisation, now=first.replace(tzinfo=HELSINKI))
    assert staff_pulse_period_open(organisation=staffed.organisation, now=last_day.replace(tzinfo=HELSINKI)) is None
    following = staff_pulse_period_open(organisation=staffed.organisation, now=next_day.replace(tzinfo=HELSINKI))
    assert following is not None and following.pk != opened.pk
    assert following.start == opened.end + timedelta(days=1)
    from_month, from_day, to_month, to_day = next_bounds
    assert (following.start, following.end) == (date(2026, from_month, from_day), date(2026, to_month, to_day))
    assert list(StaffPulsePeriod.objects.order_by("start").values_list("pk", flat=True)) == [opened.pk, following.pk]
    # Everyone is asked again, with new links.
    again = StaffPulseInvitation.objects.filter(period=following)
    assert again.count() == StaffPulseInvitation.objects.filter(period=opened).count() == 3
    assert not set(again.values_list("token", flat=True)) & set(
        StaffPulseInvitation.objects.filter(period=opened).values_list("token", flat=True)
    )
    assert len(mailbox.wait_for(6)) == 6


def test_answer_through_the_token_page_once_and_never_linked_to_the_person(staffed, mailbox, client):
    _open(staffed)
    messages = mailbox.wait_for(3)
    message = next(m for m in messages if m["To"] == "employee@example.org")
    token = _token_of(message)
    url = reverse("staff_pulse:answer", kwargs={"token": token})
    page = client.get(url + "?lang=en")
    assert page.status_code == 200
    assert "My work feels meaningful." in page.content.decode()
    assert "Työni tuntuu merkitykselliseltä." in client.get(url).content.decode()  # the invitation's language

    response = client.post(url, FULL_ANSWER | {"lang": "en"})
    assert response.status_code == 303
    thanks = client.get(response["Location"])
    assert "Thank you for your answers" in thanks.content.decode()

    sheet = StaffPulseSheet.objects.get()
    assert sheet.unit == staffed.team and sheet.comment == "Hyvä"
    # index = mean 3.778 on 1–5 -> (3.778 - 1) / 4 * 100
    assert sheet.index == pytest.approx((34 / 9 - 1) / 4 * 100)
    assert sorted(StaffPulseAnswer.objects.values_list("value", flat=True)) == [2, 3, 4, 4, 4, 4, 4, 4, 5]

    again = client.post(url, FULL_ANSWER | {"lang": "en"})
    assert again.status_code == 409
    assert "You have already answered" in again.content.decode()
    assert StaffPulseSheet.objects.count() == 1 and StaffPulseAnswer.objects.count() == 9


@pytest.mark.parametrize("model", [StaffPulseSheet, StaffPulseAnswer])
def test_answer_tables_hold_no_person_invitation_or_time(model):
    related = {f.related_model.__name__ for f in model._meta.concrete_fields if f.is_relation}
    assert related <= {"Organisation", "StaffPulsePeriod", "Unit", "StaffPulseSheet", "StaffPulseItem"}
    times = [f.name for f in model._meta.get_fields() if isinstance(f, models.DateField | models.DateTimeField)]
    assert times == []
    assert isinstance(model._meta.pk, models.UUIDField)  # no arrival order in the keys either


def test_invitation_keeps_only_a_flag_of_having_answered(staffed, mailbox, client):
    _open(staffed)
    token = _token_of(mailbox.wait_for(3)[0])
    before = StaffPulseInvitation.objects.values().get(token=token)
    client.post(reverse("staff_pulse:answer", kwargs={"token": token}), FULL_ANSWER)
    after = StaffPulseInvitation.objects.values().get(token=token)
    assert {k for k in before if before[k] != after[k]} == {"answered"}


def test_a_missing_answer_is_refused_with_a_clear_message_and_nothing_stored(staffed, mailbox, client):
    _open(staffed)
    token = _token_of(mailbox.wait_for(3)[0])
    url = reverse("staff_pulse:answer", kwargs={"token": token})
    partial = dict(FULL_ANSWER)
    del partial["growth"]
    partial["tools"] = "9"
    page = client.post(url, partial | {"lang": "en"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "Please answer this statement." in text
    assert "Please choose one of the options from 1 to 5." in text
    assert StaffPulseSheet.objects.count() == 0
    assert not StaffPulseInvitation.objects.get(token=token).answered


def test_reminder_goes_once_to_those_who_have_not_answered(staffed, mailbox, client):
    _open(staffed)
    messages = mailbox.wait_for(3)
    answered = next(m for m in messages if m["To"] == "b@example.org")
    invitation_subject = answered["Subject"]
    client.post(reverse("staff_pulse:answer", kwargs={"token": _token_of(answered)}), FULL_ANSWER)
    mailbox.clear()
    assert staff_pulses_run(now=NOW + timedelta(days=2)).reminded == 0
    summary = staff_pulses_run(now=NOW + timedelta(days=6))
    assert summary.reminded == 2
    reminders = mailbox.wait_for(2)
    assert sorted(m["To"] for m in reminders) == ["c@example.org", "employee@example.org"]
    assert all("Acme" in m["Subject"] and m["Subject"] != invitation_subject for m in reminders)
    assert staff_pulses_run(now=NOW + timedelta(days=7)).reminded == 0


def test_closed_period_and_unknown_token(staffed, mailbox, client):
    period = _open(staffed, now=datetime(2025, 1, 10, 9, tzinfo=HELSINKI))
    token = _token_of(mailbox.wait_for(3)[0])
    assert period.end.isoformat() == "2025-01-31"
    page = client.post(reverse("staff_pulse:answer", kwargs={"token": token}), FULL_ANSWER | {"lang": "en"})
    assert "This pulse has closed" in page.content.decode()
    assert StaffPulseSheet.objects.count() == 0
    assert client.get(reverse("staff_pulse:answer", kwargs={"token": "nope"})).status_code == 404


def test_the_answer_post_is_rate_limited(staffed, mailbox, client):
    _open(staffed)
    url = reverse("staff_pulse:answer", kwargs={"token": "unknown-token"})
    statuses = [client.post(url, {}).status_code for _ in range(21)]
    assert statuses[:20] == [404] * 20
    assert statuses[20] == 429


def test_schedule_page_saves_and_validates(staffed, client):
    client.force_login(staffed.admin)
    url = reverse("staffexperience:schedule", kwargs={"org": "acme"})
    bad = client.post(url, {"cadence": "month", "reminder_after_days": "-1"}, headers={"accept-language": "en"})
    assert "Enter 0 or more days." in bad.content.decode()
    ok = client.post(
        url,
        {"cadence": "quarter", "reminder_after_days": "3", "active": "on", "units": [staffed.branch.pk]},
        headers={"accept-language": "en"},
    )
    assert ok.status_code == 302
    schedule = staffed.organisation.staff_pulse_schedule
    assert (schedule.cadence, schedule.reminder_after_days, list(schedule.units.all())) == (
        "quarter",
        3,
        [staffed.branch],
    )
    client.force_login(staffed.manager)
    assert client.get(url).status_code == 403


def test_open_button_opens_the_current_period(staffed, mailbox, client):
    staff_pulse_schedule_save(
        organisation=staffed.organisation, cadence="month", units=[], reminder_after_days=5, active=True
    )
    client.force_login(staffed.cx_lead)
    response = client.post(reverse("staffexperience:open", kwargs={"org": "acme"}))
    assert response.status_code == 302
    assert StaffPulsePeriod.objects.filter(organisation=staffed.organisation).count() == 1
    assert len(mailbox.wait_for(3)) == 3
