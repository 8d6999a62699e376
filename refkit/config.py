"""Settings from refkit.toml, [tool.refkit] in pyproject.toml, the Hugo site config,
REFKIT_* environment variables and command-line options, merged into one frozen Settings.

Precedence, lowest first: built-in defaults, Hugo site config (base_url, permalink only),
the refkit config file, REFKIT_* environment variables, command-line options."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import ConfigError

DEFAULT_CROSSREF_URL = "https://api.crossref.org"
DEFAULT_DOI_URL = "https://doi.org"
DEFAULT_NCBI_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_NCBI_IDCONV_URL = "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles"
SEVERITY_CHOICES = ("error", "warning", "info", "off")


def default_store_path() -> str:
    """The store lives in the user's cache directory (XDG on Linux and macOS alike)."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "refkit", "store.sqlite3")


@dataclass(frozen=True)
class Settings:
    base_url: str = ""
    permalink: str = "/:slug/"
    mailto: str | None = None
    store: str = field(default_factory=default_store_path)
    crossref_url: str = DEFAULT_CROSSREF_URL
    doi_url: str = DEFAULT_DOI_URL
    plus_token: str | None = None
    """Crossref Metadata Plus token, sent as `Crossref-Plus-API-Token: Bearer …`."""
    ncbi_url: str = DEFAULT_NCBI_URL
    """NCBI E-utilities base URL (efetch.fcgi is asked under it)."""
    ncbi_idconv_url: str = DEFAULT_NCBI_IDCONV_URL
    """The PMC ID Converter (PMCID -> PMID and DOI)."""
    ncbi_api_key: str | None = None
    """NCBI API key: E-utilities allow 10 requests/s with one, 3 without."""
    concurrency: int = 3
    """Requests in flight at once (Crossref's polite pool allows 3)."""
    timeout: float = 20.0
    """Seconds before one HTTP request is abandoned."""
    retries: int = 4
    """Retries of one request after a 429, 5xx, timeout or malformed body."""
    max_age_days: float = 90.0
    """Stored answers older than this are fetched again."""
    offline: bool = False
    refresh: bool = False
    no_cache: bool = False
    """Read every page again: no scanned page is taken from the store or kept there."""
    rules: Mapping[str, str] = field(default_factory=dict)
    """Severity overrides by rule id: error, warning, info or off."""
    config_file: str | None = None
    """The configuration file that was read, if any."""


class _Invalid(ValueError):
    """A bad value; `_validate` names where it came from (file and key, variable or option)."""

    def __init__(self, reason: str, subkey: str | None = None) -> None:
        super().__init__(reason)
        self.subkey = subkey


def _check_str(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"expected a string, got {value!r}")
    return value


