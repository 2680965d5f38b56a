"""axe-core over every page, as each role: no serious or critical violation.

axe-core is vendored (tests/browser/vendor/axe-core, see its README): nothing is downloaded at
test time. It is injected with `page.evaluate(source)` rather than a <script> tag, so that the
site's Content-Security-Policy (script-src 'self') cannot block it.
"""

import os
from pathlib import Path

import pytest

from tests.browser.sitemap import walk_every_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
# AXE_IMPACTS=minor,moderate,serious,critical shows everything axe finds, for a look.
BLOCKING = tuple(os.environ.get("AXE_IMPACTS", "serious,critical").split(","))
# Also enforced although axe calls them "moderate": every page has an h1 (post pages had none).
ALWAYS = ("page-has-heading-one",)
# label-content-name-mismatch is "experimental" in axe, so off by default: we want it (a button's
# accessible name must contain its visible text, or voice-control users cannot say what they see).
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"],
    rules: {"label-content-name-mismatch": {enabled: true}}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary.split("\\n").slice(0, 2).join(" "))}));
}"""


def axe_violations(page) -> list[dict]:
    # htmx-loaded parts (badges, side panels) are checked too: wait until htmx is done.
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    return [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING or v["id"] in ALWAYS]


def _long_chat(user):
    """The role's conversation gets long enough to scroll inside its own box."""
    from neighbourly.realtime.models import Conversation
    from neighbourly.realtime.services import chat_message_send

    conversation = Conversation.objects.filter(members__user=user).order_by("pk").first() if user else None
    if conversation:  # one long message (the send rate is limited): 60 lines overflow the 60vh box
        body = "\n".join(f"Line {i} of a long message" for i in range(60))
        chat_message_send(user=user, conversation_id=conversation.pk, body=body)


def _check(page, role, item):
    return axe_violations(page)


def test_no_serious_accessibility_violation_on_any_page_for_any_role(browser, live_server):
    found = walk_every_page(browser, live_server, {"width": 1280, "height": 800}, _check, before=_long_chat)
    assert found == {}, "\n".join(
        f"{where}: {v['impact']} {v['id']} ({v['help']}) {v['nodes']}" for where, vs in found.items() for v in vs
    )


def test_a_flash_message_is_announced_without_breaking_rules(page, live_server):
    """Messages after a form ("saved") sit in a status region that is not itself a list."""
    from neighbourly.demo import DEMO_DOMAIN, DEMO_PASSWORD, demo_seed
    from tests.browser.conftest import log_in

    demo_seed()
    log_in(page, f"resident@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/account/")
    page.get_by_role("button", name="Save privacy choices").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").locator("li").count() == 1
    assert [v["id"] for v in axe_violations(page) if v] == []
