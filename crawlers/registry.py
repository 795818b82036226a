"""Which spider crawls which (type, platform): adding a platform is one module and one line.

The names come from the one platform registry (``config/platforms.py``);
``tests/test_registry.py`` holds the two equal.
"""

from __future__ import annotations

from civicradar.config.schema import Source
from civicradar.crawlers.base import SourceSpider
from civicradar.crawlers.boarddocs import BoardDocsAgendaSpider
from civicradar.crawlers.civicclerk import CivicClerkAgendaSpider
from civicradar.crawlers.civicplus import CivicPlusDirectorySpider
from civicradar.crawlers.civicplus_agendas import CivicPlusAgendaSpider
from civicradar.crawlers.csv import CsvSpider
from civicradar.crawlers.escribe import EscribeAgendaSpider
from civicradar.crawlers.granicus import GranicusAgendaSpider
from civicradar.crawlers.html_table import HtmlTableSpider
from civicradar.crawlers.ics import IcsAgendaSpider
from civicradar.crawlers.iqm2 import Iqm2AgendaSpider
from civicradar.crawlers.json import JsonSpider
from civicradar.crawlers.legistar import LegistarAgendaSpider, LegistarPeopleSpider
from civicradar.crawlers.legistar_insite import LegistarInSiteSpider
from civicradar.crawlers.novusagenda import NovusAgendaSpider
from civicradar.crawlers.openfec import OpenFecSpider
from civicradar.crawlers.primegov import PrimeGovAgendaSpider
from civicradar.crawlers.rss import RssAgendaSpider

SPIDERS: dict[tuple[str, str], type[SourceSpider]] = {
    ("agendas", "legistar"): LegistarAgendaSpider,
    ("agendas", "rss"): RssAgendaSpider,
    ("agendas", "civicplus"): CivicPlusAgendaSpider,
    ("agendas", "granicus"): GranicusAgendaSpider,
    ("agendas", "primegov"): PrimeGovAgendaSpider,
    ("agendas", "civicclerk"): CivicClerkAgendaSpider,
    ("agendas", "escribe"): EscribeAgendaSpider,
    ("agendas", "boarddocs"): BoardDocsAgendaSpider,
    ("agendas", "iqm2"): Iqm2AgendaSpider,
    ("agendas", "novusagenda"): NovusAgendaSpider,
    ("agendas", "ics"): IcsAgendaSpider,
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


PAGE_SPIDERS: dict[tuple[str, str], type[SourceSpider]] = {
    ("agendas", "legistar"): LegistarInSiteSpider,
}
"""Platforms read from their public pages when a source gives ``url`` and no ``client``
(a Legistar client whose Web API is closed: its ``Calendar.aspx``)."""


class UnsupportedPlatform(LookupError):
    pass


def spider_for(source_type: str, platform: str) -> type[SourceSpider]:
    try:
        return SPIDERS[(source_type, platform)]
    except KeyError:
        raise UnsupportedPlatform(
            f"no spider for platform {platform!r} with type {source_type!r} yet"
        ) from None


def spider_for_source(source: Source) -> type[SourceSpider]:
    """The spider for a configured source: its platform's, or the page reader when the
    source names a ``url`` instead of an API ``client``."""
    key = (source.type, source.platform)
    if key in PAGE_SPIDERS and source.url and not source.client:
        return PAGE_SPIDERS[key]
    return spider_for(source.type, source.platform)
