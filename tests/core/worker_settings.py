"""Settings for the Celery worker subprocesses of the worker-kill test: production settings from the
environment, with the slow file mail backend."""

from neighbourly.settings import *

EMAIL_BACKEND = "tests.core.slow_mail.SlowFileBackend"
