from django.db import models


class StoredFile(models.Model):
    """An uploaded file kept in the database, so that every app server sees the same files."""

    name = models.CharField(max_length=300, unique=True)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
