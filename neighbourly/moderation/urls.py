from django.urls import path

from neighbourly.moderation import views

app_name = "moderation"
urlpatterns = [
    path("moderation/", views.home, name="home"),
    path("moderation/report/", views.report, name="report"),
    path("communities/<slug:slug>/moderation/", views.queue, name="queue"),
    path("communities/<slug:slug>/moderation/log/", views.log, name="log"),
    path("communities/<slug:slug>/moderation/audit/", views.audit, name="audit"),
    path("moderation/items/<int:item_id>/action/", views.take_action, name="action"),
    path("moderation/appeals/<int:appeal_id>/decide/", views.decide_appeal, name="decide_appeal"),
    path("moderation/decisions/<int:action_id>/", views.decision, name="decision"),
]
