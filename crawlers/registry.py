"""Which spider crawls which (type, platform): adding a platform is one module and one line."""

from __future__ import annotations

from importlib import import_module

from civicradar.crawlers.base import SourceSpider

SPIDERS: dict[tuple[str, str], str] = {
    ("agendas", "legistar"): "civicradar.crawlers.legistar:LegistarAgendaSpider",
    ("agendas", "rss"): "civicradar.crawlers.rss:RssAgendaSpider",
    ("agendas", "civicplus"): "civicradar.crawlers.civicplus_agendas:CivicPlusAgendaSpider",
    ("staff_directory", "legistar"): "civicradar.crawlers.legistar:LegistarPeopleSpider",
    ("staff_directory", "html_table"): "civicradar.crawlers.html_table:HtmlTableSpider",
    ("staff_directory", "csv"): "civicradar.crawlers.csv:CsvSpider",
    ("staff_directory", "json"): "civicradar.crawlers.json:JsonSpider",
    ("staff_directory", "civicplus"): "civicradar.crawlers.civicplus:CivicPlusDirectorySpider",
    ("candidate_list", "html_table"): "civicradar.crawlers.html_table:HtmlTableSpider",
    ("candidate_list", "csv"): "civicradar.crawlers.csv:CsvSpider",
    ("candidate_list", "json"): "civicradar.crawlers.json:JsonSpider",
    ("candidate_list", "openfec"): "civicradar.crawlers.openfec:OpenFecSpider",
}


class UnsupportedPlatform(LookupError):
    pass


def spider_for(source_type: str, platform: str) -> type[SourceSpider]:
    try:
        target = SPIDERS[(source_type, platform)]
    except KeyError:
        raise UnsupportedPlatform(
            f"no spider for platform {platform!r} with type {source_type!r} yet"
        ) from None
    module, _, name = target.partition(":")
    return getattr(import_module(module), name)


def supported(source_type: str, platform: str) -> bool:
    return (source_type, platform) in SPIDERS
