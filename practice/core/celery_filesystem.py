"""The embedded Celery broker (``make run`` without Redis): kombu's filesystem transport,
with each message written whole before a worker can see it.

kombu's own ``Channel._put`` creates the message file under its final ``*.msg`` name and then
writes into it, so a worker polling the folder can move and read it while it is still empty;
the JSON decode error that follows stops the worker for good (celery/kombu#1551, open). Here
the message is written under a name the reader skips (``….msg.part``) and then renamed into
place, which POSIX makes atomic within one folder (``os.replace``), so a reader sees either no
file or the whole message.

Used by ``CELERY_BROKER_URL = "practicefs://"`` (practice/settings.py); production uses Redis.
"""

import os
import uuid
from time import monotonic
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

SCHEME = "practicefs"


class Channel(filesystem.Channel):
    def _put(self, queue: str, payload: dict[str, Any], **kwargs: Any) -> None:  # type: ignore[override]  # kombu's own signature (its stubs say the same)
        """Put ``payload`` on ``queue``: written to a part file, then renamed into place."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        part = f"{final}.part"
        try:
            with open(part, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(part, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


TRANSPORT_ALIASES[SCHEME] = f"{__name__}:Transport"
