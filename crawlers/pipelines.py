"""The one item pipeline: accept typed records into the crawl's outcome, reject anything else."""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import DropItem

from civicradar.crawlers.base import SourceSpider
from civicradar.models.records import ProblemRecord, Record


class CollectRecords:
    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> CollectRecords:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        spider: SourceSpider = self.crawler.spider
        if isinstance(item, ProblemRecord):
            if item.severity == "failed":
                spider.outcome.fail(item.detail)
            else:
                spider.outcome.suspect(item.detail)
            return item
        if not isinstance(item, Record):
            spider.outcome.fail(f"spider yielded an untyped item: {type(item).__name__}")
            raise DropItem("untyped item")
        spider.outcome.add(item)
        return item
