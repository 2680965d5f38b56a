"""Demo feed: a lively mix in Millbrook and Riverside, every kind, photos drawn with Pillow."""

from datetime import timedelta
from decimal import Decimal
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from neighbourly.feed import selectors, services
from neighbourly.feed.models import Post


def _photo(colour: tuple, shape: str, seed: int) -> SimpleUploadedFile:
    rnd = random.Random(seed)
    image = Image.new("RGB", (800, 600), colour)
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        x, y = rnd.randint(0, 760), rnd.randint(0, 560)
        tint = tuple(min(255, c + rnd.randint(20, 90)) for c in colour)
        (draw.ellipse if shape == "round" else draw.rectangle)([x, y, x + rnd.randint(40, 160), y + rnd.randint(40, 120)],
                                                              fill=tint)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(f"demo-{seed}.jpg", out.getvalue(), content_type="image/jpeg")


def _age(post: Post, hours: float) -> None:
    # Demo history: spread the posts over the past days (a bulk update, not a domain write).
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(hours=hours))


def seed_demo(context) -> None:
    u, c = context.users, context.communities
    now = timezone.now()
    millbrook, riverside = c["millbrook"], c["riverside"]
    P = services.post_create

    welcome = P(author=u["moderator"], community=millbrook, kind="general", title="Welcome to Millbrook on Neighbourly!",
                body="This is our space for the streets between the mill and the park. Be kind, be local, and say "
                     "hello below. House rules: https://example.org/neighbourly-guidelines")
    sofa = P(author=u["oliver"], community=millbrook, kind="sale", title="Two-seater sofa, good condition",
             body="Grey fabric, no pets, no smoke. You collect from Chestnut Avenue.", price=Decimal("45.00"),
             images=[_photo((90, 100, 120), "box", 1)])
    free = P(author=u["margaret"], community=millbrook, kind="sale", title="Free: tomato seedlings",
             body="I sowed far too many. Gardeners' delight and a few beefsteak. On the wall outside, help yourself.",
             is_free=True, images=[_photo((40, 120, 50), "round", 2), _photo((60, 140, 60), "round", 3)])
    plumber = P(author=u["sofia"], community=millbrook, kind="recommendation", title="Recommend a plumber?",
                body="Our boiler is making a knocking sound. Anyone you'd trust with it?")
    cat = P(author=u["resident"], community=millbrook, kind="lost_found", title="Lost: ginger cat 'Biscuit'",
            body="Went out on Tuesday night and hasn't come home. Friendly, green collar. Please check sheds!",
            visibility="nearby", images=[_photo((200, 120, 40), "round", 4)])
    safety = P(author=u["oliver"], community=millbrook, kind="safety", title="Car door handles being tried",
               body="Someone walked along the parked cars trying each door handle, then left towards the park when "
                    "a light came on. Lock your cars.",
               safety=services.SafetyDetails("Chestnut Avenue, by the post box", now - timedelta(hours=9)))
    fete = P(author=u["moderator"], community=millbrook, kind="event", title="Summer fete on the green",
             body="Cake stall, tombola, dog show. Volunteers welcome!", visibility="nearby",
             event=services.EventDetails(now + timedelta(days=9), now + timedelta(days=9, hours=4), "Millbrook Green"),
             images=[_photo((230, 200, 90), "round", 5)])
    poll = P(author=u["margaret"], community=millbrook, kind="poll", title="Which day suits a litter pick?",
             body="An hour with gloves and bags, all ages welcome.",
             poll_options=["Saturday morning", "Sunday morning", "A weekday evening"])
    river_walk = P(author=u["ben"], community=riverside, kind="event", title="Riverside walk and clean-up",
                   body="Meet by the bridge, bring boots.", visibility="nearby",
                   event=services.EventDetails(now + timedelta(days=4), now + timedelta(days=4, hours=2), "Bridge Street steps"))
    P(author=u["rivermod"], community=riverside, kind="general", title="Hello Riverside!",
      body="Our new neighbourhood page is live. Introduce yourself below.")
    P(author=u["ben"], community=riverside, kind="sale", title="Kids' bike, 16 inch", price=Decimal("20"),
      body="Outgrown, works fine.", images=[_photo((180, 40, 40), "box", 6)])

    def see(user, post):
        return selectors.post_get_for_viewer(viewer=user, post_id=post.id)

    services.comment_create(author=u["sofia"], post=see(u["sofia"], welcome), body="Hello from St Anne's Road!")
    top = services.comment_create(author=u["resident"], post=see(u["resident"], plumber),
                                  body="We used Dee's Heating last winter, very tidy work.")
    services.comment_create(author=u["sofia"], post=see(u["sofia"], plumber), body="Thank you, I'll call them.",
                            parent_id=top.id)
    services.comment_create(author=u["ben"], post=see(u["ben"], cat), body="Will keep an eye out on our side of the river.")
    services.comment_create(author=u["margaret"], post=see(u["margaret"], fete), body="I'll bake a Victoria sponge!")
    for user, post, kind in [("resident", welcome, "like"), ("margaret", welcome, "love"), ("oliver", welcome, "like"),
                             ("sofia", free, "thanks"), ("resident", safety, "helpful"), ("margaret", cat, "sad"),
                             ("ben", fete, "like"), ("moderator", river_walk, "like")]:
        services.reaction_set(user=u[user], post=see(u[user], post), kind=kind)
    for user, option in [("resident", 0), ("oliver", 1), ("sofia", 0), ("moderator", 0)]:
        services.poll_vote(user=u[user], post=see(u[user], poll), option=option)
    for user, status in [("resident", "going"), ("margaret", "going"), ("sofia", "maybe"), ("ben", "going")]:
        services.event_rsvp(user=u[user], post=see(u[user], fete), status=status)
    services.event_rsvp(user=u["rivermod"], post=see(u["rivermod"], river_walk), status="going")
    for hours, post in [(70, welcome), (50, sofa), (30, free), (20, plumber), (12, cat), (8, safety), (5, fete),
                        (2, poll)]:
        _age(post, hours)
