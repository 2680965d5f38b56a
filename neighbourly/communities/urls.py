from django.urls import path

from neighbourly.communities import views

app_name = "communities"
urlpatterns = [
    path("communities/<slug:slug>/directory/", views.community_directory, name="directory"),
    path("avatars/<int:user_id>", views.avatar, name="avatar"),
    path("find-address/", views.find_address, name="find_address"),
    path("find-address/choose/", views.choose_address, name="choose_address"),
]
