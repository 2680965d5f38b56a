from ninja import Router, Status

from neighbourly.moderation import schemas, services

router = Router(tags=["moderation"])


@router.post("/reports", response={201: schemas.ReportOut})
def create_report(request, payload: schemas.ReportIn):
    report = services.report_create(
        reporter=request.auth, target_type=payload.target_type.value, target_id=payload.target_id,
        reason=payload.reason,
    )
    return Status(201, report)
