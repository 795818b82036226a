"""Agenda items inside generated agenda PDFs, read through pypdf as crawled documents are:
sub-items in several numbering styles with their matter numbers, headings as sections."""

from __future__ import annotations

import pytest

from civicradar.crawlers.agenda_split import split_items
from civicradar.crawlers.pdf_text import extract_pdf
from tests.crawlers.agenda_pdfs import text_pdf

COUNCIL = ["City of Testville - City Council", "Regular Meeting Agenda, Monday, March 9, 2026"]
HEARINGS = "6. PUBLIC HEARINGS AND NEW BUSINESS"
LEASE = (
    "Public hearing on the proposed lease of the Oak Street building to the Early Head Start "
    "program for a child care center, including a ten-year term and a tenant improvement allowance"
)

# "6. PUBLIC HEARINGS AND NEW BUSINESS" then "6.A. 26-3202 Public hearing on …", titles wrapped
SECTION_LETTERS = [
    [
        "1. Call to order and roll call",
        "2. Pledge of Allegiance",
        "3. Approval of the minutes of the regular meeting of February 23, 2026",
        "4. Public comment on items not on the agenda",
        "5. CONSENT CALENDAR",
        "    5.A. 26-3190 Contract with Acme Paving for the fiscal year 2027 street resurfacing,",
        "    phase two",
        "    5.B. 26-3191 Purchase of two replacement ambulances for the fire department",
        HEARINGS,
        "    6.A. 26-3202 Public hearing on the proposed lease of"
        " the Oak Street building to the Early",
        "    Head Start program for a child care center, including a ten-year term and a tenant",
        "    improvement allowance",
        "    Staff report: the lease adds 40 infant and toddler slots.",
    ],
    [
        "    6.B. 26-3203 Ordinance amending the zoning code to"
        " allow family child care homes in all",
        "    residential districts",
        "    6.C. 26-3204 Appointment of members to the library board",
        "7. Adjournment",
    ],
]

# "3.a)" sub-items; file numbers after the title on their own line, or "Ord." before it
SECTION_LOWER = [
    [
        "PLANNING AND ZONING COMMISSION",
        "Agenda - Tuesday, April 14, 2026, 5:30 PM",
        "1. Call to order",
        "2. Approval of the agenda",
        "3. Consent items",
        "   3.a) Minutes of the March 10, 2026 meeting",
        "   3.b) Ord. 2026-10 Second reading of an ordinance"
        " rezoning 1400 Highland Avenue from R-1",
        "   to R-2",
        "4. Public hearings",
        "   4.a) Conditional use permit for a child care center at 216 14th Street for up to 60",
        "   children",
        "   File #26-0412",
        "   Applicant: Bright Start Learning LLC",
        "   4.b) Variance for a rear-yard setback at 88 Elm Street",
        "   File #26-0415",
        "5. Adjournment",
    ]
]

# roman sections, lettered sub-sections, "(1)" items with resolution numbers
ROMAN_LETTER_PAREN = [
    [
        "BOARD OF COUNTY COMMISSIONERS",
        "REGULAR MEETING AGENDA",
        "I. CALL TO ORDER",
        "II. CONSENT AGENDA",
        "  A. RESOLUTIONS",
        "    (1) RES 2026-14 Resolution supporting childcare workforce grants for licensed family",
        "    child care homes and centers in the Eastside and Riverside neighborhoods",
        "    (2) RES 2026-15 Resolution accepting a state grant for the senior nutrition program",
        "  B. CONTRACTS",
        "    (1) Contract with Acme Paving for the fiscal year 2027 street program",
        "III. PUBLIC HEARINGS",
        "  A. Public hearing on the fiscal year 2027 budget",
        "  B. Public hearing on the capital improvement plan",
        "IV. ADJOURNMENT",
    ]
]

# decimal "3.1" with council bill numbers, the title on the line after "3.2 CB 119588"
DECIMAL = [
    [
        "CITY OF LAKEVIEW - FULL COUNCIL",
        "1. CALL TO ORDER",
        "2. APPROVAL OF THE AGENDA",
        "3. CONSENT CALENDAR",
        "3.1 Min 241 Minutes of the July 22, 2026 meeting",
        "3.2 CB 119588",
        "AN ORDINANCE appropriating money to pay certain audited claims for the week of July 15,",
        "2026",
        "4. COMMITTEE REPORTS",
        "4.1 CB 119583 AN ORDINANCE related to appropriations for the Office of Arts & Culture;",
        "amending Ordinance 125724, which adopted the 2026 Budget",
        "4.2 Res 31886 A RESOLUTION relating to child care assistance for city employees",
        "5. ADJOURNMENT",
    ]
]

