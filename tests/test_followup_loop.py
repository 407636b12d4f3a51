"""Follow-up rules, owners, escalation, the public contact page, exports and the pages' query counts."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from kohtaamo.feedback.models import Invitation
from kohtaamo.feedback.responding import response_record
from kohtaamo.followup.models import ContactPreference, FollowupCase
from kohtaamo.followup.services import case_open_for_response, unit_manager_for
from kohtaamo.organisations.models import Membership


def _question(programme, code):
    return programme.questionnaire.questions.get(item__dimensions__code=code)


def _answer(world, nps, comment="", **kwargs):
    answers = {_question(world.programme, "nps").pk: nps}
    if comment:
        answers[world.programme.questionnaire.questions.get(kind="open").pk] = comment
    return response_record(
        round=world.programme, answers=answers, language="fi", context={"unit_id": world.team.pk}, **kwargs
    )


def test_rules_open_cases_only_for_unhappy_customers(world, mailbox):
    promoter = _answer(world, 10)
    assert case_open_for_response(response_id=promoter.pk) is None
    mistrust = _answer(world, 8, comment="Asiantuntija valehteli minulle korosta.")
    case = case_open_for_response(response_id=mistrust.pk)
    assert case is not None and case.reasons == [str(case.reasons[0])] and "valehtel" in case.reasons[0]
    assert case_open_for_response(response_id=mistrust.pk) is None  # idempotent
    assert case.owner == world.manager  # the branch above the team
    [message] = mailbox.wait_for(1)
    assert world.manager.email in message["X-Envelope-To"]


def test_overdue_case_escalates_to_the_next_manager_up(world, mailbox, django_user_model):
    regional = django_user_model.objects.create_user("acme-regional", "regional@example.org", "pw")
    Membership.objects.create(
        user=regional, organisation=world.organisation, role=Membership.Role.UNIT_MANAGER, unit=world.region
    )
    assert unit_manager_for(unit=world.team) == world.manager
    assert unit_manager_for(unit=world.team, above=world.branch) == regional
    case = case_open_for_response(response_id=_answer(world, 2).pk)
    mailbox.wait_for(1)
    mailbox.clear()
    FollowupCase.objects.filter(pk=case.pk).update(deadline=timezone.now() - timedelta(hours=1))
    call_command("followup_escalate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    case.refresh_from_db()
    assert case.owner == regional and case.escalation_level == 1
    [message] = mailbox.wait_for(1)
    assert "regional@example.org" in message["X-Envelope-To"]
    call_command("followup_escalate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    case.refresh_from_db()
    assert case.escalation_level == 1  # once a day at most


def test_contact_page_opens_a_case_on_request(client, world):
    invitation = Invitation.objects.create(
        organisation=world.organisation,
        round=world.programme,
        language="en",
        expires_at=timezone.now() + timedelta(days=3),
    )
    response = _answer(world, 9)
    response.invitation = invitation
    response.save(update_fields=["invitation"])
    # The thank-you page offers the choice.
    thanks = client.get(f"/r/{invitation.token}/thanks/?lang=en").content.decode()
    assert f'href="/followup/contact/{invitation.token}/"' in thanks
    page = client.get(f"/followup/contact/{invitation.token}/")
    assert page.status_code == 200 and b"Please contact me" in page.content
    client.post(f"/followup/contact/{invitation.token}/", {"choice": "contact"})
    assert ContactPreference.objects.get().choice == "contact"
    case = FollowupCase.objects.get()
    assert case.customer_requested and case.reasons == []
    assert client.get("/followup/contact/not-a-token/").status_code == 404


def test_case_pages_scoped_and_query_counts_pinned(client, world, other_world, django_assert_max_num_queries):
    case = case_open_for_response(response_id=_answer(world, 0).pk)
    client.force_login(world.manager)
    with django_assert_max_num_queries(12):
        page = client.get("/o/acme/followup/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and f"#{case.pk}".encode() in page.content
    with django_assert_max_num_queries(14):
        assert client.get(f"/o/acme/followup/cases/{case.pk}/").status_code == 200
    client.force_login(world.employee)
    assert client.get(f"/o/acme/followup/cases/{case.pk}/").status_code == 404
    client.force_login(other_world.manager)
    assert client.get(f"/o/acme/followup/cases/{case.pk}/").status_code == 404


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_exports_hold_customer_responses_only(client, world, fmt):
    _answer(world, 7)
    response_record(
        round=world.programme,
        answers={_question(world.programme, "nps").pk: 1},
        language="fi",
        respondent_role="colleague",
    )
    client.force_login(world.cx_lead)
    data = client.get(f"/o/acme/integrations/export/{fmt}/")
    assert data.status_code == 200
    if fmt == "csv":
        lines = data.content.decode("utf-8-sig").strip().splitlines()
        assert len(lines) == 2 and lines[0].startswith("response_id,")
    elif fmt == "parquet":
        import duckdb

        path = "/tmp/kohtaamo-test-export.parquet"
        with open(path, "wb") as out:
            out.write(data.content)
        assert duckdb.sql(f"SELECT nps FROM '{path}'").fetchall() == [(7,)]  # noqa: S608
    else:
        from io import BytesIO

        from openpyxl import load_workbook

        rows = list(load_workbook(BytesIO(data.content)).active.iter_rows(values_only=True))
        assert len(rows) == 2 and rows[1][rows[0].index("nps")] == 7
    client.force_login(world.manager)
    assert client.get(f"/o/acme/integrations/export/{fmt}/").status_code == 403


def test_a_case_without_an_owner_is_listed_and_shown(client, world):
    case = case_open_for_response(response_id=_answer(world, 1).pk)
    FollowupCase.objects.filter(pk=case.pk).update(owner=None)
    client.force_login(world.cx_lead)
    assert client.get("/o/acme/followup/").status_code == 200
    assert client.get(f"/o/acme/followup/cases/{case.pk}/").status_code == 200
