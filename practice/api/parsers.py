"""Request parsers of the API (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"])."""

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import exceptions, parsers


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, answering a document nested too deeply as a parse error (400).

    Python's json module raises RecursionError past about 1,000 levels of nesting (the
    interpreter's recursion limit); DRF catches only ValueError, so it was a 500.
    """

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise exceptions.ParseError("JSON parse error - nested too deeply.") from exc
