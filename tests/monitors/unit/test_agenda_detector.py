"""Agenda detection as a function of meeting snapshots before and after a run."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

from civicradar.models.ingest.meetings import (
    AgendaDiff,
    DocumentItem,
    DocumentSnapshot,
    ItemSnapshot,
    MeetingDiff,
    MeetingSnapshot,
)
from civicradar.monitors.agendas import detect_agendas
from tests.monitors.unit.plain import kinds, run, settings

CHICAGO = ZoneInfo("America/Chicago")
CHILD_CARE = ItemSnapshot("I1", "Child care centers grant agreement", sequence=1, id=11)
ROADS = ItemSnapshot("I2", "Resurfacing of Main Street", sequence=2, id=12)


def meeting(*items: ItemSnapshot, **values) -> MeetingSnapshot:
    defaults = {
        "id": 100,
        "external_id": "M1",
        "jurisdiction_id": "springfield",
        "body_name": "City Council",
        "meeting_date": dt.date(2026, 3, 17),
        "start": dt.datetime(2026, 3, 17, 18, 30, tzinfo=CHICAGO),
        "url": "https://springfield.test/m/1",
    }
    return MeetingSnapshot(items=items, **{**defaults, **values})


def facts(**values):
    return run(source_key="council", source_type="agendas", **values)


def detect(*meetings: MeetingDiff, **values):
    return detect_agendas(facts(**values), AgendaDiff(meetings), settings())


def test_a_matching_item_is_an_agenda_match_from_the_first_crawl_on():
    found = detect(MeetingDiff(None, meeting(CHILD_CARE, ROADS)), baseline=True)
    (change,) = found.changes
    assert (change.kind, change.dedupe_key) == ("agenda_match", "agenda_match:3:M1:item:I1")
    assert change.data["matched_terms"] == ["child care"]
    assert change.data["meeting_date"] == "2026-03-17"
    assert change.summary.startswith("City Council, 2026-03-17: “Child care centers grant")
    assert found.effects == []


def test_an_item_found_in_its_title_and_its_agenda_page_is_one_match():
    agenda = DocumentSnapshot(
        url="https://springfield.test/a.pdf",
        kind="agenda",
        pages=("1. Call to order", "7. Child care centers grant agreement"),
        items=(DocumentItem("Child care centers grant agreement", number="7", page=2),),
    )
    after = replace(meeting(CHILD_CARE), documents=(agenda,))
    (change,) = detect(MeetingDiff(None, after)).changes
    assert change.data["target"] == "item:I1"
    assert change.data["page"] == 2
    assert change.data["found_in"] == ["agenda", "item"]


def test_a_document_without_numbered_items_matches_as_a_whole_with_its_page():
    agenda = DocumentSnapshot(
        url="https://springfield.test/a.pdf",
        kind="agenda",
        pages=("Roll call", "Report on child care capacity"),
    )
    (change,) = detect(MeetingDiff(None, replace(meeting(ROADS), documents=(agenda,)))).changes
    assert (change.data["target"], change.data["page"]) == ("doc:agenda", 2)
    assert "(agenda p. 2)" in change.summary


def test_minutes_are_not_matched():
    minutes = DocumentSnapshot(url="m.pdf", kind="minutes", pages=("Child care was discussed",))
    assert detect(MeetingDiff(None, replace(meeting(ROADS), documents=(minutes,)))).changes == []


def test_a_cancelled_meeting_with_matches_is_a_meeting_change():
    before = meeting(CHILD_CARE)
    after = replace(before, status="cancelled", status_evidence="CANCELLED in title")
    found = detect(MeetingDiff(before, after))
    assert kinds(found) == [
        ("agenda_match", "Child care centers grant agreement"),
        ("meeting_change", ""),
    ]
    change = next(c for c in found.changes if c.kind == "meeting_change")
    assert change.data["what"] == "cancelled"
    assert change.summary == ("City Council meeting of 2026-03-17 cancelled (CANCELLED in title)")
    assert change.dedupe_key.startswith("meeting_change:3:M1:7:cancelled:")


def test_a_cancelled_meeting_without_matches_is_not_news():
    before = meeting(ROADS)
    assert detect(MeetingDiff(before, replace(before, status="cancelled"))).changes == []


def test_a_rescheduled_meeting_names_the_old_and_new_time():
    before = meeting(CHILD_CARE)
    later = dt.datetime(2026, 3, 24, 18, 30, tzinfo=CHICAGO)
    after = replace(before, meeting_date=dt.date(2026, 3, 24), start=later)
    change = next(
        c for c in detect(MeetingDiff(before, after)).changes if c.kind == "meeting_change"
    )
    assert change.data["what"] == "rescheduled"
    assert change.data["previous_date"] == "2026-03-17"
    assert "rescheduled from 2026-03-17 18:30 CDT to 2026-03-24 18:30 CDT" in change.summary


def test_a_matching_item_added_to_the_agenda_is_an_amendment():
    before = meeting(ROADS)
    after = meeting(ROADS, CHILD_CARE)
    change = next(
        c for c in detect(MeetingDiff(before, after)).changes if c.kind == "meeting_change"
    )
    assert change.data["what"] == "agenda amended"
    assert change.data["items_added"] == ["Child care centers grant agreement"]


def test_a_matching_item_removed_is_an_amendment_only_on_a_healthy_run():
    before, after = meeting(CHILD_CARE, ROADS), meeting(ROADS)
    (change,) = detect(MeetingDiff(before, after)).changes
    assert change.data["items_removed"] == ["Child care centers grant agreement"]
    assert detect(MeetingDiff(before, after), status="suspicious").changes == []


def test_a_matching_item_reworded_is_an_amendment():
    before = meeting(CHILD_CARE)
    after = meeting(replace(CHILD_CARE, title="Child care centers grant agreement (amended)"))
    change = next(
        c for c in detect(MeetingDiff(before, after)).changes if c.kind == "meeting_change"
    )
    assert change.data["items_changed"] == ["Child care centers grant agreement (amended)"]


def test_no_amendment_when_the_run_did_not_look_at_the_agenda():
    before, after = meeting(CHILD_CARE, ROADS), meeting(ROADS)
    assert detect(MeetingDiff(before, after, items_fetched=False)).changes == []


def test_text_first_read_this_run_is_no_amendment():
    # the agenda PDF had no text before: its match is new, not an amended agenda
    agenda = DocumentSnapshot(url="a.pdf", kind="agenda", pages=("Child care subsidy report",))
    before = meeting(ROADS)
    after = replace(before, documents=(agenda,))
    found = detect(MeetingDiff(before, after, items_fetched=False, documents_read=True))
    assert kinds(found) == [("agenda_match", "Agenda document")]
