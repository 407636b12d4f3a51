from django.http import Http404


def invitation_page(request, token: str):
    raise Http404


def open_link_page(request, token: str):
    raise Http404
