"""The catalogue settings page: the agency's officer sets the 索引号 pattern through
services.catalogue_settings_update (checked, audited); an editor may not; another agency's
officer does not see the page; the next approved item is numbered by the new pattern."""

import pytest
from django.urls import reverse

from gongkai.catalogue import indexing
from gongkai.catalogue.models import DEFAULT_INDEX_PATTERN, CatalogueSettings
from gongkai.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(agency) -> str:
    return reverse("catalogue:settings", args=[agency.slug])


def test_the_officer_sees_the_pattern_in_force_and_changes_it(client, town, people):
    client.force_login(people.officer)
    page = client.get(url(town))
    assert page.status_code == 200
    assert f'value="{DEFAULT_INDEX_PATTERN}"' in page.content.decode()
    saved = client.post(url(town), {"index_pattern": "LH-{YYYY}-{NNNN}"})
    assert saved.status_code == 302 and saved.headers["Location"] == url(town)
    assert indexing.agency_index_pattern(town) == "LH-{YYYY}-{NNNN}"
    event = AuditEvent.objects.get(verb="catalogue.settings_update")
    assert event.actor == people.officer and event.agency == town
    assert event.after == {"index_pattern": "LH-{YYYY}-{NNNN}"}
    assert 'value="LH-{YYYY}-{NNNN}"' in client.get(url(town)).content.decode()


def test_a_bad_pattern_is_refused_on_the_form(client, town, people):
    client.force_login(people.officer)
    response = client.post(url(town), {"index_pattern": "LH-{YYYY}"})  # no serial
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    assert not CatalogueSettings.objects.filter(agency=town).exists()
    assert not AuditEvent.objects.filter(verb="catalogue.settings_update").exists()


def test_an_editor_is_refused_and_another_agency_is_not_found(client, town, people):
    client.force_login(people.editor)
    assert client.get(url(town)).status_code == 403
    assert client.post(url(town), {"index_pattern": "X-{NNN}"}).status_code == 403
    client.force_login(people.outsider)
    assert client.get(url(town)).status_code == 404
    assert not CatalogueSettings.objects.exists()


def test_the_catalogue_pages_link_to_it_for_those_who_may_edit(client, town, people):
    columns = reverse("catalogue:columns", args=[town.slug])
    client.force_login(people.officer)
    assert f'href="{url(town)}"' in client.get(columns).content.decode()
    client.force_login(people.editor)
    assert f'href="{url(town)}"' not in client.get(columns).content.decode()