# unnumbered all-caps sections, file numbers on the line before each item, "i." sub-items
CAPS_SECTIONS = [
    [
        "VILLAGE OF MAPLEWOOD",
        "Board of Trustees - Regular Meeting",
        "CONSENT CALENDAR",
        "26-3101",
        "1. Approval of the warrant register for March 2026",
        "26-3102",
        "2. Acceptance of the treasurer's report for February 2026",
        "PUBLIC HEARINGS AND NEW BUSINESS",
        "26-3202",
        "3. Public hearing on the proposed lease of the Oak Street"
        " building to the Early Head Start",
        "program for a child care center",
        "4. Ordinance amending chapter 12 of the village code regarding home occupations",
        "   i. First reading and public comment",
        "   ii. Referral to the plan commission",
        "OTHER BUSINESS",
        "5. Adjournment",
    ]
]


def items_of(pages, header=None):
    """The items of a generated PDF, read the way a crawled agenda is (pypdf, tidying)."""
    text = extract_pdf(text_pdf(pages, header=header))
    assert text.status == "ok", text.error
    return split_items(text.pages)


def table(items):
    return [(i.number, i.title, i.page, i.section, i.matter_file) for i in items]


def test_lettered_sub_items_under_a_numbered_section_are_items_with_matter_numbers():
    items = items_of(SECTION_LETTERS, header=COUNCIL)
    consent, hearings = "5. CONSENT CALENDAR", HEARINGS
    assert table(items) == [
        ("1", "Call to order and roll call", 1, None, None),
        ("2", "Pledge of Allegiance", 1, None, None),
        ("3", "Approval of the minutes of the regular meeting of February 23, 2026", 1, None, None),
        ("4", "Public comment on items not on the agenda", 1, None, None),
        (
            "5.A",
            "Contract with Acme Paving for the fiscal year 2027 street resurfacing, phase two",
            1,
            consent,
            "26-3190",
        ),
        (
            "5.B",
            "Purchase of two replacement ambulances for the fire department",
            1,
            consent,
            "26-3191",
        ),
        ("6.A", LEASE, 1, hearings, "26-3202"),
        (
            "6.B",
            "Ordinance amending the zoning code to allow family child care homes in all "
            "residential districts",
            2,
            hearings,
            "26-3203",
        ),
        ("6.C", "Appointment of members to the library board", 2, hearings, "26-3204"),
        ("7", "Adjournment", 2, None, None),
    ]
    assert items[6].text == "Staff report: the lease adds 40 infant and toddler slots."
    everything = " ".join(f"{i.title} {i.text or ''}" for i in items)
    assert "City of Testville" not in everything and "Page 2 of 2" not in everything


def test_number_letter_paren_sub_items_take_file_numbers_printed_after_their_titles():
    items = items_of(SECTION_LOWER)
    assert table(items) == [
        ("1", "Call to order", 1, None, None),
        ("2", "Approval of the agenda", 1, None, None),
        ("3.a", "Minutes of the March 10, 2026 meeting", 1, "3. Consent items", None),
        (
            "3.b",
            "Second reading of an ordinance rezoning 1400 Highland Avenue from R-1 to R-2",
            1,
            "3. Consent items",
            "Ord. 2026-10",
        ),
        (
            "4.a",
            "Conditional use permit for a child care center at 216 14th Street for up to 60 "
            "children",
            1,
            "4. Public hearings",
            "26-0412",
        ),
        (
            "4.b",
            "Variance for a rear-yard setback at 88 Elm Street",
            1,
            "4. Public hearings",
            "26-0415",
        ),
        ("5", "Adjournment", 1, None, None),
    ]
    assert items[4].text == "Applicant: Bright Start Learning LLC"


