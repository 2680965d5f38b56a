"""The `neighbourly` command: run and operate a Neighbourly server."""

import argparse
import contextlib
import hashlib
import io
import logging
import os
from pathlib import Path
import sys


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "neighbourly.settings")
    import django

    django.setup()


def _call(command_name: str, *args, **kwargs) -> None:
    from django.core.management import call_command

    call_command(command_name, *args, **kwargs)


def serve_url(host: str, port: int) -> str:
    """The address people open for `serve --host H --port P` (localhost for loopback and any-address)."""
    if host in ("127.0.0.1", "0.0.0.0", "::", "::1", "localhost", ""):
        host = "localhost"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def prepare_serve_environment(opts) -> None:
    """Before Django loads settings: DEBUG only with --dev, SITE_URL defaulting to what we bind."""
    if opts.dev:
        os.environ["DEBUG"] = "true"
    if not os.environ.get("SITE_URL") and not os.environ.get("NEIGHBOURLY_BASE_URL"):
        os.environ["SITE_URL"] = serve_url(opts.host, opts.port)


def _static_fingerprint() -> str:
    """A digest of every static source file's path, size and mtime, and of the storage in use."""
    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    digest = hashlib.sha256(settings.STORAGES["staticfiles"]["BACKEND"].encode())
    for finder in get_finders():
        for path, storage in finder.list([]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect_static_if_changed(verbosity: int) -> None:
    """collectstatic into the data dir, skipped when nothing changed since the last start (it
    compresses and fingerprints ~600 files, several seconds on a small machine)."""
    from django.conf import settings

    stamp = Path(settings.STATIC_ROOT) / ".neighbourly-fingerprint"
    fingerprint = _static_fingerprint()
    if stamp.exists() and stamp.read_text() == fingerprint:
        return
    _call("collectstatic", interactive=False, verbosity=verbosity)
    stamp.write_text(fingerprint)


def banner(*, url: str, demo_logins, demo_password: str, data_dir, database: str, debug: bool) -> str:
    lines = ["", f"Data: {data_dir}   database: {database}   DEBUG: {'on (--dev)' if debug else 'off'}"]
    if demo_logins:
        lines += ["", f"Demo logins (password: {demo_password}):"]
        lines += [f"  {login.email:<36} {login.what}" for login in demo_logins]
    lines += ["", f"Neighbourly is running at {url}/", "Press Ctrl+C to stop.", ""]
    return "\n".join(lines)


def _quiet_logging() -> None:
    """Start-up chatter (migrations, demo seeding with its task logs and e-mails, daphne's
    endpoint lines) only with --verbose: the address and the logins are what a person needs."""
    logging.getLogger().setLevel(logging.WARNING)
    logging.getLogger("daphne").setLevel(logging.WARNING)
    logging.getLogger("kombu.connection").setLevel(logging.ERROR)  # "no hostname" for memory://


def cmd_serve(opts) -> None:
    from django.conf import settings

    quiet = not opts.verbose
    if quiet:
        _quiet_logging()
    noise = io.StringIO()
    with contextlib.redirect_stdout(noise) if quiet else contextlib.nullcontext():
        _call("migrate", interactive=False, verbosity=1 if opts.verbose else 0)
        collect_static_if_changed(verbosity=1 if opts.verbose else 0)
        from neighbourly.accounts.models import User
        from neighbourly.communities.models import Community
        from neighbourly.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_exists, demo_seed

        if not Community.objects.exists() and not User.objects.exists():
            print("Empty database: seeding the demo neighbourhood…", file=sys.__stdout__, flush=True)
            demo_seed()
    text = banner(
        url=settings.SITE_URL, demo_logins=DEMO_LOGINS if demo_exists() else [], demo_password=DEMO_PASSWORD,
        data_dir=settings.DATA_DIR, database=settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        debug=settings.DEBUG,
    )
    if settings.CELERY_TASK_ALWAYS_EAGER:  # no worker or beat: retry held-back work in-process
        from neighbourly.communities.services import membership_suspensions_lift_elapsed
        from neighbourly.core.outbox import start_embedded_drainer

        # and end elapsed suspensions (beat's moderation-lift-elapsed-suspensions; reads only report them)
        start_embedded_drainer(also=[membership_suspensions_lift_elapsed])
    run_daphne(opts, ready=lambda: print(text, flush=True))


def run_daphne(opts, ready) -> None:
    """daphne in this process, with the request-size cap applied while the body streams in
    (neighbourly/core/daphne_limits.py) and no --proxy-headers: the ASGI layer trusts only
    PROXY_COUNT proxies. `ready` runs once the port is bound, so the banner comes last."""
    from daphne.access import AccessLogGenerator
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server

    from neighbourly.core import daphne_limits

    daphne_limits.install()
    if not opts.verbose:
        _quiet_logging()  # again: configuring Celery and daphne may have reset levels
    from neighbourly.asgi import application

    Server(
        application=application,
        endpoints=build_endpoint_description_strings(host=opts.host, port=opts.port),
        action_logger=AccessLogGenerator(sys.stdout) if opts.verbose else None,
        verbosity=1 if opts.verbose else 0,
        ready_callable=ready,
    ).run()


def cmd_celery(kind: str, extra: list[str]) -> None:
    from neighbourly.celery import app

    app.start([kind, "--loglevel=INFO", *extra])


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="neighbourly", description="Run and operate a Neighbourly server.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="migrate, seed the demo if empty, serve HTTP and WebSocket")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--dev", action="store_true", help="development: DEBUG on (never on a public address)")
    serve.add_argument("--verbose", action="store_true", help="show start-up logs, e-mails and every request")

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
    grant.add_argument("--unconfirmed-ok", action="store_true",
                       help="appoint even though the account has not confirmed its e-mail address")

    for name, text in (("worker", "run a Celery worker (scale-out mode)"), ("beat", "run the Celery scheduler")):
        p = sub.add_parser(name, help=text)
        p.add_argument("celery_args", nargs=argparse.REMAINDER)

    manage = sub.add_parser("manage", help="run any Django management command")
    manage.add_argument("manage_args", nargs=argparse.REMAINDER)
    return parser


def main(argv: list[str] | None = None) -> int:
    opts = build_parser().parse_args(argv)
    if opts.command == "serve":
        prepare_serve_environment(opts)
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
            _call("grant_role", email=opts.email, community=opts.community, role=opts.role,
                  unconfirmed_ok=opts.unconfirmed_ok)
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
