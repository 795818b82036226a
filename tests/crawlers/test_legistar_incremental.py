"""After the first run the Legistar spider re-reads the event list but refetches only the items
of new or modified events, and the store keeps the items of the others."""

from __future__ import annotations

import copy
import datetime as dt

from civicradar.sample.legistar_api import Fault
from tests.crawlers.test_legistar import (  # noqa: F401  (api is a fixture)
    LA,
    api,
    legistar_config,
    meetings_by_id,
    runs,
)


def items_fetched_for(server) -> list[str]:
    return sorted(p.split("/")[3] for p, _q in server.requests if p.endswith("/eventitems"))


def test_items_are_refetched_only_for_new_or_modified_events(tmp_path, api, cli_run):  # noqa: F811
    config = legistar_config(tmp_path, api.url)
    assert cli_run("--config", config, "run", now="2026-03-02").exit_code == 0
    assert items_fetched_for(api) == ["201", "202", "203", "204", "205"]

    api.requests.clear()
    assert cli_run("--config", config, "run", now="2026-03-03").exit_code == 0
    assert items_fetched_for(api) == []
    assert api.count("events") == 1  # the cheap event list is read every run
    stored = meetings_by_id(tmp_path)
    assert len(stored["201"].items) == 3  # kept although not refetched
    assert len(stored["203"].items) == 1

    data = api.clients["testville"]
    parks = data.events[1]
    parks["EventLastModifiedUtc"] = "2026-03-03T18:00:00.5"
    added = copy.deepcopy(data.eventitems[3])
    added.update(EventItemId=7102, EventItemAgendaSequence=2, EventItemTitle="Tree planting")
    data.eventitems = [*data.eventitems, added]
    new_event = copy.deepcopy(parks)
    new_event.update(EventId=206, EventDate="2026-03-25T00:00:00")
    data.events = [*data.events, new_event]
    data.events[2]["EventTime"] = "5:00 PM"  # a time change does not move EventLastModifiedUtc
    api.requests.clear()
    assert cli_run("--config", config, "run", now="2026-03-04").exit_code == 0
    assert items_fetched_for(api) == ["202", "206"]
    stored = meetings_by_id(tmp_path)
    assert [i.title for i in stored["202"].items] == [
        "Playground resurfacing at Oak Park",
        "Tree planting",
    ]
    assert stored["203"].start == dt.datetime(2026, 3, 16, 17, 0, tzinfo=LA)
    assert len(stored["201"].items) == 3


def test_items_changed_during_a_failed_run_are_fetched_on_the_next_good_one(
    tmp_path,
    api,  # noqa: F811
    cli_run,
):
    config = legistar_config(tmp_path, api.url)
    assert cli_run("--config", config, "run", now="2026-03-02").exit_code == 0
    data = api.clients["testville"]
    data.events[1]["EventLastModifiedUtc"] = "2026-03-02T22:00:00"
    data.eventitems[3]["EventItemTitle"] = "Playground resurfacing and shade structures"
    api.faults[("testville", "eventitems")] = Fault(500, "down", "text/plain")
    assert cli_run("--config", config, "run", now="2026-03-03").exit_code == 0
    assert [r.status for r in runs(tmp_path)] == ["ok", "failed"]

    del api.faults[("testville", "eventitems")]
    api.requests.clear()
    assert cli_run("--config", config, "run", now="2026-03-04").exit_code == 0
    assert items_fetched_for(api) == ["202"]
    assert meetings_by_id(tmp_path)["202"].items[0].title == (
        "Playground resurfacing and shade structures"
    )
