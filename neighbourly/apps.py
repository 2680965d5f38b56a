from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project shell (the top layer, docs/architecture.md): site-wide pages, the demo
    neighbourhood and its `seed_demo` command. It has no models."""

    name = "neighbourly"
    label = "site"
    verbose_name = "Neighbourly"
