from django.urls import path

from neighbourly.communities import views, views_neighbours

app_name = "communities"
urlpatterns = [
    path("neighbours/<int:user_id>/", views_neighbours.neighbour_detail, name="neighbour"),
    path("neighbours/<int:user_id>/block", views_neighbours.neighbour_block, name="block"),
    path("neighbours/<int:user_id>/unblock", views_neighbours.neighbour_unblock, name="unblock"),
    path("communities/<slug:slug>/directory/", views.community_directory, name="directory"),
    path("avatars/<int:user_id>", views.avatar, name="avatar"),
    path("find-address/", views.find_address, name="find_address"),
    path("find-address/choose/", views.choose_address, name="choose_address"),
]
