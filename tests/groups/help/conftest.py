"""Helpers shared by the help exchange tests (the `resident` fixture and `listing` come from tests/groups)."""

from neighbourly.groups.help import services as help_services
from tests.groups.conftest import listing


def pair(resident):
    """An elder's request and a student's matching offer: (margaret, oliver, request, offer)."""
    margaret = resident(age_band="80+")
    oliver = resident(age_band="18-24")
    request = listing(margaret, description="Phone help please")
    offer = listing(oliver, kind="offer", description="Tech help", availability=["weekday_daytime", "weekends"])
    return margaret, oliver, request, offer


def accepted_match(resident):
    """The pair above, matched: (margaret, oliver, match)."""
    margaret, oliver, request, offer = pair(resident)
    return margaret, oliver, help_services.help_match_accept(actor=margaret.user, listing=request, match_id=offer.pk)
