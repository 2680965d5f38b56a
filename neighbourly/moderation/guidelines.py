"""Community guidelines: what a report and an action point to. Each community may write its own
(Guideline rows, in the admin); one without any uses these defaults."""

from dataclasses import dataclass

from django.conf import settings

from neighbourly.moderation.models import Guideline, ModerationSettings


@dataclass(frozen=True)
class GuidelineItem:
    code: str
    title: str
    description: str = ""


DEFAULT_GUIDELINES = (
    GuidelineItem("be-kind", "Be kind and respectful",
                  "No insults, harassment, threats or personal attacks on neighbours."),
    GuidelineItem("no-discrimination", "No discrimination",
                  "Nothing that targets people for who they are; describe behaviour, not appearance."),
    GuidelineItem("keep-it-local", "Keep it local and relevant",
                  "Posts are about the neighbourhood; no spam, chain letters or repeated advertising."),
    GuidelineItem("privacy", "Respect privacy",
                  "No one's address, phone number or photos shared without their consent."),
    GuidelineItem("honest", "Be honest",
                  "No scams, misleading offers or false information."),
    GuidelineItem("safe", "Keep it safe and legal",
                  "Nothing that puts people at risk or breaks the law."),
    GuidelineItem("other", "Something else", "Tell the moderators what is wrong."),
)


def guideline_list(*, community) -> list[GuidelineItem]:
    """The community's guidelines (one query), or the defaults."""
    own = [
        GuidelineItem(g.code, g.title, g.description)
        for g in Guideline.objects.filter(community=community).order_by("position", "id")
    ]
    return own or list(DEFAULT_GUIDELINES)


def guideline_get(*, community, code: str, guidelines: list[GuidelineItem] | None = None) -> GuidelineItem | None:
    for item in guidelines if guidelines is not None else guideline_list(community=community):
        if item.code == code:
            return item
    return None


def auto_hide_threshold(*, community) -> int:
    """Distinct reporters after which an item is hidden pending review; 0 means never."""
    own = ModerationSettings.objects.filter(community=community).values_list("auto_hide_reporters", flat=True).first()
    if own is not None:
        return own
    return getattr(settings, "MODERATION_AUTO_HIDE_REPORTERS", 5)
