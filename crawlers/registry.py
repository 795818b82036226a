"""Which spider crawls which (type, platform): adding a platform is one module and one line.

The names come from the one platform registry (``config/platforms.py``);
``tests/test_registry.py`` holds the two equal.
"""

from __future__ import annotations

from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.civicplus import CivicPlusDirectorySpider
from civicradar.crawlers.civicplus_agendas import CivicPlusAgendaSpider
from civicradar.crawlers.csv import CsvSpider
from civicradar.crawlers.html_table import HtmlTableSpider
from civicradar.crawlers.json import JsonSpider
from civicradar.crawlers.legistar import LegistarAgendaSpider, LegistarPeopleSpider
from civicradar.crawlers.openfec import OpenFecSpider
from civicradar.crawlers.rss import RssAgendaSpider

SPIDERS: dict[tuple[str, str], type[SourceSpider]] = {
    ("agendas", "legistar"): LegistarAgendaSpider,
    ("agendas", "rss"): RssAgendaSpider,
    ("agendas", "civicplus"): CivicPlusAgendaSpider,
    ("staff_directory", "legistar"): LegistarPeopleSpider,
    ("staff_directory", "html_table"): HtmlTableSpider,
    ("staff_directory", "csv"): CsvSpider,
    ("staff_directory", "json"): JsonSpider,
    ("staff_directory", "civicplus"): CivicPlusDirectorySpider,
    ("candidate_list", "html_table"): HtmlTableSpider,
    ("candidate_list", "csv"): CsvSpider,
    ("candidate_list", "json"): JsonSpider,
    ("candidate_list", "openfec"): OpenFecSpider,
}


class UnsupportedPlatform(LookupError):
    pass


def spider_for(source_type: str, platform: str) -> type[SourceSpider]:
    try:
        return SPIDERS[(source_type, platform)]
    except KeyError:
        raise UnsupportedPlatform(
            f"no spider for platform {platform!r} with type {source_type!r} yet"
        ) from None
