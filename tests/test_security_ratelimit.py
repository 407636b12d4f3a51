"""Rate limits on the public pages (429 with Retry-After and a translated page), and the purge command."""

import io
import time

import pytest
from django.core.management import call_command

from kohtaamo.security.models import RateCounter
from kohtaamo.security.policies import PUBLIC_RATE_POLICIES, RatePolicy
from kohtaamo.security.ratelimit import rate_limit_hit

TIGHT = {
    namespace: RatePolicy(limit=2, window_s=600, per_token=p.per_token) for namespace, p in PUBLIC_RATE_POLICIES.items()
}

PUBLIC_POSTS = [
    "/r/token-a/",
    "/r/token-a/answer/",
    "/t/token-a/",
    "/t/token-a/answer/",
    "/followup/contact/token-a/",
    "/self-test/",
    "/role-play/token-a/",
]


@pytest.fixture
def tight(settings):
    settings.KOHTAAMO_PUBLIC_RATE_LIMITS = TIGHT


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_POSTS)
def test_the_third_post_in_the_window_is_refused(client, tight, url):
    for _ in range(2):
        assert client.post(url, {}, HTTP_ACCEPT_LANGUAGE="en").status_code != 429
    refused = client.post(url, {}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 600
    assert "Please try again in" in refused.content.decode()
    # Reading the page is not limited.
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").status_code != 429


@pytest.mark.django_db
def test_limits_are_per_address_and_per_token(client, tight):
    for _ in range(3):
        client.post("/r/token-a/answer/", {}, REMOTE_ADDR="192.0.2.1")
    assert client.post("/r/token-a/answer/", {}, REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.post("/r/token-b/answer/", {}, REMOTE_ADDR="192.0.2.1").status_code != 429
    assert client.post("/r/token-a/answer/", {}, REMOTE_ADDR="192.0.2.2").status_code != 429


@pytest.mark.django_db
def test_the_refusal_page_is_in_the_users_language(client, tight):
    for _ in range(2):
        client.post("/self-test/", {})
    refused = client.post("/self-test/", {}, HTTP_ACCEPT_LANGUAGE="sv")
    assert refused.status_code == 429 and '<html lang="sv">' in refused.content.decode()


def test_default_limits_leave_room_for_a_long_survey():
    # A respondent's page saves each answer as it is given: a 40-question survey answered twice over
    # (changed minds) plus the submit must stay well inside one window.
    assert PUBLIC_RATE_POLICIES["respond"].limit >= 2 * 40 + 10


@pytest.mark.django_db
def test_purge_command_deletes_only_old_windows():
    now = time.time()
    rate_limit_hit(key="old", limit=5, window_s=60, now=now - 2 * 86400)
    rate_limit_hit(key="recent", limit=5, window_s=60, now=now - 3600)
    out = io.StringIO()
    call_command("security_purge_counters", stdout=out)
    assert "Deleted 1 old rate-limit counters." in out.getvalue()
    assert RateCounter.objects.count() == 1
    call_command("security_purge_counters", "--hours", "0", stdout=out)
    assert RateCounter.objects.count() == 0


@pytest.mark.django_db
def test_counter_keys_do_not_reveal_the_address():
    rate_limit_hit(key="public:respond:192.0.2.1:token-a", limit=5, window_s=60)
    [counter] = RateCounter.objects.all()
    assert "192.0.2.1" not in counter.key and len(counter.key) == 64