def test_parenthesized_items_under_lettered_sections_under_roman_sections():
    items = items_of(ROMAN_LETTER_PAREN)
    resolutions = "II. CONSENT AGENDA › A. RESOLUTIONS"
    assert table(items) == [
        ("I", "CALL TO ORDER", 1, None, None),
        (
            "(1)",
            "Resolution supporting childcare workforce grants for licensed family child care "
            "homes and centers in the Eastside and Riverside neighborhoods",
            1,
            resolutions,
            "RES 2026-14",
        ),
        (
            "(2)",
            "Resolution accepting a state grant for the senior nutrition program",
            1,
            resolutions,
            "RES 2026-15",
        ),
        (
            "(1)",
            "Contract with Acme Paving for the fiscal year 2027 street program",
            1,
            "II. CONSENT AGENDA › B. CONTRACTS",
            None,
        ),
        ("A", "Public hearing on the fiscal year 2027 budget", 1, "III. PUBLIC HEARINGS", None),
        ("B", "Public hearing on the capital improvement plan", 1, "III. PUBLIC HEARINGS", None),
        ("IV", "ADJOURNMENT", 1, None, None),
    ]


def test_decimal_sub_items_with_council_bill_numbers_and_titles_below_the_number():
    items = items_of(DECIMAL)
    assert table(items) == [
        ("1", "CALL TO ORDER", 1, None, None),
        ("2", "APPROVAL OF THE AGENDA", 1, None, None),
        ("3.1", "Minutes of the July 22, 2026 meeting", 1, "3. CONSENT CALENDAR", "Min 241"),
        (
            "3.2",
            "AN ORDINANCE appropriating money to pay certain audited claims for the week of "
            "July 15, 2026",
            1,
            "3. CONSENT CALENDAR",
            "CB 119588",
        ),
        (
            "4.1",
            "AN ORDINANCE related to appropriations for the Office of Arts & Culture; amending "
            "Ordinance 125724, which adopted the 2026 Budget",
            1,
            "4. COMMITTEE REPORTS",
            "CB 119583",
        ),
        (
            "4.2",
            "A RESOLUTION relating to child care assistance for city employees",
            1,
            "4. COMMITTEE REPORTS",
            "Res 31886",
        ),
        ("5", "ADJOURNMENT", 1, None, None),
    ]


def test_all_caps_lines_head_the_items_below_them_and_file_numbers_printed_before_items():
    items = items_of(CAPS_SECTIONS)
    hearings = "PUBLIC HEARINGS AND NEW BUSINESS"
    chapter_12 = f"{hearings} › 4. Ordinance amending chapter 12 of the village code regarding "
    assert table(items) == [
        (
            "1",
            "Approval of the warrant register for March 2026",
            1,
            "CONSENT CALENDAR",
            "26-3101",
        ),
        (
            "2",
            "Acceptance of the treasurer's report for February 2026",
            1,
            "CONSENT CALENDAR",
            "26-3102",
        ),
        (
            "3",
            "Public hearing on the proposed lease of the Oak Street building to the Early Head "
            "Start program for a child care center",
            1,
            hearings,
            "26-3202",
        ),
        ("i", "First reading and public comment", 1, chapter_12 + "home occupations", None),
        ("ii", "Referral to the plan commission", 1, chapter_12 + "home occupations", None),
        ("5", "Adjournment", 1, "OTHER BUSINESS", None),
    ]


@pytest.mark.parametrize(
    ("name", "pages", "header", "count"),
    [
        ("6. / 6.A.", SECTION_LETTERS, COUNCIL, 10),
        ("3. / 3.a)", SECTION_LOWER, None, 7),
        ("I. / A. / (1)", ROMAN_LETTER_PAREN, None, 7),
        ("3. / 3.1", DECIMAL, None, 7),
        ("CAPS / 1. / i.", CAPS_SECTIONS, None, 6),
    ],
)
def test_no_heading_is_ever_an_item(name, pages, header, count):
    items = items_of(pages, header=header)
    assert len(items) == count, name
    headings = {part for i in items if i.section for part in i.section.split(" › ")}
    titles = {f"{i.number}. {i.title}" for i in items} | {i.title for i in items}
    assert not headings & titles, name


