"""One error shape for every API response that is not a success:

    {"error": {"status": 400, "code": "invalid", "message": "...", "fields": {"name": ["..."]}}}

`fields` is always present (empty unless the request had invalid fields), so clients can rely
on it. Headers DRF sets (WWW-Authenticate, Retry-After, Allow) are kept.
"""

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

INVALID_MESSAGE = "Some of the information sent is not valid."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        code, message, fields = "invalid", *_validation_details(exc.detail)
    else:
        code = _code(exc)
        message, fields = str(exc.detail), {}
    response.data = {
        "error": {
            "status": response.status_code,
            "code": code,
            "message": message,
            "fields": fields,
        }
    }
    return response


def _code(exc: exceptions.APIException) -> str:
    detail_code = getattr(exc.detail, "code", None)
    return str(detail_code or exc.default_code)


def _validation_details(detail: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(detail, dict):
        fields = dict(detail)
        general = fields.pop("non_field_errors", None)
        message = " ".join(str(item) for item in general) if general else INVALID_MESSAGE
        return message, fields
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail) or INVALID_MESSAGE, {}
    return str(detail), {}
