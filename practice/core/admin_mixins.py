"""Admin building blocks every floor uses.

Permissions are written once here: ``ReadOnlyAdminMixin`` (nobody adds, edits or deletes)
and ``OwnerOnlyAdminMixin`` (only the practice owner, the superuser, looks). Lookups from the
URL are restricted for every admin by ``SafeLookupsMixin`` (see ``admin_site``).
"""

from typing import Any

from django.contrib.admin import SimpleListFilter
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

#: Lookups no admin answers from the URL: a pattern match is an oracle on hidden content
#: (a binary search recovers a token in a few hundred requests), and a bad pattern is a
#: database error.
REFUSED_LOOKUPS = frozenset({"regex", "iregex"})


class SafeLookupsMixin:
    """Answer URL filters only on the fields the admin offers as filters.

    Django's admin accepts any lookup on a model's own fields (``?text_body__startswith=``),
    which lets staff probe content the admin hides. Here a lookup must start at a field of
    ``list_filter`` or ``date_hierarchy`` and never be a regex; anything else is refused,
    which Django answers with 400 (``DisallowedModelAdminLookup``).
    """

    date_hierarchy: str | None
    get_list_filter: Any

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        parts = lookup.split(LOOKUP_SEP)
        if REFUSED_LOOKUPS.intersection(parts):
            return False
        if parts[0] not in self._filter_roots(request):
            return False
        return bool(super().lookup_allowed(lookup, value, request))  # type: ignore[misc]

    def _filter_roots(self, request: HttpRequest | None) -> set[str]:
        roots = {self.date_hierarchy} if self.date_hierarchy else set()
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                roots.add(str(item.parameter_name))
            elif isinstance(item, list | tuple):
                roots.add(str(item[0]).split(LOOKUP_SEP)[0])
            else:
                roots.add(str(item).split(LOOKUP_SEP)[0])
        return roots


class ReadOnlyAdminMixin:
    """Nobody adds, edits or deletes through this admin; who may look is decided elsewhere."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class OwnerOnlyAdminMixin:
    """Only the practice owner (the superuser) sees this admin; other staff get 403."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return request.user.is_active and request.user.is_superuser
