"""A rule-based nudge before publishing: text that reads as unkind, or that targets a group of
people, gets a gentle question. The author may revise or post anyway; nothing is blocked."""

import re

_UNKIND = [
    r"idiots?", r"morons?", r"stupid", r"scum(bags?)?", r"losers?", r"pathetic", r"disgusting", r"vermin",
    r"trash(y)?", r"shut up", r"get lost", r"hate (you|them|these|those|people)", r"pigs?", r"lowlifes?",
    r"parasites?", r"animals", r"degenerates?", r"useless", r"go back to where",
]
_GROUPS = (
    r"immigrants?|foreigners?|migrants?|refugees?|asylum seekers?|travell?ers?|gypsies|"
    r"teen(ager)?s|youths|kids from|students|renters|tenants|council tenants|homeless( people)?|"
    r"muslims?|jews?|christians?|hindus?|sikhs?|africans?|asians?|eastern europeans?|poles|romanians?|"
    r"black (people|men|guys|kids)|white (people|men|guys|kids)|gays?|old people|pensioners|boomers"
)
_TARGETING = [
    rf"\b(all|those|these|the|typical|bloody|damn)\s+({_GROUPS})\b",
    rf"\b({_GROUPS})\s+(are|always|never|should|keep|ruin|ruining)\b",
    r"\byou people\b", r"\bthese people\b", r"\bthose people\b", r"\bpeople like (that|them)\b",
    r"\btheir kind\b", r"\bnot from (here|round here|around here)\b",
]
_UNKIND_RE = re.compile(r"\b(" + "|".join(_UNKIND) + r")\b", re.IGNORECASE)
_TARGETING_RE = [re.compile(p, re.IGNORECASE) for p in _TARGETING]

UNKIND_MESSAGE = "Some words here may read as unkind. Could you say it in a way a neighbour would welcome?"
TARGETING_MESSAGE = (
    "This seems to talk about a whole group of people. Describe what happened and the behaviour you saw, "
    "not who people are."
)


def nudge_reasons(*texts: str) -> list[str]:
    """Why the text may need another look; an empty list when it reads fine."""
    text = " ".join(t for t in texts if t)
    reasons = []
    if _UNKIND_RE.search(text):
        reasons.append(UNKIND_MESSAGE)
    if any(p.search(text) for p in _TARGETING_RE):
        reasons.append(TARGETING_MESSAGE)
    return reasons
