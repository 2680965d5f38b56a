from django.urls import path

from neighbourly.verification import desk_views, views

app_name = "verification"
urlpatterns = [
    path("verification/claims/", views.my_claims, name="my_claims"),
    path("verification/claims/typed/", views.typed_claim, name="typed_claim"),
    path("verification/claims/<int:claim_id>/revoke/", views.revoke_own, name="revoke_own"),
    path("communities/<slug:slug>/verify/", views.start_claim, name="start"),
    path("verification/claims/<int:claim_id>/method/", views.change_method, name="change_method"),
    path("verification/claims/<int:claim_id>/code/", views.enter_code, name="enter_code"),
    path("verification/claims/<int:claim_id>/document/", views.upload_document, name="upload_document"),
    path("verification/claims/<int:claim_id>/geolocation/", views.share_location, name="share_location"),
    path("verification/claims/<int:claim_id>/withdraw/", views.withdraw_claim, name="withdraw"),
    path("verification/vouch/<str:token>/", views.vouch, name="vouch"),
    path("verification/documents/<int:claim_id>/", views.document, name="document"),
    path("verification/claims/<int:claim_id>/decision/", desk_views.decide, name="decide"),
    path("communities/<slug:slug>/moderation/claims/", desk_views.claim_queue, name="desk_queue"),
    path("communities/<slug:slug>/moderation/postcards/", desk_views.postcard_desk, name="desk_postcards"),
    path(
        "communities/<slug:slug>/moderation/postcards/print/",
        desk_views.postcard_generate,
        name="postcard_generate",
    ),
    path(
        "communities/<slug:slug>/moderation/postcards/<int:batch_id>/reprint/",
        desk_views.postcard_reissue,
        name="postcard_reissue",
    ),
    path(
        "communities/<slug:slug>/moderation/postcards/<int:batch_id>/sent/",
        desk_views.postcard_sent,
        name="postcard_sent",
    ),
    path("communities/<slug:slug>/moderation/register/", desk_views.register_desk, name="desk_register"),
    path("communities/<slug:slug>/moderation/verification-log/", desk_views.decision_log, name="desk_log"),
]