def test_lists_inside_an_item_and_notices_after_adjournment_are_text_not_sub_items():
    items = items_of(
        [
            [
                "XIV. MUNICIPAL MATTERS",
                "a) 23-0002 Award of professional services agreements for on-call plan checking",
                "Recommendation: Staff recommends City Council:",
                "1. Award a contract to Transtech Engineers, Inc. for a term of five years;",
                "2. Authorize the Mayor to execute the agreements.",
                "b) Approval of a request to reclassify a management analyst position",
                "Recommendation: Staff recommends City Council:",
                "1. Approve the reclassification; and",
                "2. Amend the position allocation plan.",
                "XV. ADJOURNMENT",
                "Zoom meeting instructions: there are multiple ways to join the meeting.",
                "1. To watch the meeting only, tune in to Channel 8.",
                "2. To speak during the meeting, join via Zoom at 5:45 p.m.",
            ]
        ]
    )
    assert [(i.number, i.matter_file, i.section) for i in items] == [
        ("a", "23-0002", "XIV. MUNICIPAL MATTERS"),
        ("b", None, "XIV. MUNICIPAL MATTERS"),
        ("XV", None, None),
    ]
    assert "2. Authorize the Mayor to execute the agreements." in items[0].text
    assert "1. Approve the reclassification; and" in items[1].text
    assert "2. To speak during the meeting" in items[2].text


def test_lone_markers_in_a_row_take_the_titles_that_follow_in_order():
    """A two-column agenda extracts its numbers first, then the titles beside them."""
    items = items_of(
        [
            [
                "I. Management Reports",
                "1.",
                "2.",
                "Presentation regarding recordable and reportable injury cases",
                "Presentation regarding advancement of diversity, equity, and inclusion",
                "II. Adjournment",
            ]
        ]
    )
    assert [(i.number, i.title, i.section) for i in items] == [
        (
            "1",
            "Presentation regarding recordable and reportable injury cases",
            "I. Management Reports",
        ),
        (
            "2",
            "Presentation regarding advancement of diversity, equity, and inclusion",
            "I. Management Reports",
        ),
        ("II", "Adjournment", None),
    ]


def test_year_ranges_and_addresses_are_not_matter_numbers_or_items():
    items = items_of(
        [
            [
                "1. 2026-2027 Budget presentation by the finance director",
                "2. FY2026-27 capital plan update",
                "Written comments may be left at the Library located at 15920",
                "E. Central Avenue during business hours.",
                "3. Adjournment",
            ]
        ]
    )
    assert [(i.number, i.title, i.matter_file) for i in items] == [
        ("1", "2026-2027 Budget presentation by the finance director", None),
        ("2", "FY2026-27 capital plan update", None),
        ("3", "Adjournment", None),
    ]


def test_agendas_printed_from_web_pages_with_markers_glued_to_their_titles():
    items = items_of(
        [
            [
                "CALL TO ORDER",
                "A.MINUTES OF PREVIOUS PLANNING COMMISSION MEETING",
                "A-1READ AND APPROVE THE MINUTES OF THE REGULAR MEETING OF SEPTEMBER 6, 2026",
                "B.PUBLIC HEARINGS",
                "B-1CONSIDERATION OF A RESOLUTION APPROVING TENTATIVE PARCEL MAP NO. 83479",
                "C.NEW BUSINESS",
                "1.M-1560-22; Miscellaneous application for an accessory structure at 136 "
                "Rocky Point",
                "Road",
                "2.2027 Meeting Schedule",
                "3.9665 WILSHIRE BOULEVARD Conditional Use Permit",
            ]
        ]
    )
    assert [(i.number, i.title, i.section, i.matter_file) for i in items] == [
        (
            "A-1",
            "READ AND APPROVE THE MINUTES OF THE REGULAR MEETING OF SEPTEMBER 6, 2026",
            "A. MINUTES OF PREVIOUS PLANNING COMMISSION MEETING",
            None,
        ),
        (
            "B-1",
            "CONSIDERATION OF A RESOLUTION APPROVING TENTATIVE PARCEL MAP NO. 83479",
            "B. PUBLIC HEARINGS",
            None,
        ),
        (
            "1",
            "Miscellaneous application for an accessory structure at 136 Rocky Point Road",
            "C. NEW BUSINESS",
            "M-1560-22",
        ),
        ("2", "2027 Meeting Schedule", "C. NEW BUSINESS", None),
        ("3", "9665 WILSHIRE BOULEVARD Conditional Use Permit", "C. NEW BUSINESS", None),
    ]


