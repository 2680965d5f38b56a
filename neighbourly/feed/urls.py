from django.urls import path

from neighbourly.feed import mention_views, views

app_name = "feed"
urlpatterns = [
    path("communities/<slug:slug>/feed/", views.feed_page, name="page"),
    path("communities/<slug:slug>/feed/new/", views.feed_new, name="new"),
    path("communities/<slug:slug>/posts/new/", views.post_create, name="create"),
    path("communities/<slug:slug>/mentions/", mention_views.mention_suggest, name="mentions"),
    path("posts/<int:post_id>/", views.post_detail, name="detail"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="edit"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="delete"),
    path("posts/<int:post_id>/react/", views.post_react, name="react"),
    path("posts/<int:post_id>/vote/", views.post_vote, name="vote"),
    path("posts/<int:post_id>/rsvp/", views.post_rsvp, name="rsvp"),
    path("posts/<int:post_id>/comments/", views.comment_create, name="comment"),
    path("posts/<int:post_id>/images/<int:image_id>", views.post_image, name="image"),
    path("posts/<int:post_id>/images/<int:image_id>/thumb", views.post_image, {"variant": "thumb"}, name="thumb"),
]
