class DatabaseIdConverter:
    """A record's id in a URL: a whole number that fits the database's 64-bit ids.

    A larger number is simply not found (SQLite cannot even be asked about one).
    """

    regex = "[0-9]{1,19}"
    largest = 2**63 - 1

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > self.largest:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def database_id_parse(value: str) -> int | None:
    """A record id from a query or form value (ASCII digits within the database's 64-bit
    ids), or None for anything else ("²", "-1", a 30-digit number): never a 500."""
    if not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if number <= DatabaseIdConverter.largest else None
