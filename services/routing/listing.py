"""Paging, time-range filters and SortBy for every list call, and the seed's paging block."""

from __future__ import annotations

import dataclasses
import math
import urllib.parse
from collections.abc import Sequence
from typing import Any, TypeAlias, TypeVar

import peewee as pw

from taskrouter.server.clock import parse_time
from taskrouter.server.errors import invalid

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 1000
MAX_START = 2**31 - 1  # the paging block's offsets are int32

M = TypeVar("M", bound=pw.Model)
# The columns a list call sorts by, under their SortBy names.
Sortable: TypeAlias = "dict[str, pw.Field[Any]]"


@dataclasses.dataclass
class ListParams:
    page: int = 0
    page_size: int | None = None
    name: str = ""
    start_time: str = ""
    end_time: str = ""
    sort_by: str = ""
    # Other filters, echoed in the paging URIs so the next page keeps them.
    filters: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def size(self) -> int:
        return DEFAULT_PAGE_SIZE if self.page_size is None else self.page_size

    def validate(self) -> None:
        if self.page < 0:
            raise invalid("page", "must be 0 or more")
        if not 1 <= self.size <= MAX_PAGE_SIZE:
            raise invalid("pageSize", f"must be between 1 and {MAX_PAGE_SIZE}")
        if self.page * self.size > MAX_START:
            raise invalid("page", "is too large")
        if "\x00" in self.name:
            raise invalid("name", "must not contain NUL characters")


def time_range(query: pw.ModelSelect[M], column: pw.Field[Any], params: ListParams) -> pw.ModelSelect[M]:
    """startTime/endTime: inclusive, UTC, ISO-8601; a bare date means midnight."""
    for text, field, op in ((params.start_time, "startTime", "ge"), (params.end_time, "endTime", "le")):
        if not text:
            continue
        try:
            bound = parse_time(text)
        except ValueError:
            raise invalid(field, f"{text!r} is not an ISO-8601 date or date-time") from None
        if op == "ge":
            query = query.where(column >= bound)
        elif "." in text:
            query = query.where(column <= bound)
        else:
            # Times are shown to the second: an endTime of "...T07:00:25" includes all of 07:00:25.
            query = query.where(column < bound + 1)
    return query


def name_filter(query: pw.ModelSelect[M], column: pw.Field[Any], params: ListParams) -> pw.ModelSelect[M]:
    if params.name:
        query = query.where(pw.fn.LOWER(column).contains(params.name.lower()))
    return query


def by_name_and_time(query: pw.ModelSelect[M], params: ListParams) -> pw.ModelSelect[M]:
    """The name and startTime/endTime filters every named resource's list takes."""
    model: Any = query.model  # a model with name and created_at columns
    return time_range(name_filter(query, model.name, params), model.created_at, params)


def sort_order(params: ListParams, sortable: Sortable, default: str = "dateCreated:desc") -> list:
    """SortBy=<attribute>[:asc|desc]; ascending when no direction is given."""
    attribute, _, direction = (params.sort_by or default).partition(":")
    column = sortable.get(attribute) or {k.lower(): v for k, v in sortable.items()}.get(attribute.lower())
    if column is None:
        raise invalid("SortBy", f"cannot sort by {attribute!r}; one of {', '.join(sortable)}")
    direction = (direction or "asc").lower()
    if direction not in ("asc", "desc"):
        raise invalid("SortBy", f"direction must be asc or desc, not {direction!r}")
    model_id = column.model._meta.primary_key
    if direction == "desc":
        return [column.desc(), model_id.desc()]
    return [column.asc(), model_id.asc()]


@dataclasses.dataclass
class Page:
    result: Sequence[Any]
    page_size: int
    total: int
    page: int
    num_pages: int
    start: int
    end: int
    first_page_uri: str
    next_page_uri: str | None
    uri: str


def _uri(base: str, params: ListParams, page: int) -> str:
    query: dict[str, object] = {"pageSize": params.size, "page": page}
    for key, value in params.filters.items():
        if value not in (None, ""):
            query[key] = str(value).lower() if isinstance(value, bool) else value
    for key, value in (("name", params.name), ("startTime", params.start_time), ("endTime", params.end_time),
                       ("SortBy", params.sort_by)):
        if value:
            query[key] = value
    return f"{base}/?{urllib.parse.urlencode(query)}"


def make_page(base: str, params: ListParams, rows: Sequence[Any], total: int) -> Page:
    size, page = params.size, params.page
    start = page * size
    return Page(
        result=rows,
        page_size=size,
        total=total,
        page=page,
        num_pages=math.ceil(total / size),
        start=start,
        end=start + max(len(rows) - 1, 0),
        first_page_uri=_uri(base, params, 0),
        next_page_uri=_uri(base, params, page + 1) if start + size < total else None,
        uri=_uri(base, params, page),
    )


def paginate(base: str, query: pw.ModelSelect[Any], params: ListParams, sortable: Sortable,
             default_sort: str = "dateCreated:desc") -> Page:
    params.validate()
    order = sort_order(params, sortable, default_sort)
    total = query.count()
    rows = list(query.order_by(*order).offset(params.page * params.size).limit(params.size))
    return make_page(base, params, rows, total)


def paginate_list(base: str, items: list, params: ListParams) -> Page:
    """Paging over items already filtered and sorted in Python."""
    params.validate()
    start = params.page * params.size
    return make_page(base, params, items[start : start + params.size], len(items))
