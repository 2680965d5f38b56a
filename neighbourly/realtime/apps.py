from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "neighbourly.realtime"
    label = "realtime"
    verbose_name = "Real-time: chat, live feed, presence"

    def ready(self):
        from neighbourly.core import plugins
        from neighbourly.realtime import demo, moderation, privacy

        plugins.privacy_handlers.register("realtime", privacy)
        plugins.demo_seeders.register("realtime", demo.seed_demo)
        plugins.moderation_targets.register("message", moderation.MESSAGE)
        from django.contrib.auth.signals import user_logged_out

        # The one signal we use (STYLE.md 9): every way out of a session (the accounts service,
        # the admin, account deletion) ends in django.contrib.auth.logout, which sends it.
        user_logged_out.connect(_close_sockets_on_logout, dispatch_uid="realtime-logout")


def _close_sockets_on_logout(sender, request, user, **kwargs):
    from neighbourly.realtime.services import sockets_close_session

    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if user is not None and session_key:
        sockets_close_session(user_id=user.pk, session_key=session_key)
