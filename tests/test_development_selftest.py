"""The self-test: scoring against hand-computed profiles, the public quiz storing nothing by default,
and the logged-in version saved to the person's own view."""

import html

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection

from kohtaamo.development.models import PublicSelfTestResult, SelfTestResult
from kohtaamo.development.selftest import selftest_answers_clean, selftest_score
from kohtaamo.development.selftest_data import PROFILE_DIMENSIONS, STATEMENT_CODES, STATEMENTS, TIPS

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def all_fives() -> dict[str, int]:
    return dict.fromkeys(STATEMENT_CODES, 5)


def test_statements_have_three_languages_and_every_dimension_is_measured():
    measured = set()
    for _code, dimensions, _reverse, texts in STATEMENTS:
        assert set(texts) == {"fi", "sv", "en"} and all(texts.values())
        measured.update(dimensions)
    assert measured == set(PROFILE_DIMENSIONS)
    assert all(set(TIPS[d]) >= {"fi", "sv", "en", "action"} for d in PROFILE_DIMENSIONS)


def test_all_fives_with_reverse_items_flipped():
    """Agreeing with everything agrees with the reverse-coded statements too, which count as 1."""
    profile = selftest_score(answers=all_fives())
    # listening: st_listen_1=5, st_listen_2=5, st_listen_3 (reverse)=1 -> mean 11/3 -> (11/3 − 1)/4·100
    assert profile.scores["listening"] == pytest.approx((11 / 3 - 1) / 4 * 100)
    # expertise: st_expert_1, st_expert_2, st_logos_2 = 5 -> 100
    assert profile.scores["expertise"] == pytest.approx(100)
    # value: st_value_1=5, st_value_2 (reverse)=1 -> mean 3 -> 50
    assert profile.scores["value"] == pytest.approx(50)
    # pathos: st_listen_2=5, st_value_2 (rev)=1, st_pathos_1=5, st_pathos_2 (rev)=1 -> mean 3 -> 50
    assert profile.scores["pathos"] == pytest.approx(50)
    # logos: st_expert_1, st_solution_1, st_logos_1, st_logos_2 = 5 -> 100
    assert profile.scores["logos"] == pytest.approx(100)
    assert profile.rhetoric_spread == pytest.approx(50)  # ethos 100, pathos 50, logos 100
    assert profile.balanced is False
    # solution: st_solution_1=5, st_solution_2 (reverse)=1 -> 50; ties at 50 keep the framework order
    assert profile.scores["solution"] == pytest.approx(50)
    assert [tip.dimension for tip in profile.tips] == ["value", "solution"]
    assert profile.strength == "expertise"


def test_hand_computed_mixed_profile_and_tips():
    answers = {
        "st_listen_1": 2, "st_listen_2": 3, "st_listen_3": 4,  # listening: 2, 3, 6−4=2 -> 7/3
        "st_expert_1": 5, "st_expert_2": 4,
        "st_value_1": 4, "st_value_2": 2,  # value: 4, 6−2=4 -> 4
        "st_trust_1": 5, "st_trust_2": 5,
        "st_solution_1": 4, "st_solution_2": 1,  # solution: 4, 5 -> 4.5
        "st_ethos_1": 4, "st_pathos_1": 3, "st_pathos_2": 3,
        "st_logos_1": 4, "st_logos_2": 5,
    }  # fmt: skip
    profile = selftest_score(answers=answers, language="fi")
    expected_means = {
        "listening": 7 / 3,
        "expertise": (5 + 4 + 5) / 3,
        "value": 4,
        "trust": 5,
        "solution": 4.5,
        "ethos": (4 + 5 + 4) / 3,  # st_expert_2, st_trust_1, st_ethos_1
        "pathos": (3 + 4 + 3 + 3) / 4,  # st_listen_2, st_value_2 flipped, st_pathos_1, st_pathos_2 flipped
        "logos": (5 + 4 + 4 + 5) / 4,  # st_expert_1, st_solution_1, st_logos_1, st_logos_2
    }
    for code, mean in expected_means.items():
        assert profile.scores[code] == pytest.approx((mean - 1) / 4 * 100), code
    assert profile.strength == "trust"
    assert [tip.dimension for tip in profile.tips] == ["listening", "pathos"]
    assert profile.tips[0].text == TIPS["listening"]["fi"] and profile.tips[0].action == "role_play"
    assert profile.rhetoric_spread == pytest.approx((4.5 - 3.25) / 4 * 100)


