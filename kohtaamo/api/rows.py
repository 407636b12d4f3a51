"""Paginated API lists that read only the requested page from the database."""

from collections.abc import Callable

from django.db.models import QuerySet


class PagedRows:
    """A queryset shown through `row`: ninja's pagination slices it, so only one page is read and converted
    (prefetches run for that page only) and the total comes from COUNT."""

    def __init__(self, queryset: QuerySet, row: Callable[[object], dict]):
        self.queryset = queryset
        self.row = row

    def all(self) -> "PagedRows":
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list[dict]:
        return [self.row(obj) for obj in self.queryset[page]]
