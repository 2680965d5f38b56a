import pytest

from neighbourly.groups.help import services as help_services
from tests.groups.conftest import listing

pytestmark = pytest.mark.django_db


def test_match_page_confirms_hours(resident, client):
    margaret, oliver = resident(age_band="80+"), resident(age_band="18-24")
    request = listing(margaret)
    offer = listing(oliver, kind="offer")
    match = help_services.help_match_accept(actor=margaret.user, listing=request, match_id=offer.pk)
    client.force_login(oliver.user)
    assert client.post(f"/help/matches/{match.pk}/", {"hours": "-1"}).status_code == 400
    assert client.post(f"/help/matches/{match.pk}/", {"hours": "1"}).status_code == 302
    client.force_login(margaret.user)
    page = client.get(f"/help/matches/{match.pk}/").content.decode()
    assert "recorded 1 hours" in page
