"""Scrapy spiders, one module per platform; they only fetch and extract typed records."""
