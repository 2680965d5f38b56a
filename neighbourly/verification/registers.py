"""Property registers: a CSV of units and residents; open claims that match verify at once."""

import csv
import io

from django.db import transaction

from neighbourly.communities.addressing import address_key, parse_address
from neighbourly.communities.models import Community
from neighbourly.core.errors import ApplicationError
from neighbourly.verification.methods import method_get
from neighbourly.verification.methods.base import Outcome as MethodOutcome
from neighbourly.verification.methods.register import register_match
from neighbourly.verification.models import OPEN_STATUSES, Claim, Method, RegisterEntry, RegisterUpload

MAX_REGISTER_BYTES = 2 * 1024 * 1024
MAX_REGISTER_ROWS = 20_000
COLUMNS = "NUMBER, STREET, UNIT (optional), NAME, EMAIL — or ADDRESS instead of NUMBER/STREET/UNIT"


def _rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError("The register must be a UTF-8 CSV file.") from None
    reader = csv.DictReader(io.StringIO(text))
    fields = {(name or "").strip().upper(): name for name in (reader.fieldnames or [])}
    has_parts = "NUMBER" in fields and "STREET" in fields
    if not (has_parts or "ADDRESS" in fields) or "EMAIL" not in fields:
        raise ApplicationError(f"The register CSV needs the columns {COLUMNS}.")

    def col(row, name):
        source = fields.get(name)
        return (row.get(source) or "").strip() if source else ""

    for row in reader:
        if has_parts:
            number, street, unit = col(row, "NUMBER"), col(row, "STREET"), col(row, "UNIT")
            text = f"{'Flat ' + unit + ', ' if unit else ''}{number} {street}"
            key = address_key(number=number, street=street, unit=unit) if number and street else None
        else:
            text = col(row, "ADDRESS")
            parsed = parse_address(text)
            key = parsed.key if parsed else None
        yield key, text[:200], col(row, "NAME")[:120], col(row, "EMAIL").lower()[:254]


@transaction.atomic
def register_upload_create(
    *, uploader, community: Community, data: bytes, filename: str = ""
) -> RegisterUpload:
    """Replace the community's register with this CSV and verify the open claims it lists."""
    if not method_get(Method.REGISTER).is_enabled(community):
        raise ApplicationError(f"{community.name} does not use a property register.")
    if len(data) > MAX_REGISTER_BYTES:
        raise ApplicationError("The register file is larger than 2 MB.")
    upload = RegisterUpload(community=community, uploaded_by=uploader, filename=(filename or "")[:200])
    upload.save()
    entries, skipped = [], 0
    for key, text, name, email in _rows(data):
        if key is None or "@" not in email:
            skipped += 1
            continue
        entries.append(
            RegisterEntry(
                upload=upload, community=community, address_key=key, address_text=text, name=name, email=email
            )
        )
        if len(entries) > MAX_REGISTER_ROWS:
            raise ApplicationError(f"The register has more than {MAX_REGISTER_ROWS} rows.")
    RegisterEntry.objects.filter(community=community).exclude(upload=upload).delete()
    RegisterEntry.objects.bulk_create(entries, batch_size=1000)
    upload.rows, upload.skipped = len(entries), skipped
    keys = set(RegisterEntry.objects.filter(community=community).values_list("address_key", flat=True))
    upload.matched = _verify_matching_claims(
        Claim.objects.filter(community=community, address_key__in=keys), actor=uploader
    )
    upload.save(update_fields=["rows", "skipped", "matched"])
    return upload


@transaction.atomic
def register_verify_confirmed_email(*, user) -> int:
    """The person just confirmed their e-mail: verify their open claims the register lists."""
    open_in = Claim.objects.filter(user=user, status__in=OPEN_STATUSES).values("community_id")
    communities = [c.pk for c in Community.objects.filter(pk__in=open_in)
                   if method_get(Method.REGISTER).is_enabled(c)]
    return _verify_matching_claims(Claim.objects.filter(user=user, community_id__in=communities), actor=None)


def _verify_matching_claims(claims, *, actor) -> int:
    from neighbourly.verification.services import apply_outcome

    candidates = (
        claims.select_for_update(of=("self",))
        .filter(status__in=OPEN_STATUSES)
        .select_related("user", "community", "address")
        .order_by("id")
    )
    matched = 0
    for claim in candidates:
        entry = register_match(claim=claim)
        if entry is None:
            continue
        outcome = MethodOutcome(
            MethodOutcome.VERIFIED, summary=f"listed in register upload {entry.upload_id}"
        )
        claim.refresh_from_db(fields=["status"])
        if not claim.is_open:  # closed by an earlier match of the same person (verified elsewhere)
            continue
        apply_outcome(claim=claim, actor=actor, outcome=outcome)
        matched += 1
    return matched
