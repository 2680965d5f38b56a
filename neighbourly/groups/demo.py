"""Demo groups and help exchange: an interest group, an intergenerational group whose mix shows
(more than five members stated an age band), and open help listings that match each other
(Margaret, a retiree, asks for phone help; Oliver, a student, offers tech help)."""

from datetime import timedelta

from django.utils import timezone

from neighbourly.accounts.services import profile_update, user_create
from neighbourly.communities.selectors import address_search
from neighbourly.communities.services import membership_start, membership_verify
from neighbourly.core.plugins import DEMO_DOMAIN, DEMO_PASSWORD
from neighbourly.feed.services import EventDetails
from neighbourly.groups import services
from neighbourly.groups.help import services as help_services
from neighbourly.groups.selectors import group_get_for_viewer

AGE_BANDS = {"margaret": "80+", "oliver": "18-24", "sofia": "25-34", "resident": "35-49", "moderator": "50-64"}
EXTRA_PEOPLE = [  # local part, name, typed address, age band
    ("arthur", "Arthur Penn", "12 Elm Street", "65-79"),
    ("maya", "Maya Chen", "9 Oak Road", "18-24"),
]


def _extra_people(context) -> None:
    millbrook = context.communities["millbrook"]
    for local, name, typed, band in EXTRA_PEOPLE:
        addresses = [a for a in address_search(query=typed) if a.community_id == millbrook.id]
        if not addresses:
            continue  # the register changed: the demo still works with the base people
        user = user_create(email=f"{local}@{DEMO_DOMAIN}", password=DEMO_PASSWORD, display_name=name, email_confirmed=True)
        membership_verify(membership=membership_start(user=user, address=addresses[0]))
        profile_update(user=user, age_band=band)
        context.users[local] = user


def seed_demo(context) -> None:
    u, millbrook = context.users, context.communities["millbrook"]
    for local, band in AGE_BANDS.items():
        profile_update(user=u[local], age_band=band)
    _extra_people(context)

    gardeners = services.group_create(
        creator=u["sofia"], community=millbrook, name="Millbrook Gardeners",
        description="Seed swaps, allotment tips and the odd bit of weeding together.",
    )
    for local in ("resident", "margaret", "arthur"):
        if local in u:
            services.group_join(user=u[local], group=gardeners)
    tea = services.group_create(
        creator=u["moderator"], community=millbrook, name="Tea & Tech",
        description="Young and old together: a cuppa, a chat, and help with phones and tablets.",
        kind="intergenerational", visibility="closed",
    )
    for local in ("margaret", "oliver", "sofia", "resident", "arthur", "maya"):
        if local in u:
            membership = services.group_join(user=u[local], group=tea)
            services.group_request_decide(moderator=u["moderator"], group=tea, user_id=membership.user_id,
                                          approve=True)
    viewer_tea = group_get_for_viewer(viewer=u["moderator"], group_id=tea.pk)
    starts = (timezone.now() + timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)
    services.group_post_create(
        author=u["moderator"], group=viewer_tea, kind="event", title="Tea & Tech afternoon at the library",
        body="Bring your phone or tablet and your questions. Tea and biscuits provided.",
        event=EventDetails(starts, starts + timedelta(hours=2), "Millbrook Library, community room"),
    )
    viewer_gardeners = group_get_for_viewer(viewer=u["sofia"], group_id=gardeners.pk)
    services.group_post_create(author=u["sofia"], group=viewer_gardeners, kind="general",
                               title="Tomato seedlings to share",
                               body="I have a dozen spare seedlings: who wants some?")

    listing = help_services.help_listing_create
    listing(actor=u["margaret"], community=millbrook, kind="request", category="tech",
            description="My grandson sent me a new phone. Could someone show me video calls and photos?",
            availability=["weekday_daytime"])
    listing(actor=u["oliver"], community=millbrook, kind="offer", category="tech",
            description="Student, patient with phones, tablets and laptops. Happy to pop round.",
            availability=["weekday_daytime", "weekends"])
    listing(actor=u["sofia"], community=millbrook, kind="offer", category="errands",
            description="I drive to the big supermarket on Saturdays and can take a list.",
            availability=["weekends"])
    listing(actor=u["resident"], community=millbrook, kind="request", category="gardening",
            description="A hand clearing the back garden before winter.", availability=["weekends"])
    if "arthur" in u:
        listing(actor=u["arthur"], community=millbrook, kind="offer", category="gardening",
                description="Forty years of allotments: glad to help dig or prune.",
                availability=["weekday_daytime", "weekends"])
