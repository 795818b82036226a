"""The field names a source's ``fields`` may map (``config/schema.py``) and the names the
table crawlers recognise and read are one list: nothing accepted is ignored, nothing read
is rejected."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from civicradar.config.schema import FIELD_NAMES
from civicradar.crawlers.columns import VOCABULARY, map_columns
from civicradar.crawlers.table_records import build_record

SAMPLE = {"filed_on": "2027-01-05", "election_date": "2027-04-06", "email": "zed@example.org"}


def test_every_recognised_header_field_is_a_configurable_field_name():
    for source_type, vocabulary in VOCABULARY.items():
        assert set(vocabulary) <= set(FIELD_NAMES[source_type]), source_type
    assert set(VOCABULARY) | {"agendas"} == set(FIELD_NAMES)


@pytest.mark.parametrize(
    ("source_type", "field_name"),
    [(t, f) for t, names in FIELD_NAMES.items() for f in names],
)
def test_every_configurable_field_name_reaches_the_record(source_type, field_name):
    base = {"first_name": "First", "last_name": "Last"}
    if source_type == "candidate_list":
        base["office"] = "Seat"
    row = {"First": "Ana", "Last": "Ruiz", "Seat": "Mayor", "X": SAMPLE.get(field_name, "Zed")}
    job = SimpleNamespace(source=SimpleNamespace(election=None))

    def record(fields: dict[str, str]):
        columns = map_columns(list(row), source_type, fields)
        return build_record(source_type, columns, row, job).model_dump(exclude={"extra"})

    assert record({**base, field_name: "X"}) != record(base)
