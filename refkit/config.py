"""Settings from refkit.toml, [tool.refkit] in pyproject.toml, the Hugo site config,
REFKIT_* environment variables and command-line options, merged into one frozen Settings.

Precedence, lowest first: built-in defaults, Hugo site config (base_url, permalink only),
the refkit config file, REFKIT_* environment variables, command-line options."""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    rules: Mapping[str, str] = field(default_factory=dict)
    """Severity overrides by rule id: error, warning, info or off."""
    config_file: str | None = None
    """The configuration file that was read, if any."""


def _check_str(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"config key '{key}': expected a string, got {value!r}")
    return value


def _check_url(key: str, value: Any) -> str:
    value = _check_str(key, value).rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"config key '{key}': expected an http(s) URL, got {value!r}")
    return value


def _check_number(key: str, value: Any, minimum: float, kind: type[int] | type[float]) -> Any:
    noun = "a whole number" if kind is int else "a number"
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"config key '{key}': expected {noun}, got {value!r}") from None
    # bool is an int to Python, and int("3.5") fails but int(3.5) truncates: refuse both.
    if isinstance(value, bool) or number < minimum or (kind is int and str(number) != str(value).strip()):
        raise ConfigError(f"config key '{key}': expected {noun} >= {minimum}, got {value!r}")
    return number


def _check_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"config key '{key}': expected true or false, got {value!r}")


def _check_rules(key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"config key '{key}': expected a table of rule = severity")
    rules: dict[str, str] = {}
    for rule, severity in value.items():
        if severity not in SEVERITY_CHOICES:
            raise ConfigError(
                f"config key '{key}.{rule}': expected one of {', '.join(SEVERITY_CHOICES)}, got {severity!r}"
            )
        rules[str(rule)] = severity
    return rules


def _check_permalink(key: str, value: Any) -> str:
    return _check_str(key, value)


_VALIDATORS = {
    "base_url": lambda k, v: _check_str(k, v).rstrip("/"),
    "permalink": _check_permalink,
    "mailto": _check_str,
    "store": _check_str,
    "crossref_url": _check_url,
    "doi_url": _check_url,
    "plus_token": _check_str,
    "ncbi_url": _check_url,
    "ncbi_idconv_url": _check_url,
    "ncbi_api_key": _check_str,
    "concurrency": lambda k, v: _check_number(k, v, 1, int),
    "timeout": lambda k, v: _check_number(k, v, 0.01, float),
    "retries": lambda k, v: _check_number(k, v, 0, int),
    "max_age_days": lambda k, v: _check_number(k, v, 0, float),
    "offline": _check_bool,
    "refresh": _check_bool,
    "rules": _check_rules,
}
KEYS = tuple(_VALIDATORS)


def _validate(values: Mapping[str, Any], origin: str) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for key, value in values.items():
        if key not in _VALIDATORS:
            raise ConfigError(f"{origin}: unknown config key '{key}' (known: {', '.join(KEYS)})")
        try:
            checked[key] = _VALIDATORS[key](key, value)
        except ConfigError as error:
            raise ConfigError(f"{origin}: {error}") from None
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


def read_hugo_config(folder: Path) -> dict[str, Any]:
    """base_url and permalink from a Hugo site config in folder or above, if there is one."""
    for directory in (folder, *folder.parents):
        for name in _HUGO_CONFIG_NAMES:
            path = directory / name
            if path.is_file():
                return _hugo_settings(path)
    return {}


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
        name = f"REFKIT_{key.upper()}"
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
    merged.update(_validate(read_hugo_config(wiki_root or cwd), "Hugo site config"))
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
    return dataclasses.replace(Settings(), **merged)
