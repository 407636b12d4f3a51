from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("results/people/<int:person_id>/", views.person, name="person"),
    path("results/responses/", views.response_list, name="responses"),
    path("results/responses/<int:response_id>/", views.response_detail, name="response"),
]
