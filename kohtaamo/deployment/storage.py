"""A Django storage backend that keeps uploads in the database: app servers keep nothing on local disk."""

import posixpath

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible

from .models import StoredFile


@deconstructible
class DatabaseStorage(Storage):
    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode:
            raise ValueError("DatabaseStorage files are written with save(), not opened for writing")
        stored = StoredFile.objects.filter(name=name).only("content").first()
        if stored is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(stored.content), name=name)

    def _save(self, name: str, content: File) -> str:
        content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        StoredFile.objects.create(name=name, content=data, size=len(data))
        return name

    def delete(self, name: str) -> None:
        StoredFile.objects.filter(name=name).delete()

    def exists(self, name: str) -> bool:
        return StoredFile.objects.filter(name=name).exists()

    def size(self, name: str) -> int:
        stored = StoredFile.objects.filter(name=name).values_list("size", flat=True).first()
        if stored is None:
            raise FileNotFoundError(name)
        return stored

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = path.rstrip("/") + "/" if path else ""
        dirs, files = set(), []
        for name in StoredFile.objects.filter(name__startswith=prefix).values_list("name", flat=True):
            rest = name[len(prefix) :]
            head, _sep, tail = rest.partition("/")
            if tail:
                dirs.add(head)
            else:
                files.append(head)
        return sorted(dirs), sorted(files)

    def url(self, name: str) -> str:
        # Files are served by the views that check who may see them, never by a public URL.
        raise NotImplementedError("Stored files are served by permission-checking views")

    def get_valid_name(self, name: str) -> str:
        return posixpath.normpath(super().get_valid_name(name))
