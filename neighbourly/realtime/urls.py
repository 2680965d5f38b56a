from django.urls import path

from neighbourly.realtime import views

app_name = "realtime"
urlpatterns = [
    path("messages/", views.conversation_list, name="list"),
    path("messages/new", views.conversation_new, name="new"),
    path("messages/<int:conversation_id>/", views.conversation_room, name="room"),
]
