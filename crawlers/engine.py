"""Running Scrapy in-process: one reactor thread for the life of the process, many crawls.

Twisted's reactor cannot be restarted, so instead of ``CrawlerProcess`` (one crawl per
process) the reactor runs in a daemon thread and each call to :func:`crawl` schedules
its spiders there and blocks until they finish. That lets the CLI, the scheduler and the
tests crawl as often as they like in one process.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerRunner
from scrapy.settings import Settings

from civicradar.crawlers.base import CrawlJob, CrawlOutcome, SourceSpider
from civicradar.crawlers.registry import UnsupportedPlatform, spider_for_source

log = logging.getLogger(__name__)

REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
_reactor_lock = threading.Lock()
_reactor_thread: threading.Thread | None = None


def crawl_settings(crawling: Any) -> Settings:
    """Scrapy settings from the config's ``crawling`` section: polite, bounded, quiet."""
    settings = Settings()
    settings.setdict(
        {
            "USER_AGENT": crawling.user_agent,
            "ROBOTSTXT_OBEY": crawling.obey_robots,
            "DOWNLOAD_TIMEOUT": crawling.timeout_seconds,
            "RETRY_ENABLED": crawling.retries > 0,
            "RETRY_TIMES": crawling.retries,
            "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
            "CONCURRENT_REQUESTS": 16,
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawling.concurrency_per_domain,
            "DOWNLOAD_DELAY": crawling.download_delay,
            "AUTOTHROTTLE_ENABLED": crawling.autothrottle,
            "AUTOTHROTTLE_START_DELAY": max(crawling.download_delay, 0.1),
            "AUTOTHROTTLE_TARGET_CONCURRENCY": float(crawling.concurrency_per_domain),
            "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "LOG_ENABLED": False,
            "HTTPCACHE_ENABLED": False,
            "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
            "TWISTED_REACTOR": REACTOR,
            "ITEM_PIPELINES": {"civicradar.crawlers.pipelines.CollectRecords": 100},
            "DOWNLOAD_MAXSIZE": 200 * 1024 * 1024,
            "DOWNLOAD_WARNSIZE": 0,
        }
    )
    return settings


def crawl(
    jobs: Iterable[CrawlJob],
    crawling: Any,
    *,
    on_done: Callable[[CrawlOutcome], None] | None = None,
) -> list[CrawlOutcome]:
    """Crawl every job's source concurrently; one outcome per job, never an exception per source."""
    jobs = list(jobs)
    if not jobs:
        return []
    reactor = _running_reactor()
    from twisted.internet import threads

    settings = crawl_settings(crawling)
    outcomes = [CrawlOutcome(job=job) for job in jobs]
    threads.blockingCallFromThread(reactor, _crawl_all, settings, outcomes, on_done)
    return outcomes


def _crawl_all(
    settings: Settings,
    outcomes: list[CrawlOutcome],
    on_done: Callable[[CrawlOutcome], None] | None,
) -> Any:
    from twisted.internet import defer

    runner = CrawlerRunner(settings)
    waits = []
    for outcome in outcomes:
        try:
            spider_class = spider_for_source(outcome.job.source)
        except UnsupportedPlatform as exc:
            outcome.fail(str(exc))
            if on_done is not None:
                on_done(outcome)
            continue
        crawler = runner.create_crawler(spider_class)
        _watch(crawler, outcome)
        deferred = runner.crawl(crawler, outcome=outcome)
        deferred.addErrback(_crawl_crashed, outcome)
        deferred.addBoth(_count_costs, crawler, outcome)
        if on_done is not None:
            deferred.addBoth(lambda result, o=outcome: (on_done(o), result)[1])
        waits.append(deferred)
    return defer.DeferredList(waits, consumeErrors=True)


def _watch(crawler: Crawler, outcome: CrawlOutcome) -> None:
    """Count requests and bytes and catch callback exceptions as problems of the source."""

    def spider_error(failure: Any, response: Any, spider: SourceSpider) -> None:
        outcome.fail(f"error parsing {response.url}: {failure.getErrorMessage()}")

    def spider_closed(spider: SourceSpider, reason: str) -> None:
        if reason not in ("finished",):
            outcome.fail(f"crawl ended early: {reason}")

    # weak=False: the dispatcher holds receivers weakly, and these closures have no other
    # owner; held weakly they were collected at once and callback errors went unrecorded.
    crawler.signals.connect(spider_error, signal=signals.spider_error, weak=False)
    crawler.signals.connect(spider_closed, signal=signals.spider_closed, weak=False)


def _count_costs(result: Any, crawler: Crawler, outcome: CrawlOutcome) -> Any:
    stats = crawler.stats.get_stats() if crawler.stats else {}
    outcome.requests = int(stats.get("downloader/request_count", 0))
    outcome.bytes = int(stats.get("downloader/response_bytes", 0))
    outcome.not_modified = int(stats.get("downloader/response_status_count/304", 0))
    return result


def _crawl_crashed(failure: Any, outcome: CrawlOutcome) -> None:
    log.error("crawl of %s crashed: %s", outcome.job.label, failure.getTraceback())
    outcome.fail(f"crawl crashed: {failure.getErrorMessage()}")


def _running_reactor() -> Any:
    """Install the asyncio reactor once and start it in a daemon thread."""
    global _reactor_thread
    with _reactor_lock:
        from scrapy.utils.reactor import install_reactor, is_reactor_installed

        if not is_reactor_installed():
            install_reactor(REACTOR)
        from twisted.internet import reactor

        if _reactor_thread is None:
            _reactor_thread = threading.Thread(
                target=reactor.run,
                kwargs={"installSignalHandlers": False},
                name="civicradar-reactor",
                daemon=True,
            )
            _reactor_thread.start()
        return reactor
