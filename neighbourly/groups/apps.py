from django.apps import AppConfig


class GroupsConfig(AppConfig):
    name = "neighbourly.groups"
    label = "groups"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from neighbourly.communities.neighbours import card_shared
        from neighbourly.core import plugins
        from neighbourly.feed.selectors import post_scope_access
        from neighbourly.groups import demo, moderation, privacy
        from neighbourly.groups.selectors import group_post_access, groups_in_common

        plugins.privacy_handlers.register("groups", privacy)
        plugins.demo_seeders.register("groups", demo.seed_demo)
        plugins.moderation_targets.register("group", moderation.GROUP)
        post_scope_access.register("group", group_post_access)
        card_shared.register("groups_in_common", groups_in_common)
