"""Fixtures of the engagement tests: two towns, staff of each, published policies."""

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from gongkai.catalogue import services as catalogue_services
from gongkai.catalogue.taxonomy import ColumnType, Genre
from gongkai.core.models import Role, User

ALL_CHECKS = catalogue_services.ReviewChecks(secrecy=True, privacy=True, wording=True)


@dataclass(frozen=True)
class People:
    officer: User
    editor: User
    reviewer: User
    outsider: User  # officer of the neighbouring town
    supervisor: User  # reads the district's subtree


@pytest.fixture
def people(agency_tree, make_member) -> People:
    town = agency_tree["town"]
    return People(
        officer=make_member(town, Role.OFFICER, "lh-officer"),
        editor=make_member(town, Role.EDITOR, "lh-editor"),
        reviewer=make_member(town, Role.REVIEWER, "lh-reviewer"),
        outsider=make_member(agency_tree["other_town"], Role.OFFICER, "th-officer"),
        supervisor=make_member(agency_tree["district"], Role.SUPERVISOR, "pt-supervisor"),
    )


@pytest.fixture
def publish_item(people, make_member):
    """publish_item(agency, title, genre, published_on) -> an item published on that day."""
    columns = {}
    staff = {}

    def make(agency, title, genre=Genre.NORMATIVE, published_on=date(2026, 3, 2)):
        if agency.pk not in columns:
            columns[agency.pk] = catalogue_services.column_create(
                actor=None, agency=agency, name="政策文件", column_type=ColumnType.POLICY
            )
            if agency.slug == "liuheng":
                staff[agency.pk] = (people.editor, people.reviewer)
            else:
                staff[agency.pk] = (
                    make_member(agency, Role.EDITOR, f"{agency.slug}-editor"),
                    make_member(agency, Role.REVIEWER, f"{agency.slug}-reviewer"),
                )
        author, reviewer = staff[agency.pk]
        item = catalogue_services.item_create(
            actor=author,
            agency=agency,
            column=columns[agency.pk],
            title=title,
            formed_on=published_on,
            genre=genre,
        )
        item = catalogue_services.item_submit(actor=author, item=item)
        item = catalogue_services.item_approve(actor=reviewer, item=item, checks=ALL_CHECKS)
        when = timezone.make_aware(datetime.combine(published_on, time(10)))
        return catalogue_services.item_publish(actor=None, item=item, published_at=when)

    return make
