"""Find, read and validate the YAML configuration, failing with messages a person can act on.

Every error names the file, the key path (``jurisdictions[0].sources[1].platform``) and
what was expected; the CLI turns a :class:`ConfigError` into exit status 2.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from civicradar.config.schema import Config

ENV_PATTERN = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
DEFAULT_FILE = "civicradar.yaml"


class ConfigError(Exception):
    """The configuration cannot be used; the message says where and why."""


def resolve_path(explicit: str | os.PathLike[str] | None) -> Path:
    """``--config``, else ``$CIVICRADAR_CONFIG``, else ``./civicradar.yaml``."""
    if explicit:
        return Path(explicit)
    if os.environ.get("CIVICRADAR_CONFIG"):
        return Path(os.environ["CIVICRADAR_CONFIG"])
    return Path(DEFAULT_FILE)


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate one configuration file."""
    file = resolve_path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{file}: configuration file not found (pass --config FILE or set CIVICRADAR_CONFIG)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{file}: cannot read configuration: {exc}") from None
    return parse_config(text, file)


def parse_config(text: str, file: str | os.PathLike[str] = DEFAULT_FILE) -> Config:
    """Validate configuration text; ``file`` only names it in messages."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{file}:{where}: not valid YAML: {problem}") from None
    if not isinstance(raw, Mapping):
        raise ConfigError(f"{file}: expected a mapping of keys at the top level")
    expanded = _expand_environment(raw, file, ())
    _secrets_from_environment(expanded)
    try:
        return Config.model_validate(expanded)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, file)) from None


def _expand_environment(value: Any, file: str | os.PathLike[str], path: tuple) -> Any:
    """Replace ``${NAME}`` in strings with the environment variable, so secrets stay out."""
    if isinstance(value, Mapping):
        return {key: _expand_environment(item, file, (*path, key)) for key, item in value.items()}
    if isinstance(value, list):
        return [_expand_environment(item, file, (*path, i)) for i, item in enumerate(value)]
    if isinstance(value, str):

        def substitute(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in os.environ:
                raise ConfigError(
                    f"{file}: {_key_path(path)}: environment variable {name} is not set"
                )
            return os.environ[name]

        return ENV_PATTERN.sub(substitute, value)
    return value


def _secrets_from_environment(raw: dict[str, Any]) -> None:
    """Fill SMTP credentials and API keys from conventional variables when the file omits them."""
    email = (raw.get("alerts") or {}).get("email")
    if isinstance(email, dict):
        if "username" not in email and os.environ.get("CIVICRADAR_SMTP_USER"):
            email["username"] = os.environ["CIVICRADAR_SMTP_USER"]
        if "password" not in email and os.environ.get("CIVICRADAR_SMTP_PASSWORD"):
            email["password"] = os.environ["CIVICRADAR_SMTP_PASSWORD"]
    conventional = {
        "openfec": ("api_key", "OPENFEC_API_KEY"),
        "legistar": ("token", "LEGISTAR_TOKEN"),
    }
    for jurisdiction in raw.get("jurisdictions") or []:
        sources = jurisdiction.get("sources") if isinstance(jurisdiction, dict) else None
        for source in sources or []:
            if not isinstance(source, dict) or source.get("platform") not in conventional:
                continue
            key, variable = conventional[source["platform"]]
            if key not in source and os.environ.get(variable):
                source[key] = os.environ[variable]


def _key_path(loc: tuple) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _describe(exc: ValidationError, file: str | os.PathLike[str]) -> str:
    lines = []
    for error in exc.errors():
        loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            message = (
                "unknown key (check the spelling; see config/examples/civicradar.example.yaml)"
            )
        elif error["type"] == "missing":
            message = "required key is missing"
        elif message.startswith("Value error, "):
            message = message.removeprefix("Value error, ")
            key = re.match(r"^([a-z_][a-z0-9_.\[\]]*|fields\.[^:]+): ", message)
            if key:
                loc = (*loc, key.group(1))
                message = message[key.end() :]
        got = error.get("input")
        if (
            error["type"] not in ("missing", "extra_forbidden")
            and _short(got)
            and repr(got) not in message
        ):
            message += f" (got {got!r})"
        lines.append(f"{file}: {_key_path(loc)}: {message}")
    return "\n".join(lines)


def _is_union_tag(part: object) -> bool:
    return isinstance(part, str) and part.startswith(("function-", "literal["))


def _short(value: object) -> bool:
    return isinstance(value, str | int | float | bool) and len(repr(value)) <= 80
