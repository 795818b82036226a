"""CivicRadar: watches local governments and reports what changed.

This package is the composition root (command line, scheduler, web app, demo);
the steps of the flow live in ``civicradar.crawlers``, ``civicradar.models``,
``civicradar.monitors``, ``civicradar.alerts`` and ``civicradar.config``.
"""

__version__ = "0.1.0"
