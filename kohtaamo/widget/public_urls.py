from django.urls import path

from . import public_views

app_name = "widget_public"
urlpatterns = [
    path("<slug:public_key>.js", public_views.widget_script, name="script"),
    path("<slug:public_key>/answers", public_views.widget_answer, name="answer"),
]
