import pytest


@pytest.mark.django_db
def test_error_pages_say_what_happened_in_the_users_language(client, world, settings):
    settings.DEBUG = False
    client.force_login(world.employee)
    forbidden = client.get("/o/acme/feedback/", HTTP_ACCEPT_LANGUAGE="fi")
    assert forbidden.status_code == 403 and "Ei käyttöoikeutta" in forbidden.content.decode()
    missing = client.get("/o/rival/", HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()
