"""Control characters in single-line fields: stripped at the service layer for every kind of field,
and no stored text can ever break an e-mail's headers."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from neighbourly.accounts.services import profile_update, user_create
from neighbourly.core.text import multi_line, single_line
from neighbourly.feed.services import post_create
from neighbourly.groups.services import group_create
from neighbourly.merchants.services import business_create, offer_publish
from neighbourly.notifications.models import Kind, Notification
from neighbourly.notifications.services import notification_send
from neighbourly.realtime.services import conversation_create_room
from tests.accounts.factories import UserFactory
from tests.merchants.factories import make_business

EVIL = "Bob\r\nBcc: victim@example.org\tx\u202e\u200b"


def test_single_line_drops_every_control_and_format_character():
    assert single_line(EVIL) == "Bob Bcc: victim@example.org x"
    assert single_line("\x00\x1b[31mred\x7f") == "[31mred"
    assert single_line("a\u2028b\u2029c\x85d") == "a b c d"
    assert single_line("👩\u200d👩\u200d👧") == "👩\u200d👩\u200d👧"  # the joiner in emoji sequences stays


def test_multi_line_keeps_line_breaks_and_tabs_only():
    assert multi_line("one\r\ntwo\rthree\tfour\x00\u202e") == "one\ntwo\nthree\tfour"


@pytest.mark.django_db
def test_display_name_on_sign_up_and_edit():
    user = user_create(email="bob@example.org", password="a long passphrase 42", display_name=EVIL)
    assert user.profile.display_name == "Bob Bcc: victim@example.org x"
    profile = profile_update(user=user, display_name="Ann\nSmith", bio="line one\nline two\x07")
    assert profile.display_name == "Ann Smith"
    assert profile.bio == "line one\nline two"  # a multi-line field keeps its line breaks


@pytest.mark.django_db
def test_post_title_body_and_poll_options(member, community):
    post = post_create(author=member.user, community=community, kind="general", title="Lost\r\ncat",
                       body="Black\nand white")
    post.refresh_from_db()
    assert (post.title, post.body) == ("Lost cat", "Black\nand white")
    poll = post_create(author=member.user, community=community, kind="poll", title="Bins?",
                       poll_options=["Mon\nday", "Tues\u202eday"])
    poll.refresh_from_db()
    assert poll.poll_options == ["Mon day", "Tues day"]


@pytest.mark.django_db
def test_group_name_and_its_room_title(member, community):
    group = group_create(creator=member.user, community=community, name="Book\nclub\x1b")
    group.refresh_from_db()
    assert group.name == "Book club"
    assert group.conversation.title == "Book club"


@pytest.mark.django_db
def test_room_title(member, community):
    room = conversation_create_room(community=community, title="Street\r\nparty", members=[member.user])
    assert room.title == "Street party"


@pytest.mark.django_db
def test_business_name_and_offer_title(community):
    owner = UserFactory()
    business = business_create(user=owner, name="Corner\nShop", category="shop", address="1 High\tStreet",
                               community_slugs=[community.slug], opening_hours="Mon 9-5\nTue 9-5")
    business.refresh_from_db()
    assert (business.name, business.address, business.opening_hours) == (
        "Corner Shop", "1 High Street", "Mon 9-5\nTue 9-5")
    verified = make_business(owner=owner, communities=[community])
    offer = offer_publish(business=verified, actor=owner, title="Free\r\ncoffee", body="Cake", starts_at=None,
                          ends_at=timezone.now() + timedelta(days=1), community_slugs=[community.slug],
                          max_claims=3)
    assert offer.title == "Free coffee"


@pytest.mark.django_db
def test_a_line_break_in_a_notification_title_still_sends_one_clean_email(
    member, django_capture_on_commit_callbacks
):
    """Old code: Django raised BadHeaderError after the action was saved, the e-mail was lost."""
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(recipient=member.user, kind=Kind.VERIFICATION,
                          title="Claim for Flat 1\nBcc: x@example.org")
    assert len(mail.outbox) == 1
    assert "\n" not in mail.outbox[0].subject
    assert mail.outbox[0].subject.endswith("Claim for Flat 1 Bcc: x@example.org")
    assert mail.outbox[0].bcc == []


@pytest.mark.django_db
def test_subject_is_one_line_even_for_text_stored_before_the_fix(member):
    """Rows written before the cleaning existed (bulk update bypasses services) still send."""
    notification = notification_send(recipient=member.user, kind=Kind.REACTION, title="ok")  # never e-mailed
    Notification.objects.filter(pk=notification.pk).update(title="Old\r\nrow")
    from neighbourly.notifications.services import notification_email

    mail.outbox.clear()
    assert notification_email(notification_id=notification.pk) is True
    assert mail.outbox[0].subject.endswith("Old row")
