from django.urls import path

from neighbourly import views

app_name = "site"
urlpatterns = [
    path("", views.landing, name="landing"),
    path("home/", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("communities/<slug:slug>/", views.community_home, name="community"),
]
