"""Writes for groups: create, join/leave, join requests, group moderators, archive, posts.

The group's chat room (a realtime conversation) follows the group's active members: whoever
becomes an active member is added in the same transaction, whoever leaves or is removed is
removed (their open sockets are told at once by realtime).
"""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from neighbourly.communities.selectors import membership_require_verified
from neighbourly.core.errors import ApplicationError, Conflict, NotFound, PermissionDenied
from neighbourly.core.validation import full_clean_or_raise
from neighbourly.feed.services import post_create, post_hide
from neighbourly.groups.models import (
    DESCRIPTION_MAX,
    NAME_MAX,
    Group,
    GroupKind,
    GroupMembership,
    GroupMemberStatus,
    GroupRole,
    GroupVisibility,
)
from neighbourly.notifications.models import Kind
from neighbourly.notifications.services import notification_send
from neighbourly.realtime.models import Conversation
from neighbourly.realtime.services import (
    conversation_create_room,
    conversation_member_add,
    conversation_member_remove,
)


def _require_live(group: Group) -> None:
    if group.is_archived:
        raise PermissionDenied("This group is archived: it is read-only.")


def _require_group_moderator(*, user, group: Group) -> GroupMembership:
    membership = GroupMembership.objects.filter(
        group=group, user=user, status=GroupMemberStatus.ACTIVE, role=GroupRole.MODERATOR
    ).first()
    if membership is None:
        raise PermissionDenied("Only the group's moderators can do that.")
    return membership


def _room(group: Group) -> Conversation | None:
    return Conversation.objects.filter(pk=group.conversation_id).first() if group.conversation_id else None


def _locked(group: Group) -> Group:
    return Group.objects.select_for_update().get(pk=group.pk)


@transaction.atomic
def group_create(
    *, creator, community, name: str, description: str = "", kind: str = GroupKind.INTEREST,
    visibility: str = GroupVisibility.OPEN,
) -> Group:
    """A verified resident starts a group and becomes its first moderator and member; the group's
    chat room opens with them in it."""
    membership_require_verified(user=creator, community=community)
    name, description = (name or "").strip(), (description or "").strip()
    if not name:
        raise ApplicationError("Give the group a name.")
    if len(name) > NAME_MAX:
        raise ApplicationError(f"Group names can be at most {NAME_MAX} characters.")
    if len(description) > DESCRIPTION_MAX:
        raise ApplicationError(f"The description can be at most {DESCRIPTION_MAX} characters.")
    if kind not in GroupKind.values:
        raise ApplicationError(f"A group's kind is one of: {', '.join(GroupKind.values)}.")
    if visibility not in GroupVisibility.values:
        raise ApplicationError(f"A group's visibility is one of: {', '.join(GroupVisibility.values)}.")
    if Group.objects.filter(community=community, name__iexact=name).exists():
        raise Conflict("There is already a group with that name here.")
    group = Group(community=community, name=name, description=description, kind=kind, visibility=visibility,
                  created_by=creator, member_count=1)
    full_clean_or_raise(group, exclude=["community", "created_by", "conversation"])
    try:
        with transaction.atomic():
            group.save()
    except IntegrityError:  # the same name, created concurrently
        raise Conflict("There is already a group with that name here.") from None
    GroupMembership.objects.create(group=group, user=creator, role=GroupRole.MODERATOR,
                                   status=GroupMemberStatus.ACTIVE)
    room = conversation_create_room(community=community, title=name[:120], members=[creator])
    group.conversation = room
    group.save(update_fields=["conversation", "updated_at"])
    return group


def _activate(*, group: Group, membership: GroupMembership) -> None:
    """Make a membership active: count it and add the person to the room."""
    Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    room = _room(group)
    if room is not None:
        conversation_member_add(conversation=room, user=membership.user)


@transaction.atomic
def group_join(*, user, group: Group) -> GroupMembership:
    """Join an open group at once; ask to join a closed one (its moderators are told)."""
    membership_require_verified(user=user, community=group.community)
    group = _locked(group)
    _require_live(group)
    existing = GroupMembership.objects.filter(group=group, user=user).first()
    if existing is not None:
        return existing  # joining twice changes nothing
    status = GroupMemberStatus.PENDING if group.is_closed else GroupMemberStatus.ACTIVE
    membership = GroupMembership.objects.create(group=group, user=user, status=status)
    if status == GroupMemberStatus.ACTIVE:
        _activate(group=group, membership=membership)
        return membership
    name = user.profile.display_name
    url = reverse("groups:detail", kwargs={"group_id": group.pk})
    moderators = GroupMembership.objects.filter(
        group=group, status=GroupMemberStatus.ACTIVE, role=GroupRole.MODERATOR
    ).select_related("user")
    for moderator in moderators:
        notification_send(recipient=moderator.user, kind=Kind.GROUP, title=f"{name} asks to join {group.name}",
                          body="Approve or decline the request on the group's page.", url=url)
    return membership


