"""The project's URLs plus `floor/`: the framework floor of the portal benchmark.

The floor is the least a Django view can do behind the project's middleware (sessions,
locale, CSRF, auth, the project's own middleware …): it reads nothing and renders nothing.
Pages are measured as a ratio to it, in the same run, on the same server.
"""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("floor/", floor),
    path("", include("gongkai.config.urls")),
]
