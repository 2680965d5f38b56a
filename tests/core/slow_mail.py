"""A mail backend for the worker-kill test: marks the start of each send (with the sending process's
id), takes SLOW_MAIL_SECONDS, then writes the message. A worker killed during the pause sent nothing."""

import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SlowFileBackend(BaseEmailBackend):
    def send_messages(self, messages):
        folder = Path(os.environ["SLOW_MAIL_DIR"])
        for message in messages:
            token = uuid.uuid4().hex
            (folder / f"start-{os.getpid()}-{token}").write_text(message.subject)
            time.sleep(float(os.environ.get("SLOW_MAIL_SECONDS", "3")))
            (folder / f"sent-{token}.eml").write_bytes(message.message().as_bytes())
        return len(messages)
