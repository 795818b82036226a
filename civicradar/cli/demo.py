"""``demo``: the whole pipeline offline on the sample city (the story is in civicradar/demo.py)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the demo's store, config and feed (default ./civicradar-demo).",
)
def demo(output: Path | None) -> None:
    """Run the whole pipeline offline on the sample city shipped with CivicRadar."""
    from civicradar.demo import run_demo

    run_demo(output or Path("civicradar-demo"))
