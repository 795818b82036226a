"""``civicradar`` command line: the one place where the steps of the flow are wired together.

Exit status is 0 on success (a failing source is reported and recorded, not fatal) and
2 for bad configuration or usage, with a message naming what is wrong. The group is built
in ``group.py``; ``common.py`` holds what the commands share, and each other module one
area's commands.
"""

from civicradar.cli.group import cli, main

__all__ = ["cli", "main"]
