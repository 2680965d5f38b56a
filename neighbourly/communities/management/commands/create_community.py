import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from neighbourly.communities.services import community_create
from neighbourly.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Create a community from a GeoJSON boundary file."

    def add_arguments(self, parser):
        parser.add_argument("--slug", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--boundary", required=True, help="GeoJSON file: Polygon, MultiPolygon or one Feature")
        parser.add_argument("--nearby", default="", help="comma-separated slugs of existing nearby communities")

    def handle(self, *args, slug, name, boundary, nearby, **options):
        path = Path(boundary)
        if not path.is_file():
            raise CommandError(f"Boundary file not found: {path}")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path} is not valid GeoJSON: {exc}") from exc
        try:
            community = community_create(slug=slug, name=name, boundary=data, nearby_slugs=nearby.split(","))
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created community '{community.slug}' ({community.name}).")
