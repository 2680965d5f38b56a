"""A suspended member is refused on the socket too: the realtime access checks go through the
communities selectors and the membership status."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from neighbourly.communities.services import membership_suspend
from neighbourly.realtime.models import Message
from tests.communities.factories import MembershipFactory
from tests.realtime.conftest import connect, hub, subscribe  # noqa: F401 - fixtures
from tests.realtime.factories import room_with

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


def _suspend(membership):
    membership_suspend(membership=membership, until=timezone.now() + timedelta(days=2))


async def test_suspended_member_cannot_subscribe_or_chat(member, connect):  # noqa: F811
    neighbour = await sync_to_async(MembershipFactory)(community=member.community, verified=True)
    room = await sync_to_async(room_with)(member.community, member.user, neighbour.user)
    await sync_to_async(_suspend)(member)
    ws = await connect(member.user)
    refused = await subscribe(ws, f"community:{member.community.slug}")
    assert refused["type"] == "error" and refused["code"] in ("not_found", "forbidden")
    assert (await subscribe(ws, f"conversation:{room.id}"))["code"] == "not_found"
    await ws.send_json_to({"type": "chat.send", "conversation": room.id, "body": "let me in", "client_id": "s1"})
    assert (await ws.receive_json_from())["type"] == "error"
    assert await sync_to_async(Message.objects.count)() == 0
