"""Benchmark server settings: the production settings plus a hello-world reference view."""

from neighbourly.settings import *  # noqa: F401,F403

ROOT_URLCONF = "feed_bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The HTML page's query count is measured without running collectstatic first.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
