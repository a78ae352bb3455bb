"""The embedded SQLite default (no DATABASE_URL) takes concurrent writes without "locked" errors.

The web process, the worker delivering mail and beat all write to the same file. With
SQLite's defaults (rollback journal, deferred transactions) a transaction that reads and
then writes fails at once with "database is locked" when another holds the write lock:
SQLite cannot wait there without a deadlock. The suite otherwise runs on PostgreSQL, so
this runs the embedded settings in a subprocess on a temporary file.
"""

import json
from pathlib import Path

from tests.practice.test_settings import run_django

THREADS = 8
TRANSACTIONS = 20

READ_THEN_WRITE = """
import json, os, threading
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id integer PRIMARY KEY, n integer NOT NULL)")
    cursor.execute("INSERT INTO counter VALUES (1, 0)")
connection.close()
THREADS, TRANSACTIONS = int(os.environ["THREADS"]), int(os.environ["TRANSACTIONS"])
barrier = threading.Barrier(THREADS)
errors = []

def work():
    try:
        barrier.wait()
        for _ in range(TRANSACTIONS):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT n FROM counter WHERE id = 1")
                (n,) = cursor.fetchone()
                cursor.execute("UPDATE counter SET n = %s WHERE id = 1", [n + 1])
    except Exception as exc:
        errors.append(str(exc))
    finally:
        connections.close_all()

threads = [threading.Thread(target=work) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter WHERE id = 1")
    print(json.dumps({"count": cursor.fetchone()[0], "errors": errors}))
"""


def test_concurrent_read_then_write_transactions_all_succeed(tmp_path: Path) -> None:
    result = run_django(
        READ_THEN_WRITE,
        VAR_DIR=str(tmp_path),
        THREADS=str(THREADS),
        TRANSACTIONS=str(TRANSACTIONS),
    )

    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["count"] == THREADS * TRANSACTIONS, "no update lost"
    assert (tmp_path / "db.sqlite3").exists(), "the embedded default, not the test database"
