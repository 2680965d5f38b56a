"""The `neighbourly` command: run and operate a Neighbourly server."""

import argparse
import os
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neighbourly.settings")
    import django

    django.setup()


def _call(command_name: str, *args, **kwargs) -> None:
    from django.core.management import call_command

    call_command(command_name, *args, **kwargs)


def cmd_serve(opts) -> None:
    from django.conf import settings

    _call("migrate", interactive=False, verbosity=0)
    _call("collectstatic", interactive=False, verbosity=0)
    from neighbourly.accounts.models import User
    from neighbourly.communities.models import Community
    from neighbourly.core.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_exists, demo_seed

    if not Community.objects.exists() and not User.objects.exists():
        print("Empty database: seeding the demo neighbourhood…", flush=True)
        demo_seed()
    url = f"http://{'localhost' if opts.host in ('127.0.0.1', '0.0.0.0') else opts.host}:{opts.port}/"
    print(f"\nNeighbourly is running at {url}", flush=True)
    print(f"Data: {settings.DATA_DIR}   DEBUG={settings.DEBUG}   database: {settings.DATABASES['default']['ENGINE']}")
    if demo_exists():
        print(f"Demo logins (password: {DEMO_PASSWORD}):")
        for login in DEMO_LOGINS:
            print(f"  {login.email:<36} {login.what}")
    if settings.CELERY_TASK_ALWAYS_EAGER:  # no worker or beat: retry held-back work in-process
        from neighbourly.core.outbox import start_embedded_drainer

        start_embedded_drainer()
    print("Press Ctrl+C to stop.\n", flush=True)
    from daphne.cli import CommandLineInterface

    CommandLineInterface().run(
        ["--bind", opts.host, "--port", str(opts.port), "--proxy-headers", "neighbourly.asgi:application"]
    )


def cmd_celery(kind: str, extra: list[str]) -> None:
    from neighbourly.celery import app

    app.start([kind, "--loglevel=INFO", *extra])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neighbourly", description="Run and operate a Neighbourly server.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="migrate, seed the demo if empty, serve HTTP and WebSocket")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)

    sub.add_parser("seed-demo", help="(re)create the demo communities, residents, posts and merchants")

    create = sub.add_parser("create-community", help="create a community from a GeoJSON boundary")
    create.add_argument("--slug", required=True)
    create.add_argument("--name", required=True)
    create.add_argument("--boundary", required=True, metavar="FILE.geojson")
    create.add_argument("--nearby", default="", metavar="S2,S3")

    imp = sub.add_parser("import-addresses", help="import an OpenAddresses CSV into the register")
    imp.add_argument("file", metavar="FILE.csv")

    grant = sub.add_parser("grant-role", help="appoint a moderator or property manager")
    grant.add_argument("--email", required=True)
    grant.add_argument("--community", required=True, metavar="SLUG")
    grant.add_argument("--role", required=True, choices=["moderator", "property_manager", "resident"])

    for name, text in (("worker", "run a Celery worker (scale-out mode)"), ("beat", "run the Celery scheduler")):
        p = sub.add_parser(name, help=text)
        p.add_argument("celery_args", nargs=argparse.REMAINDER)

    manage = sub.add_parser("manage", help="run any Django management command")
    manage.add_argument("manage_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    opts = build_parser().parse_args(argv)
    _setup_django()
    from django.core.management import CommandError, execute_from_command_line

    from neighbourly.core.errors import ApplicationError

    try:
        if opts.command == "serve":
            cmd_serve(opts)
        elif opts.command == "seed-demo":
            _call("seed_demo")
        elif opts.command == "create-community":
            _call("create_community", slug=opts.slug, name=opts.name, boundary=opts.boundary, nearby=opts.nearby)
        elif opts.command == "import-addresses":
            _call("import_addresses", opts.file)
        elif opts.command == "grant-role":
            _call("grant_role", email=opts.email, community=opts.community, role=opts.role)
        elif opts.command in ("worker", "beat"):
            cmd_celery(opts.command, opts.celery_args)
        elif opts.command == "manage":
            execute_from_command_line(["neighbourly manage", *opts.manage_args])
    except (CommandError, ApplicationError) as exc:
        print(f"neighbourly {opts.command}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