def test_items_of_a_recess_to_closed_session_are_items_and_notices_after_adjournment_text():
    items = items_of(
        [
            [
                "1. CALL MEETING TO ORDER",
                "2. ADJOURN TO CLOSED SESSION TO DISCUSS THE FOLLOWING:",
                "A. CONFERENCE WITH LEGAL COUNSEL - EXISTING LITIGATION",
                "B. CONFERENCE WITH LEGAL COUNSEL - ANTICIPATED LITIGATION",
                "3. RECONVENE AND REPORT FROM CLOSED SESSION",
                "4. ADJOURNMENT",
                "A. The agenda was posted at City Hall 72 hours before the meeting.",
            ]
        ]
    )
    closed = "2. ADJOURN TO CLOSED SESSION TO DISCUSS THE FOLLOWING:"
    assert [(i.number, i.section) for i in items] == [
        ("1", None),
        ("A", closed),
        ("B", closed),
        ("3", None),
        ("4", None),
    ]
    assert items[-1].text == "A. The agenda was posted at City Hall 72 hours before the meeting."


def test_a_recommendation_numbered_like_the_agenda_stays_in_its_item():
    items = items_of(
        [
            [
                "1. PUBLIC COMMENT",
                "2. PRESENTATIONS",
                "3. WORKSHOP",
                "4. PUBLIC HEARING",
                "A. Public hearing to adopt a resolution authorizing the housing allocation",
                "application",
                "Recommendation: That the City Council take the following actions:",
                "1. Conduct a public hearing to receive community feedback;",
                "2. Authorize the City Manager to modify the application; and",
                "3. Adopt Resolution No. 2026-61.",
                "5. CONSENT CALENDAR",
                "A. Claims and demands",
            ]
        ]
    )
    assert [(i.number, i.section) for i in items] == [
        ("1", None),
        ("2", None),
        ("3", None),
        ("A", "4. PUBLIC HEARING"),
        ("A", "5. CONSENT CALENDAR"),
    ]
    assert items[3].text.endswith("3. Adopt Resolution No. 2026-61.")


def test_phone_numbers_and_stray_numbers_in_a_preamble_are_not_items():
    items = items_of(
        [
            [
                "Requests for accommodation can be made by calling the Commission Office at",
                "(213) 367-1356 during business hours.",
                "How to view the meeting: Local Cable: Spectrum Channel 6 or Uverse Channel",
                "99. YouTube Live Streaming Channel: Click here.",
                "1. Call to order",
                "2. Adjournment",
            ]
        ]
    )
    assert [(i.number, i.title) for i in items] == [("1", "Call to order"), ("2", "Adjournment")]


def test_a_lone_capitals_title_bullets_and_none_are_not_sections():
    items = items_of(
        [
            [
                "PARKS AND RECREATION COMMISSION",
                "1. Call to order",
                "2. PRESENTATIONS",
                "* SWEARING IN CEREMONY FOR APPOINTED OFFICIALS",
                "3. PUBLIC HEARINGS",
                "NONE",
                "4. Child care programs at recreation centers",
            ]
        ]
    )
    assert [(i.number, i.section) for i in items] == [
        ("1", None),
        ("2", None),
        ("3", None),
        ("4", None),
    ]
    assert items[1].text == "* SWEARING IN CEREMONY FOR APPOINTED OFFICIALS"


def test_running_headers_go_but_lines_an_agenda_repeats_on_many_pages_stay():
    pages = []
    for page in range(3):
        lines = []
        for n in range(6):
            number = page * 6 + n + 1
            lines += [
                f"{number}. Conditional use permit for a child care center at {number} Elm Street",
                f"Applicant: Applicant {number} LLC",
                "Recommendation: Receive and file.",
            ]
        pages.append(lines)
    items = items_of(pages, header=["Lakeview Planning Commission", "Agenda - May 5, 2026"])
    assert [i.number for i in items] == [str(n) for n in range(1, 19)]
    assert all(i.text.endswith("Recommendation: Receive and file.") for i in items)
    everything = " ".join(f"{i.title} {i.text}" for i in items)
    assert "Lakeview Planning Commission" not in everything and "Page 2 of 3" not in everything
