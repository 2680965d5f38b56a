from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "neighbourly.realtime"
    label = "realtime"
    verbose_name = "Real-time: chat, live feed, presence"
