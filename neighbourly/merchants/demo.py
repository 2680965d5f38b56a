"""Demo merchants: two verified local businesses with live offers in the Millbrook (and
Riverside) feeds, neighbours' recommendations and claims, and one business waiting for the
Millbrook moderator with its document. Everything goes through the services, as in real use."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from neighbourly.accounts.services import user_create
from neighbourly.core.plugins import DEMO_DOMAIN, DEMO_PASSWORD
from neighbourly.merchants import services
from neighbourly.merchants.models import ServedCommunity

DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _document() -> SimpleUploadedFile:
    return SimpleUploadedFile("lease.pdf", DEMO_PDF, content_type="application/pdf")


def _approve(business, moderator, slug: str) -> None:
    served = ServedCommunity.objects.select_related("business", "community").get(
        business=business, community__slug=slug
    )
    services.business_decide(moderator=moderator, served=served, approve=True, reason="Checked the shop front.")


def seed_demo(context) -> None:
    u = context.users
    now = timezone.now()
    moderator, rivermod = u["moderator"], u["rivermod"]
    sam = user_create(email=f"hardware@{DEMO_DOMAIN}", password=DEMO_PASSWORD, display_name="Sam Patel", email_confirmed=True)
    nadia = user_create(email=f"garden@{DEMO_DOMAIN}", password=DEMO_PASSWORD, display_name="Nadia Brooks", email_confirmed=True)

    # The bakery proved its address with the postcard a moderator printed.
    bakery = services.business_create(
        user=u["merchant"], name="Millbrook Bakery", category="food", address="1 Market Street, Millbrook",
        community_slugs=["millbrook", "riverside"], lon=-2.0046, lat=52.5031,
        opening_hours="Tue–Sat 7:00–16:00", description="Sourdough, rye and pastries baked on Market Street since 1998.",
    )
    code, _ = services.business_postcard_issue(moderator=moderator, business=bakery)
    services.business_code_enter(business=bakery, code=code)
    _approve(bakery, moderator, "millbrook")
    _approve(bakery, rivermod, "riverside")

    # The hardware shop sent its lease; the moderator accepted it (and it was deleted).
    hardware = services.business_create(
        user=sam, name="Elm Street Hardware", category="trades", address="40 Elm Street, Millbrook",
        community_slugs=["millbrook"], lon=-2.0081, lat=52.5012, proof_method="document",
        opening_hours="Mon–Sat 8:30–17:30", description="Keys cut, paint mixed, tools lent to neighbours.",
    )
    services.business_document_upload(business=hardware, upload=_document())
    _approve(hardware, moderator, "millbrook")

    # Waiting for the Millbrook moderator: a gardener with a document on file.
    gardener = services.business_create(
        user=nadia, name="Green Thumb Gardening", category="services", address="Unit 2, Mill Close, Millbrook",
        community_slugs=["millbrook"], lon=-2.0032, lat=52.5044, proof_method="document",
        description="Hedges, lawns and allotment help.",
    )
    services.business_document_upload(business=gardener, upload=_document())

    loaf = services.offer_publish(
        business=bakery, actor=u["merchant"], title="Half-price loaves after 3pm",
        body="Any loaf left on the shelf after 3pm, half price. Show your code at the till.",
        starts_at=now - timedelta(hours=2), ends_at=now + timedelta(days=14),
        community_slugs=["millbrook", "riverside"], max_claims=40, per_household=1,
    )
    services.offer_publish(
        business=bakery, actor=u["merchant"], title="Free coffee with any pastry",
        body="Weekday mornings, 7–10am.", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=7),
        community_slugs=["millbrook"], max_claims=25, per_household=2,
    )
    services.offer_publish(
        business=hardware, actor=sam, title="10% off paint and brushes",
        body="For the spring tidy-up. One use per household.", starts_at=now - timedelta(hours=5),
        ends_at=now + timedelta(days=21), community_slugs=["millbrook"], max_claims=30, per_household=1,
    )

    for who in ("resident", "margaret", "oliver"):
        services.recommendation_add(viewer=u[who], business_id=bakery.id)
    for who in ("sofia", "resident"):
        services.recommendation_add(viewer=u[who], business_id=hardware.id)
    services.offer_save(viewer=u["sofia"], offer_id=loaf.id)
    services.offer_claim(viewer=u["margaret"], offer_id=loaf.id)
    claim, _ = services.offer_claim(viewer=u["oliver"], offer_id=loaf.id)
    services.offer_redeem(viewer=u["merchant"], business_id=bakery.id, code=claim.code)