def _check_url(value: Any) -> str:
    """An absolute http(s) URL that an HTTP client can connect to: a host, a port that is a
    number, no spaces; checked up front rather than failing inside the HTTP client."""
    value = _check_str(value).strip().rstrip("/")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (parsing the port is the check: 'abc' or 99999 raise)
    except ValueError as error:
        raise _Invalid(f"expected an http(s) URL, got {value!r} ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Invalid(f"expected an http(s) URL with a host, got {value!r}")
    if any(char.isspace() or ord(char) < 0x20 for char in value):
        raise _Invalid(f"expected a URL without spaces, got {value!r}")
    return value


def _check_base_url(value: Any) -> str:
    """The wiki's base URL: an http(s) URL, or a path from the site's root ('/wiki'), or empty."""
    value = _check_str(value).strip()
    if value in ("", "/") or (value.startswith("/") and not value.startswith("//") and not any(c.isspace() for c in value)):
        return value.rstrip("/")
    return _check_url(value)


def _check_number(value: Any, minimum: float, kind: type[int] | type[float]) -> Any:
    noun = "a whole number" if kind is int else "a number"
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise _Invalid(f"expected {noun}, got {value!r}") from None
    # bool is an int to Python, and int("3.5") fails but int(3.5) truncates: refuse both.
    if isinstance(value, bool) or number < minimum or (kind is int and str(number) != str(value).strip()):
        raise _Invalid(f"expected {noun} >= {minimum}, got {value!r}")
    return number


def _check_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise _Invalid(f"expected true or false, got {value!r}")


def _check_rules(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _Invalid("expected a table of rule = severity")
    from .rules import RULES_BY_ID

    rules: dict[str, str] = {}
    for rule, severity in value.items():
        if rule not in RULES_BY_ID:
            raise _Invalid(f"unknown rule '{rule}' (known: {', '.join(RULES_BY_ID)})")
        if severity not in SEVERITY_CHOICES:
            raise _Invalid(f"expected one of {', '.join(SEVERITY_CHOICES)}, got {severity!r}", subkey=str(rule))
        rules[str(rule)] = severity
    return rules


PERMALINK_TOKENS = ("slug", "filename", "section", "title", "year", "month", "day")
"""The Hugo permalink tokens refkit fills in (pages.page_url)."""
_ANY_TOKEN = re.compile(r":([A-Za-z_]\w*)")


def _check_permalink(value: Any) -> str:
    value = _check_str(value)
    unknown = [token for token in _ANY_TOKEN.findall(value) if token not in PERMALINK_TOKENS]
    if unknown:
        raise _Invalid(
            f"unknown permalink token ':{unknown[0]}' in {value!r} (known: {', '.join(':' + token for token in PERMALINK_TOKENS)})"
        )
    return value


_VALIDATORS: dict[str, Callable[[Any], Any]] = {
    "base_url": _check_base_url,
    "permalink": _check_permalink,
    "mailto": _check_str,
    "store": _check_str,
    "crossref_url": _check_url,
    "doi_url": _check_url,
    "plus_token": _check_str,
    "ncbi_url": _check_url,
    "ncbi_idconv_url": _check_url,
    "ncbi_api_key": _check_str,
    "concurrency": lambda value: _check_number(value, 1, int),
    "timeout": lambda value: _check_number(value, 0.01, float),
    "retries": lambda value: _check_number(value, 0, int),
    "max_age_days": lambda value: _check_number(value, 0, float),
    "offline": _check_bool,
    "refresh": _check_bool,
    "no_cache": _check_bool,
    "rules": _check_rules,
}
KEYS = tuple(_VALIDATORS)


def option_name(key: str) -> str:
    """The command-line option that sets a config key: `concurrency` is `--concurrency`."""
    return "--" + key.replace("_", "-")


def env_name(key: str) -> str:
    """The environment variable that sets a config key."""
    return f"REFKIT_{key.upper()}"


def _validate(values: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """Checked values; a bad one is a ConfigError naming where it came from: the option
    (`--concurrency`) for origin "option", the variable (`REFKIT_RETRIES`) for "environment",
    else the origin (a file) and the config key."""
    checked: dict[str, Any] = {}
    for key, value in values.items():
        if key not in _VALIDATORS:
            raise ConfigError(f"{origin}: unknown config key '{key}' (known: {', '.join(KEYS)})")
        try:
            checked[key] = _VALIDATORS[key](value)
        except _Invalid as error:
            if origin == "option":
                where = option_name(key)
            elif origin == "environment":
                where = env_name(key)
            else:
                where = f"{origin}: config key '{key}{'.' + error.subkey if error.subkey else ''}'"
            raise ConfigError(f"{where}: {error}") from None
    return checked


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stream:
            return tomllib.load(stream)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None


def find_config_file(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest refkit.toml, or pyproject.toml with a [tool.refkit] table, upward from start."""
    for folder in (start, *start.parents):
        candidate = folder / "refkit.toml"
        if candidate.is_file():
            return candidate, _read_toml(candidate)
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("refkit")
            if table is not None:
                return pyproject, table
    return None


_HUGO_CONFIG_NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml")


def read_hugo_config(folder: Path) -> tuple[Path | None, dict[str, Any]]:
    """The Hugo site config in folder or above, if there is one, and its base_url and permalink."""
    for directory in (folder, *folder.parents):
        for name in _HUGO_CONFIG_NAMES:
            path = directory / name
            if path.is_file():
                return path, _hugo_settings(path)
    return None, {}


def _hugo_settings(path: Path) -> dict[str, Any]:
    try:
        if path.suffix == ".toml":
            data = _read_toml(path)
        elif path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
        else:
            import yaml  # python-frontmatter depends on PyYAML

            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (ValueError, OSError) as error:
        raise ConfigError(f"{path}: cannot read the Hugo site config: {error}") from None
    except Exception as error:  # yaml.YAMLError has no common base with ValueError
        raise ConfigError(f"{path}: invalid Hugo site config: {error}") from None
    if not isinstance(data, Mapping):
        return {}
    found: dict[str, Any] = {}
    base = data.get("baseURL") or data.get("baseurl")
    if isinstance(base, str):
        found["base_url"] = base.rstrip("/")
    permalinks = data.get("permalinks")
    if isinstance(permalinks, Mapping):
        # Hugo keys permalinks by section; "posts" and "page" are the common ones for content.
        for section in ("posts", "post", "page", "pages"):
            pattern = permalinks.get(section)
            if isinstance(pattern, str):
                found["permalink"] = pattern
                break
            if isinstance(pattern, Mapping) and isinstance(pattern.get("page"), str):
                found["permalink"] = pattern["page"]
                break
    return found


def env_settings(environ: Mapping[str, str]) -> dict[str, Any]:
    """REFKIT_<KEY> variables (rules cannot be set this way)."""
    values = {}
    for key in KEYS:
        name = env_name(key)
        if key != "rules" and environ.get(name, "") != "":
            values[key] = environ[name]
    return values


def load_settings(
    *,
    config_file: str | None = None,
    cwd: Path | None = None,
    wiki_root: Path | None = None,
    environ: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> Settings:
    """Merge every layer into one Settings. `options` holds command-line values (None = not given).

    The config file is looked for upward from `cwd`, then upward from `wiki_root` (the first folder
    being read), so `refkit scan seeds/` finds seeds/refkit.toml; the Hugo site config likewise."""
    cwd = cwd or Path.cwd()
    environ = os.environ if environ is None else environ
    merged: dict[str, Any] = {}
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"{config_file}: config file not found")
        data = _read_toml(path)
        if path.name == "pyproject.toml":
            data = data.get("tool", {}).get("refkit", {})
        found: tuple[Path, dict[str, Any]] | None = (path, data)
    else:
        found = find_config_file(cwd) or (find_config_file(wiki_root) if wiki_root else None)
    if found is not None:
        path, data = found
        merged.update(_validate(data, str(path)))
        merged["config_file"] = str(path)
        if "store" in data:
            # A relative store path in a config file means relative to that file.
            merged["store"] = str((path.parent / merged["store"]).resolve()) if not os.path.isabs(merged["store"]) else merged["store"]
    merged.update(_validate(env_settings(environ), "environment"))
    given = {key: value for key, value in (options or {}).items() if value is not None}
    merged.update(_validate(given, "option"))
    # The Hugo site config is the lowest layer; what the others set is never read from it, so a
    # permalink refkit cannot fill in there can be overridden in refkit.toml instead.
    hugo_path, hugo = read_hugo_config(wiki_root or cwd)
    hugo = {key: value for key, value in hugo.items() if key not in merged}
    merged = {**_validate(hugo, f"{hugo_path} (Hugo site config)"), **merged}
    return dataclasses.replace(Settings(), **merged)
