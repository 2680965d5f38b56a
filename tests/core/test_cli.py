"""The `neighbourly` command: clear errors and a non-zero exit for bad input, never a traceback."""

import json
import os

import pytest

from neighbourly.cli import main
from neighbourly.communities.models import Address, Community, Membership
from tests.accounts.factories import UserFactory
from tests.communities.factories import CommunityFactory, square

pytestmark = pytest.mark.django_db


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_create_community_and_import_addresses(tmp_path, capsys):
    boundary = write(tmp_path, "b.geojson", json.dumps(square(0.0, 50.0)))
    assert main(["create-community", "--slug", "north", "--name", "North", "--boundary", boundary]) == 0
    assert main(["create-community", "--slug", "south", "--name", "South", "--boundary",
                 write(tmp_path, "s.geojson", json.dumps(square(0.0, 49.0))), "--nearby", "north"]) == 0
    csv_path = write(tmp_path, "a.csv", "LON,LAT,NUMBER,STREET,UNIT,CITY,POSTCODE\n"
                     "0.005,50.005,1,Elm St,,Town,\n0.005,50.005,1,Elm Street,,Town,\n9,9,2,Far Rd,,,\n")
    assert main(["import-addresses", csv_path]) == 0
    out = capsys.readouterr().out
    assert "1 imported, 1 duplicates, 1 outside every community, 0 invalid" in out
    assert list(Community.objects.get(slug="south").nearby.values_list("slug", flat=True)) == ["north"]
    assert Address.objects.count() == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["import-addresses", "/no/such/file.csv"], "Address file not found"),
        (["create-community", "--slug", "x", "--name", "X", "--boundary", "/no/such.geojson"], "not found"),
        (["grant-role", "--email", "nobody@example.org", "--community", "x", "--role", "moderator"], "No user"),
    ],
)
def test_missing_things_exit_1_with_a_clear_message(argv, message, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_files_exit_1(tmp_path, capsys):
    assert main(["create-community", "--slug", "x", "--name", "X", "--boundary",
                 write(tmp_path, "bad.geojson", "{not json")]) == 1
    assert main(["create-community", "--slug", "x", "--name", "X", "--boundary",
                 write(tmp_path, "pt.geojson", '{"type": "Point", "coordinates": [0, 0]}')]) == 1
    assert main(["import-addresses", write(tmp_path, "cols.csv", "LON,LAT\n1,2\n")]) == 1
    assert main(["import-addresses", str(tmp_path / "bin.csv")]) == 1
    (tmp_path / "latin.csv").write_bytes(b"LON,LAT,NUMBER,STREET\n1,2,3,Stra\xdfe\n")
    assert main(["import-addresses", str(tmp_path / "latin.csv")]) == 1
    err = capsys.readouterr().err
    assert "not valid GeoJSON" in err and "Polygon or MultiPolygon" in err and "lacks the columns" in err
    assert "not a readable UTF-8 CSV" in err and "Traceback" not in err
    assert Community.objects.exists() is False


def test_grant_role(capsys):
    user = UserFactory(email="mod@example.org")
    community = CommunityFactory(slug="north")
    assert main(["grant-role", "--email", "MOD@example.org", "--community", "north", "--role", "moderator"]) == 0
    assert Membership.objects.get(user=user, community=community).role == "moderator"
    assert main(["grant-role", "--email", "mod@example.org", "--community", "nowhere", "--role", "moderator"]) == 1


def test_grant_role_refuses_an_unconfirmed_email_unless_told(capsys):
    """Anyone can sign up with the manager's address before the manager does: not theirs until confirmed."""
    user = UserFactory(email="manager@example.org", email_confirmed_at=None)
    community = CommunityFactory(slug="north")
    argv = ["grant-role", "--email", "manager@example.org", "--community", "north", "--role", "property_manager"]
    assert main(argv) == 1
    assert "has not confirmed" in capsys.readouterr().err
    assert Membership.objects.filter(user=user, community=community).exists() is False
    assert main([*argv, "--unconfirmed-ok"]) == 0
    assert Membership.objects.get(user=user, community=community).role == "property_manager"


def test_unknown_role_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["grant-role", "--email", "a@b.c", "--community", "x", "--role", "king"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'king'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["serve", "--port", "9123"], {}, {"SITE_URL": "http://localhost:9123", "DEBUG": None}),
        (["serve", "--host", "192.168.1.20", "--port", "80", "--dev"], {},
         {"SITE_URL": "http://192.168.1.20:80", "DEBUG": "true"}),
        (["serve", "--host", "::1"], {}, {"SITE_URL": "http://localhost:8000"}),
        (["serve", "--port", "9123"], {"SITE_URL": "https://hood.example.org"}, {"SITE_URL": "https://hood.example.org"}),
        (["serve", "--port", "9123"], {"NEIGHBOURLY_BASE_URL": "https://old.example.org"}, {"SITE_URL": None}),
    ],
)
def test_serve_points_site_url_at_what_it_binds_and_debug_only_with_dev(argv, env, expected, monkeypatch):
    """E-mail links and the socket origin follow `serve --host/--port`, not localhost:8000."""
    from neighbourly.cli import build_parser, prepare_serve_environment

    for name in ("SITE_URL", "NEIGHBOURLY_BASE_URL", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    prepare_serve_environment(build_parser().parse_args(argv))
    for name, value in expected.items():
        assert os.environ.get(name) == value
