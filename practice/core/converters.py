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
