"""Demo moderation: reports waiting in Millbrook's queue and a populated moderation log.

Runs after the feed's seeder; everything goes through the moderation services, as in real use.
"""

from neighbourly.feed import services as feed
from neighbourly.feed.selectors import post_get_for_viewer
from neighbourly.feed.services import comment_create
from neighbourly.moderation import appeals, services
from neighbourly.moderation.models import Case


def _post(author, community, title, body, kind="general"):
    return feed.post_create(author=author, community=community, kind=kind, title=title, body=body, post_anyway=True)


def _case(target_type, target_id) -> Case:
    return Case.objects.get(target_type=target_type, target_id=target_id)


def seed_demo(context) -> None:
    u, millbrook = context.users, context.communities["millbrook"]
    moderator = u["moderator"]
    report = services.report_create

    # Waiting in the queue: an advert reported by three neighbours, a sharp comment reported by one.
    advert = _post(u["oliver"], millbrook, "Make £500 a week from home!!!",
                   "Message me for the details, limited places, act now. Not a scam.")
    for who, guideline, reason in (("resident", "keep-it-local", "Looks like spam."),
                                   ("margaret", "honest", ""), ("sofia", "keep-it-local", "")):
        report(reporter=u[who], target_type="post", target_id=advert.pk, guideline=guideline, reason=reason)
    bins = _post(u["sofia"], millbrook, "Bins left out on Chestnut Avenue", "Whose are these? Third week running.")
    reply = comment_create(author=u["oliver"], post=post_get_for_viewer(viewer=u["oliver"], post_id=bins.pk),
                           body="Mind your own business, nosy.", post_anyway=True)
    report(reporter=u["sofia"], target_type="comment", target_id=reply.pk, guideline="be-kind", reason="")

    # The log: a dismissal, a warning, and a hidden post whose author appealed.
    parking = _post(u["margaret"], millbrook, "Parking on the pavement", "Please leave room for prams and wheelchairs.")
    report(reporter=u["oliver"], target_type="post", target_id=parking.pk, guideline="other", reason="I disagree")
    services.action_take(moderator=moderator, case_id=_case("post", parking.pk).pk, action="dismiss",
                         reason="A fair request to neighbours; disagreeing is not a reason to remove it.")
    party = _post(u["oliver"], millbrook, "Party at mine Saturday", "Loud music till 3, deal with it.")
    report(reporter=u["margaret"], target_type="post", target_id=party.pk, guideline="be-kind", reason="")
    services.action_take(moderator=moderator, case_id=_case("post", party.pk).pk, action="warn", guideline="be-kind",
                         reason="Tell neighbours about a party, by all means, but kindly.")
    flyer = _post(u["resident"], millbrook, "Window cleaning — 20% off this month", "Call my cousin's firm, best in town.")
    report(reporter=u["sofia"], target_type="post", target_id=flyer.pk, guideline="keep-it-local", reason="Advert")
    hidden = services.action_take(moderator=moderator, case_id=_case("post", flyer.pk).pk, action="hide",
                                  guideline="keep-it-local",
                                  reason="Adverts belong on the businesses page, where merchants are verified.")
    appeals.appeal_create(user=u["resident"], action_id=hidden.pk,
                          statement="It is a local family firm and I only posted it once.")
