"""The web tier keeps no state on local disk: sessions and uploaded files live in the shared database."""

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.test import Client

from kohtaamo.deployment.models import StoredFile
from kohtaamo.deployment.storage import DatabaseStorage


def test_sessions_and_files_are_in_the_database():
    assert settings.SESSION_ENGINE in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache_db",
    )
    assert isinstance(storages["default"], DatabaseStorage)


@pytest.mark.django_db
def test_database_storage_saves_reads_lists_and_deletes():
    name = default_storage.save("mystery/evidence/one.png", ContentFile(b"\x89PNG first"))
    again = default_storage.save("mystery/evidence/one.png", ContentFile(b"\x89PNG second"))
    assert name == "mystery/evidence/one.png" and again != name  # never overwrites another file
    assert default_storage.open(name).read() == b"\x89PNG first"
    assert default_storage.size(again) == len(b"\x89PNG second")
    assert default_storage.listdir("mystery") == (["evidence"], [])
    assert sorted(default_storage.listdir("mystery/evidence")[1]) == sorted([name.split("/")[-1], again.split("/")[-1]])
    default_storage.delete(name)
    assert not default_storage.exists(name) and StoredFile.objects.count() == 1
    with pytest.raises(FileNotFoundError):
        default_storage.open(name)


@pytest.mark.django_db
def test_a_session_started_on_one_app_server_works_on_another(world):
    # Two clients stand for two app servers: nothing but the database is shared between them.
    first, second = Client(), Client()
    first.force_login(world.cx_lead)
    second.cookies = first.cookies
    assert second.get(f"/o/{world.organisation.slug}/").status_code == 200
