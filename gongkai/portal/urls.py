from django.urls import path

from gongkai.applications.public_urls import urlpatterns as application_urls
from gongkai.core import converters  # noqa: F401 (registers <id:…> and <year:…>)
from gongkai.engagement.public_urls import urlpatterns as engagement_urls
from gongkai.matters.public_urls import urlpatterns as matters_urls
from gongkai.reports.public_urls import urlpatterns as reports_urls

from . import feeds, robots, search_views, sitemaps, views

app_name = "portal"

agency = "gk/<slug:agency>/"

# The public pages (views.py). Item URLs are stable: by id, or by 索引号 (a 301 to the id URL).
portal_urlpatterns: list = [
    path("", views.home, name="home"),
    path("prefs/", views.prefs, name="prefs"),
    path("search/", search_views.search, name="search"),
    path(agency, views.agency_home, name="agency-home"),
    path(agency + "guide/", views.guide, name="guide"),
    path(agency + "catalogue/", views.catalogue, name="catalogue"),
    path(agency + "columns/<id:column>/", views.column, name="column"),
    path(agency + "items/<id:pk>/", views.item, name="item"),
    path(
        agency + "items/<id:pk>/attachments/<id:attachment>/",
        views.attachment,
        name="attachment",
    ),
    path(
        agency + "items/<id:pk>/attachments/<id:attachment>/text/",
        views.attachment_text,
        name="attachment-text",
    ),
    path(agency + "index/<path:index_number>/", views.item_by_index, name="item-by-index"),
    path(agency + "sitemap/", views.sitemap_page, name="sitemap-page"),
    path(agency + "badge/", views.badge, name="badge"),
]

# Feeds and crawling (feeds.py, sitemaps.py, robots.py).
portal_urlpatterns += [
    path("feed/rss.xml", feeds.PlatformRssFeed(), name="platform-feed-rss"),
    path("feed/atom.xml", feeds.PlatformAtomFeed(), name="platform-feed-atom"),
    path("gk/<slug:agency>/feed/rss.xml", feeds.AgencyRssFeed(), name="agency-feed-rss"),
    path("gk/<slug:agency>/feed/atom.xml", feeds.AgencyAtomFeed(), name="agency-feed-atom"),
    path(
        "gk/<slug:agency>/columns/<id:column>/feed/rss.xml",
        feeds.ColumnRssFeed(),
        name="column-feed-rss",
    ),
    path(
        "gk/<slug:agency>/columns/<id:column>/feed/atom.xml",
        feeds.ColumnAtomFeed(),
        name="column-feed-atom",
    ),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.section, name="sitemap-section"),
    path("robots.txt", robots.robots_txt, name="robots"),
]

# The public pages of the other apps join this namespace, so that templates link them as
# portal:<name> (依申请公开, 找错, 办事指南).
urlpatterns = [
    *portal_urlpatterns,
    *application_urls,
    *engagement_urls,
    *matters_urls,
    *reports_urls,
]
