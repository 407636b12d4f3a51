from django.urls import path

from . import views

app_name = "widget"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:widget_id>/", views.detail, name="detail"),
]
