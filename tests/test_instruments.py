import pytest

from kohtaamo.feedback.responding import response_record
from kohtaamo.instruments.models import Dimension, Item, Question
from kohtaamo.instruments.selectors import questionnaire_is_frozen
from kohtaamo.instruments.services import framework_import, questionnaire_revise

LANGS = ("fi", "sv", "en")


@pytest.mark.django_db
def test_framework_v1_is_complete(framework):
    groups = dict.fromkeys(Dimension.Group.values, 0)
    for d in framework.dimensions.all():
        groups[d.group] += 1
        assert all(d.names.get(lang) for lang in LANGS), d.code
    assert groups == {"element": 5, "rhetoric": 3, "wish": 4, "quality": 3, "outcome": 4, "maturity": 10}
    for item in Item.objects.filter(framework=framework).prefetch_related("dimensions"):
        group = item.dimensions.all()[0].group
        perspectives = {"outcome": {"customer"}, "maturity": {"organisation", "customer"}}.get(
            group, {"customer", "self", "other"}
        )
        assert set(item.texts) == perspectives, item.code
        for texts in item.texts.values():
            assert all(texts.get(lang) for lang in LANGS), item.code
        assert item.scale_max > item.scale_min


@pytest.mark.django_db
def test_framework_import_is_idempotent(framework):
    assert framework_import().pk == framework.pk
    assert Item.objects.count() == Item.objects.filter(framework=framework).count()


@pytest.mark.django_db
def test_pulse_survey_has_outcomes_elements_and_a_comment(world):
    questionnaire = world.programme.questionnaire
    questions = list(questionnaire.questions.select_related("item").prefetch_related("item__dimensions"))
    measured = {d.code for q in questions if q.item for d in q.item.dimensions.all()}
    assert {"nps", "csat", "ces", "listening", "expertise", "value", "trust", "solution"} <= measured
    assert {"ethos", "pathos", "logos"} <= measured
    assert questions[0].item.dimensions.get().code == "nps"  # outcomes first
    assert questions[-1].kind == Question.Kind.OPEN
    # The organisation's name replaces the placeholder in the frozen wording.
    assert "Acme" in questions[0].text("fi") and "{organisation}" not in questions[0].text("en")


@pytest.mark.django_db
def test_a_questionnaire_with_a_response_is_frozen_and_editing_makes_a_new_version(world):
    questionnaire = world.programme.questionnaire
    questions = list(questionnaire.questions.all())
    nps = questions[0]
    response = response_record(round=world.programme, answers={nps.pk: 9}, language="fi")
    assert questionnaire_is_frozen(questionnaire=questionnaire)

    new_wording = {"fi": "Uusi kysymys?", "sv": "Ny fråga?", "en": "New question?"}
    revised = questionnaire_revise(
        questionnaire=questionnaire,
        questions=[{"item": nps.item}, {"texts": new_wording}],
    )
    assert revised.pk != questionnaire.pk and revised.version == questionnaire.version + 1
    assert [q.text("en") for q in revised.questions.all()][1] == "New question?"
    # The old version and the old response are untouched.
    assert questionnaire.questions.count() == len(questions)
    response.refresh_from_db()
    assert response.questionnaire_id == questionnaire.pk and response.nps == 9


@pytest.mark.django_db
def test_an_unanswered_questionnaire_is_edited_in_place(world):
    questionnaire = world.programme.questionnaire
    first = questionnaire.questions.first()
    revised = questionnaire_revise(questionnaire=questionnaire, questions=[{"item": first.item, "required": True}])
    assert revised.pk == questionnaire.pk
    assert list(revised.questions.values_list("required", flat=True)) == [True]


@pytest.mark.django_db
def test_admin_new_version_action_switches_the_programme(client, world):
    from django.contrib.auth.models import User

    old = world.programme.questionnaire
    response_record(round=world.programme, answers={old.questions.first().pk: 7}, language="fi")
    User.objects.create_superuser("root", "root@example.org", "pw")
    client.login(username="root", password="pw")
    page = client.post(
        "/admin/instruments/questionnaire/", {"action": "make_new_version", "_selected_action": [old.pk]}, follow=True
    )
    assert page.status_code == 200
    world.programme.refresh_from_db()
    new = world.programme.questionnaire
    assert new.version == old.version + 1
    assert [q.text("fi") for q in new.questions.all()] == [q.text("fi") for q in old.questions.all()]
    # the frozen version is read-only in the admin, the new one can be edited
    assert client.get(f"/admin/instruments/questionnaire/{new.pk}/change/").status_code == 200
