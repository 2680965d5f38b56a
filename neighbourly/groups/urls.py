from django.urls import path

from neighbourly.groups import views
from neighbourly.groups.help import views as help_views

app_name = "groups"
urlpatterns = [
    path("groups/", views.groups_home, name="home"),
    path("communities/<slug:slug>/groups/", views.group_list, name="list"),
    path("groups/<int:group_id>/", views.group_detail, name="detail"),
    path("groups/<int:group_id>/join/", views.group_join, name="join"),
    path("groups/<int:group_id>/leave/", views.group_leave, name="leave"),
    path("groups/<int:group_id>/requests/<int:user_id>/", views.group_request_decide, name="decide"),
    path("groups/<int:group_id>/moderators/<int:user_id>/", views.group_moderator_appoint, name="appoint"),
    path("groups/<int:group_id>/members/<int:user_id>/remove/", views.group_member_remove, name="remove_member"),
    path("groups/<int:group_id>/archive/", views.group_archive, name="archive"),
    path("groups/<int:group_id>/posts/", views.group_post_create, name="post_create"),
    path("groups/<int:group_id>/posts/<int:post_id>/remove/", views.group_post_remove, name="post_remove"),
    path("communities/<slug:slug>/help/", help_views.help_board, name="help"),
    path("communities/<slug:slug>/help/thanks/", help_views.help_thanks, name="thanks"),
    path("communities/<slug:slug>/help/proxy-log/", help_views.proxy_log, name="proxy_log"),
    path("help/<int:listing_id>/matches/", help_views.help_matches, name="matches"),
    path("help/<int:listing_id>/close/", help_views.help_listing_close, name="close"),
    path("help/matches/<int:match_id>/", help_views.help_match, name="match"),
]
