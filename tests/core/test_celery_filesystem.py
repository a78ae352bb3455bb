"""The embedded broker (``make run`` without Redis) never hands a worker a half-written message.

kombu's own filesystem transport creates the message file and then writes it, so a worker
polling the folder could read it empty and stop on the JSON error (celery/kombu#1551): run
against it, this test lost about one message in eight.
"""

import threading
from pathlib import Path
from queue import Empty

from kombu import Connection

from practice.core.celery_filesystem import Channel  # also registers practicefs://

MESSAGES = 1500


def test_a_worker_polling_while_messages_are_written_reads_every_one_whole(tmp_path: Path) -> None:
    (tmp_path / "processed").mkdir()
    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "processed_folder": str(tmp_path / "processed"),
        "store_processed": False,
    }
    received: list[int] = []
    errors: list[Exception] = []
    written = threading.Event()

    def write() -> None:
        with Connection("practicefs://", transport_options=options) as connection:
            channel = connection.default_channel
            assert isinstance(channel, Channel)
            for number in range(MESSAGES):
                channel._put("celery", {"body": "x" * 2000, "number": number})
        written.set()

    def read() -> None:
        with Connection("practicefs://", transport_options=options) as connection:
            channel = connection.default_channel
            assert isinstance(channel, Channel)
            while len(received) + len(errors) < MESSAGES:
                try:
                    received.append(channel._get("celery")["number"])
                except Empty:
                    if written.is_set() and not any(tmp_path.glob("*.msg")):
                        return
                except Exception as exc:  # the fault this guards against: keep counting
                    errors.append(exc)

    reader = threading.Thread(target=read)
    writer = threading.Thread(target=write)
    reader.start()
    writer.start()
    writer.join()
    reader.join(timeout=120)

    assert errors == []
    assert sorted(received) == list(range(MESSAGES))