@transaction.atomic
def group_request_decide(*, moderator, group: Group, user_id: int, approve: bool) -> GroupMembership | None:
    """A group moderator approves or declines a join request. Nobody else can."""
    group = _locked(group)
    _require_live(group)
    _require_group_moderator(user=moderator, group=group)
    request = (
        GroupMembership.objects.filter(group=group, user_id=user_id, status=GroupMemberStatus.PENDING)
        .select_related("user").first()
    )
    if request is None:
        raise NotFound("No such join request.")
    url = reverse("groups:detail", kwargs={"group_id": group.pk})
    if not approve:
        request.delete()
        notification_send(recipient=request.user, kind=Kind.GROUP, title=f"Your request to join {group.name} was declined",
                          url=url)
        return None
    request.status, request.decided_by = GroupMemberStatus.ACTIVE, moderator
    request.save(update_fields=["status", "decided_by", "updated_at"])
    _activate(group=group, membership=request)
    notification_send(recipient=request.user, kind=Kind.GROUP, title=f"Welcome to {group.name}",
                      body="Your request to join was approved.", url=url)
    return request


def _deactivate(*, group: Group, membership: GroupMembership) -> None:
    was_active = membership.status == GroupMemberStatus.ACTIVE
    membership.delete()
    if was_active:
        Group.objects.filter(pk=group.pk).update(member_count=F("member_count") - 1)
        room = _room(group)
        if room is not None:
            conversation_member_remove(conversation=room, user=membership.user)


@transaction.atomic
def group_leave(*, user, group: Group) -> None:
    """Leave a group (or withdraw a join request). The last moderator cannot leave a group that
    still has members: they appoint another moderator first."""
    group = _locked(group)
    membership = GroupMembership.objects.filter(group=group, user=user).select_related("user").first()
    if membership is None:
        raise NotFound("You are not in this group.")
    if membership.is_moderator and group.member_count > 1:
        others = GroupMembership.objects.filter(
            group=group, status=GroupMemberStatus.ACTIVE, role=GroupRole.MODERATOR
        ).exclude(pk=membership.pk)
        if not others.exists():
            raise ApplicationError("You are the group's only moderator: appoint another before you leave.")
    _deactivate(group=group, membership=membership)


@transaction.atomic
def group_member_remove(*, moderator, group: Group, user_id: int) -> None:
    group = _locked(group)
    _require_live(group)
    _require_group_moderator(user=moderator, group=group)
    if user_id == moderator.pk:
        raise ApplicationError("To leave the group yourself, use 'Leave group'.")
    membership = GroupMembership.objects.filter(group=group, user_id=user_id).select_related("user").first()
    if membership is None:
        raise NotFound("No such member.")
    _deactivate(group=group, membership=membership)


@transaction.atomic
def group_moderator_appoint(*, moderator, group: Group, user_id: int) -> GroupMembership:
    group = _locked(group)
    _require_live(group)
    _require_group_moderator(user=moderator, group=group)
    membership = GroupMembership.objects.filter(
        group=group, user_id=user_id, status=GroupMemberStatus.ACTIVE
    ).select_related("user").first()
    if membership is None:
        raise NotFound("Only a member of the group can become one of its moderators.")
    if membership.role != GroupRole.MODERATOR:
        membership.role = GroupRole.MODERATOR
        membership.save(update_fields=["role", "updated_at"])
        notification_send(recipient=membership.user, kind=Kind.GROUP,
                          title=f"You are now a moderator of {group.name}",
                          url=reverse("groups:detail", kwargs={"group_id": group.pk}))
    return membership


@transaction.atomic
def group_archive(*, moderator, group: Group) -> Group:
    """Archive a group: it stays readable by those who could read it, and nothing more can be
    posted, joined, or changed."""
    group = _locked(group)
    _require_group_moderator(user=moderator, group=group)
    if group.archived_at is None:
        group.archived_at = timezone.now()
        group.save(update_fields=["archived_at", "updated_at"])
    return group


def group_post_create(*, author, group: Group, **post_fields):
    """A member posts in the group's feed: the feed's post kinds and rules, scoped to the group.
    `group` comes from group_get_for_viewer(viewer=author)."""
    _require_live(group)
    if not group.is_member:
        raise NotFound() if not group.can_read else PermissionDenied("Join the group to post in it.")
    return post_create(author=author, community=group.community, group=group, **post_fields)


@transaction.atomic
def group_post_remove(*, moderator, group: Group, post) -> None:
    """A group moderator takes a post out of the group's feed. `post` from post_get_for_viewer."""
    if post.group_id != group.pk:
        raise NotFound()
    _require_live(group)
    _require_group_moderator(user=moderator, group=group)
    post_hide(post=post)
