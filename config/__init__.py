"""Loading and validating the YAML configuration."""

from civicradar.config.loader import ConfigError, load_config, parse_config, resolve_path
from civicradar.config.schema import Config, Detection, Jurisdiction, Source

__all__ = [
    "Config",
    "ConfigError",
    "Detection",
    "Jurisdiction",
    "Source",
    "load_config",
    "parse_config",
    "resolve_path",
]
