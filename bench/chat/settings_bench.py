"""Neighbourly's own settings for the chat benchmark: DEBUG off, per-user limits lifted so one
sender can burst (the limits are policy, not what the benchmark measures)."""

from neighbourly.settings import *  # noqa: F403

NEIGHBOURLY_CHAT_RATE_MESSAGES = 10**9
NEIGHBOURLY_WS_FRAMES_PER_S = 10.0**9
NEIGHBOURLY_WS_FRAME_BURST = 10**9
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
