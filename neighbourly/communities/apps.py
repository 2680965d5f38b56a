from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "neighbourly.communities"
    label = "communities"

    def ready(self):
        from neighbourly.accounts.selectors import me_parts
        from neighbourly.communities import privacy
        from neighbourly.communities.selectors import membership_list_for_me
        from neighbourly.core import plugins

        plugins.privacy_handlers.register("communities", privacy)
        me_parts.register("memberships", membership_list_for_me)
