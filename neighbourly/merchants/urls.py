from django.urls import path

from neighbourly.merchants import desk_views, views

app_name = "merchants"
urlpatterns = [
    path("merchants/", views.dashboard, name="dashboard"),
    path("merchants/new/", views.business_new, name="business_new"),
    path("merchants/claims/", views.my_claims, name="my_claims"),
    path("businesses/<int:business_id>/", views.business_detail, name="business"),
    path("businesses/<int:business_id>/edit/", views.business_edit, name="business_edit"),
    path("businesses/<int:business_id>/reachable/", views.business_owner_reachable, name="owner_reachable"),
    path("businesses/<int:business_id>/code/", views.business_code, name="business_code"),
    path("businesses/<int:business_id>/document/", views.business_document, name="business_document"),
    path("businesses/<int:business_id>/proof-document/", desk_views.document, name="document"),
    path("businesses/<int:business_id>/images/", views.business_image, name="business_image"),
    path("businesses/<int:business_id>/logo/", views.business_logo, name="logo"),
    path("businesses/<int:business_id>/photos/<int:photo_id>/", views.business_photo, name="photo"),
    path("businesses/<int:business_id>/offers/new/", views.offer_new, name="offer_new"),
    path("businesses/<int:business_id>/counter/", views.counter, name="counter"),
    path("businesses/<int:business_id>/recommend/", views.recommend, name="recommend"),
    path("offers/<int:offer_id>/", views.offer_detail, name="offer"),
    path("offers/<int:offer_id>/edit/", views.offer_edit, name="offer_edit"),
    path("offers/<int:offer_id>/status/", views.offer_status, name="offer_status"),
    path("offers/<int:offer_id>/save/", views.offer_save_toggle, name="offer_save"),
    path("offers/<int:offer_id>/claim/", views.offer_claim, name="offer_claim"),
    path("offers/<int:offer_id>/qr.png", views.offer_qr, name="offer_qr"),
    path("offers/<int:offer_id>/image/", views.offer_image, name="offer_image"),
    path("communities/<slug:slug>/businesses/", views.community_businesses, name="directory"),
    path("communities/<slug:slug>/businesses/panel/", views.side_panel, name="panel"),
    path("communities/<slug:slug>/moderation/businesses/", desk_views.queue, name="desk"),
    path("communities/<slug:slug>/moderation/businesses/<int:business_id>/postcard/", desk_views.postcard,
         name="desk_postcard"),
    path("communities/<slug:slug>/moderation/businesses/<int:business_id>/decision/", desk_views.decide,
         name="desk_decide"),
]
