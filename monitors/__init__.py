"""Change detection: compares what was crawled with what is stored, and logs the differences."""
