"""``civicradar demo``: the whole pipeline, offline, on the sample city shipped with the project."""

from __future__ import annotations

from pathlib import Path

import click


def run_demo(output: Path) -> None:
    raise click.ClickException("demo: not implemented yet")
