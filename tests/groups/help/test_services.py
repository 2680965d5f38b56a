from decimal import Decimal

import pytest

from neighbourly.core.errors import ApplicationError, NotFound, PermissionDenied
from neighbourly.groups.help import services as help_services
from neighbourly.groups.help.selectors import help_hours_totals
from neighbourly.groups.models import HelpListing, HelpMatch, HoursEntry
from neighbourly.realtime.models import Conversation, ConversationMember
from tests.groups.conftest import listing
from tests.groups.help.conftest import accepted_match, pair

pytestmark = pytest.mark.django_db


def test_accept_opens_exactly_one_conversation(resident):
    margaret, oliver, request, offer = pair(resident)
    before = Conversation.objects.count()
    match = help_services.help_match_accept(actor=margaret.user, listing=request, match_id=offer.pk)
    again = help_services.help_match_accept(actor=margaret.user, listing=request, match_id=offer.pk)
    from_other_side = help_services.help_match_accept(actor=oliver.user, listing=offer, match_id=request.pk)
    assert match.pk == again.pk == from_other_side.pk
    assert Conversation.objects.count() == before + 1
    assert set(ConversationMember.objects.filter(conversation_id=match.conversation_id).values_list("user_id", flat=True)) \
        == {margaret.user_id, oliver.user_id}
    assert (match.helper_id, match.helped_id) == (oliver.user_id, margaret.user_id)
    assert HelpListing.objects.get(pk=request.pk).status == "matched"
    assert HelpListing.objects.get(pk=offer.pk).status == "open"


def test_accept_someone_elses_listing_or_mismatch_is_refused(resident):
    margaret, _oliver, request, offer = pair(resident)
    gardener = listing(resident(), kind="offer", category="gardening")
    with pytest.raises(NotFound):
        help_services.help_match_accept(actor=margaret.user, listing=request, match_id=gardener.pk)
    stranger = resident()
    with pytest.raises(PermissionDenied):
        help_services.help_match_accept(actor=stranger.user, listing=request, match_id=offer.pk)
    assert HelpMatch.objects.exists() is False


def test_hours_need_both_confirmations(resident):
    margaret, oliver, match = accepted_match(resident)
    entry = help_services.help_hours_confirm(user=oliver.user, match=match, hours="1")
    assert entry.status == "proposed"
    assert help_hours_totals(user=oliver.user, community=oliver.community) == {"given": 0, "received": 0}
    entry = help_services.help_hours_confirm(user=oliver.user, match=match, hours="1")  # the same side again
    assert entry.status == "proposed"
    entry = help_services.help_hours_confirm(user=margaret.user, match=match, hours="1.00")
    assert entry.status == "confirmed"
    assert help_hours_totals(user=oliver.user, community=oliver.community) == {"given": Decimal(1), "received": 0}
    assert help_hours_totals(user=margaret.user, community=oliver.community) == {"given": 0, "received": Decimal(1)}


def test_a_different_figure_replaces_the_proposal(resident):
    margaret, oliver, match = accepted_match(resident)
    help_services.help_hours_confirm(user=oliver.user, match=match, hours="2")
    entry = help_services.help_hours_confirm(user=margaret.user, match=match, hours="1.5")
    assert (entry.status, entry.hours, entry.helper_confirmed, entry.helped_confirmed) == \
        ("proposed", Decimal("1.50"), False, True)
    entry = help_services.help_hours_confirm(user=oliver.user, match=match, hours="1.5")
    assert entry.status == "confirmed"
    assert HoursEntry.objects.count() == 1


@pytest.mark.parametrize("hours", ["-1", "0", "12.5", "1000000", "1.1", "NaN", "abc", "Infinity"])
def test_hours_cannot_be_negative_or_huge(resident, hours):
    _margaret, oliver, match = accepted_match(resident)
    with pytest.raises(ApplicationError):
        help_services.help_hours_confirm(user=oliver.user, match=match, hours=hours)
    assert HoursEntry.objects.exists() is False


def test_outsider_cannot_record_hours(resident):
    _margaret, _oliver, match = accepted_match(resident)
    with pytest.raises(NotFound):
        help_services.help_hours_confirm(user=resident().user, match=match, hours="1")
    assert HoursEntry.objects.exists() is False
