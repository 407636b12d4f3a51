"""Paginated API lists that read only the requested page from the database."""

from collections.abc import Callable

from django.db.models import QuerySet
from ninja import Field
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


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


class BoundedPageNumberPagination(PageNumberPagination):
    """Page numbers with an upper bound, so a huge page number is a 422, not an SQL offset overflow."""

    class Input(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=MAX_PAGE)
