from django.urls import path

from neighbourly.communities import views

app_name = "communities"
urlpatterns = [
    path("avatars/<int:user_id>", views.avatar, name="avatar"),
    path("find-address/", views.find_address, name="find_address"),
    path("find-address/choose/", views.choose_address, name="choose_address"),
]