def test_incomplete_or_off_scale_answers_are_refused():
    answers = {k: str(v) for k, v in all_fives().items()}
    assert selftest_answers_clean(answers) == all_fives()
    del answers["st_trust_1"]
    with pytest.raises(ValidationError, match="1 statements are still unanswered"):
        selftest_answers_clean(answers)
    answers["st_trust_1"] = "9"
    with pytest.raises(ValidationError, match="scale from 1 to 5"):
        selftest_answers_clean(answers)


def _row_counts() -> dict[str, int]:
    tables = set(connection.introspection.table_names())
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.db_table in tables}


@pytest.mark.django_db
def test_public_quiz_stores_nothing_by_default(client, world):
    page = client.get("/self-test/", **ENGLISH)
    assert page.status_code == 200 and "What kind of customer servant are you?" in page.content.decode()
    before = _row_counts()
    response = client.post("/self-test/", {k: "5" for k in STATEMENT_CODES}, **ENGLISH)
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    assert "Your profile" in body and "Nothing was stored." in body
    assert TIPS["value"]["en"] in body and TIPS["solution"]["en"] in body
    # Not one row in any table, but the abuse counter (a keyed hash of the address, purged within a day).
    assert {k: v for k, v in _row_counts().items() if k != "security.RateCounter"} == {
        k: v for k, v in before.items() if k != "security.RateCounter"
    }


@pytest.mark.django_db
def test_public_quiz_stores_the_profile_only_on_request(client):
    answers = {k: "4" for k in STATEMENT_CODES}
    client.post("/self-test/", {**answers, "store": "yes"}, **ENGLISH)
    [stored] = PublicSelfTestResult.objects.all()
    assert stored.language == "en" and set(stored.profile) == set(PROFILE_DIMENSIONS)
    assert stored.profile["expertise"] == pytest.approx(75)
    assert not hasattr(stored, "answers") and SelfTestResult.objects.count() == 0


@pytest.mark.django_db
def test_public_quiz_error_keeps_answers_and_stores_nothing(client):
    answers = {k: "3" for k in STATEMENT_CODES[:-1]}
    response = client.post("/self-test/", {**answers, "store": "yes"}, **ENGLISH)
    assert "1 statements are still unanswered" in response.content.decode()
    assert response.content.decode().count("checked") == len(STATEMENT_CODES) - 1
    assert PublicSelfTestResult.objects.count() == 0


@pytest.mark.django_db
def test_public_quiz_in_swedish(client):
    response = client.get("/self-test/", HTTP_ACCEPT_LANGUAGE="sv")
    assert STATEMENTS[0][3]["sv"] in response.content.decode()


@pytest.mark.django_db
def test_logged_in_self_test_is_saved_to_own_view(client, world, django_assert_max_num_queries):
    client.force_login(world.employee)
    url = f"/o/{world.organisation.slug}/development/self-test/"
    response = client.post(url, dict.fromkeys(STATEMENT_CODES, "5"), **ENGLISH)
    assert response.status_code == 302
    [result] = SelfTestResult.objects.all()
    assert result.person == world.person and result.profile["expertise"] == pytest.approx(100)
    with django_assert_max_num_queries(10):
        page = client.get(url, **ENGLISH)
    assert "Your profile" in page.content.decode()
    # Another employee's manager outside the branch sees nothing of it; the branch manager does.
    client.force_login(world.manager)
    assert SelfTestResult.objects.count() == 1
