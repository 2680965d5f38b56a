"""Demo: a pending claim of each kind in Millbrook for the demo moderator to handle."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from neighbourly.accounts.services import user_create
from neighbourly.communities.selectors import address_search
from neighbourly.communities.services import memberships_verified_backdate
from neighbourly.verification import registers, services
from neighbourly.verification.models import Method

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

# (local part, display name, typed address, method)
NEWCOMERS = [
    ("ruth", "Ruth Adeyemi", "4 Elm Street", Method.VOUCH),
    ("kofi", "Kofi Mensah", "5 Elm Street", Method.DOCUMENT),
    ("lena", "Lena Novak", "6 Elm Street", Method.GEOLOCATION),
    ("marek", "Marek Wojcik", "7 Elm Street", Method.REGISTER),
]


def _address(typed: str, slug: str = "millbrook"):
    return next(a for a in address_search(query=typed) if a.community.slug == slug)


def seed_demo(context) -> None:
    from neighbourly.core.plugins import DEMO_DOMAIN, DEMO_PASSWORD

    community = context.communities["millbrook"]
    # Demo fixture only: the seeded residents have "lived here" for two months, so they may vouch.
    memberships_verified_backdate(community=community, verified_at=timezone.now() - timedelta(days=60))
    users = dict(context.users)
    for local, name, typed, _ in NEWCOMERS:
        users[local] = user_create(email=f"{local}@{DEMO_DOMAIN}", password=DEMO_PASSWORD, display_name=name, email_confirmed=True)

    newcomer = users["newcomer"]
    services.claim_create(user=newcomer, method=Method.POSTCARD, address=_address("Flat 3, 2 Mill Close"))

    addresses = {local: _address(typed) for local, _, typed, _ in NEWCOMERS}
    claims = {
        local: services.claim_create(user=users[local], method=method, address=addresses[local])
        for local, _, _, method in NEWCOMERS
    }
    # One neighbour has vouched already; the demo resident can give the second vouch.
    services.claim_submit_evidence(
        user=users["margaret"],
        claim_id=claims["ruth"].pk,
        method=Method.VOUCH,
        vouch_token=claims["ruth"].vouch_token,
    )
    services.claim_submit_evidence(
        user=users["kofi"],
        claim_id=claims["kofi"].pk,
        method=Method.DOCUMENT,
        upload=SimpleUploadedFile("council-tax.pdf", DEMO_PDF, content_type="application/pdf"),
    )
    lena = addresses["lena"]
    services.claim_submit_evidence(  # about 250 m off: a hint for the moderator, not proof
        user=users["lena"],
        claim_id=claims["lena"].pk,
        method=Method.GEOLOCATION,
        lat=lena.lat + 0.00225,
        lon=lena.lon,
        accuracy_m=35,
    )
    # The property manager's register lists other residents of Elm Street, not Marek (yet).
    csv_text = "NUMBER,STREET,UNIT,NAME,EMAIL\n2,Elm Street,1,Dana Flat-One,dana@example.org\n"
    registers.register_upload_create(
        uploader=context.users["moderator"],
        community=community,
        data=csv_text.encode(),
        filename="register.csv",
    )
