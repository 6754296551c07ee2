"""The portal benchmark's loader writes rows with COPY, behind the ORM's back: it must write every
column the models require, with the models' values, or the benchmark measures another site."""

import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import NOT_PROVIDED, AutoField, BigAutoField

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import portal_data as D  # noqa: E402
import portal_load as L  # noqa: E402

TABLES = {
    "core_user": L.USER_COLUMNS,
    "core_agency": L.AGENCY_COLUMNS,
    "catalogue_column": L.COLUMN_COLUMNS,
    "catalogue_channel": L.CHANNEL_COLUMNS,
    "catalogue_item": L.ITEM_COLUMNS,
    "catalogue_publication": L.PUBLICATION_COLUMNS,
}


def _model(table):
    return next(m for m in apps.get_models() if m._meta.db_table == table)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_loader_writes_every_required_column(table):
    fields = _model(table)._meta.concrete_fields
    known = {f.column for f in fields}
    written = TABLES[table]
    assert set(written) <= known, f"{table}: the loader writes columns the model lacks"
    required = {
        f.column
        for f in fields
        if not f.null
        and f.db_default is NOT_PROVIDED
        and not isinstance(f, AutoField | BigAutoField)
    }
    assert required <= set(written), (
        f"{table}: NOT NULL columns the loader leaves out: {sorted(required - set(written))}"
    )


def test_item_rows_carry_the_models_defaults_where_the_generator_has_no_value():
    from gongkai.catalogue.models import Item

    plan = D.make_plan(200, seed=1)
    agency = plan.agencies[0]
    item = next(D.agency_items(plan, agency, D.Segmenter(lambda s: s)))
    row = dict(zip(L.ITEM_COLUMNS, L.item_row(item), strict=True))
    # A published item on a public portal: shown on the website, public, proactive.
    assert row["on_website"] is Item._meta.get_field("on_website").get_default()
    assert row["status"] == "published"
    assert row["scope"] == Item._meta.get_field("scope").get_default()
