"""Configuration layers: refkit.toml / [tool.refkit] / --config, Hugo site config, REFKIT_* and options."""

import dataclasses
from pathlib import Path

import pytest

from refkit.config import Settings, load_settings
from refkit.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_any_file(tmp_path: Path) -> None:
    settings = load_settings(cwd=tmp_path, environ={})
    assert settings.crossref_url == "https://api.crossref.org"
    assert settings.doi_url == "https://doi.org"
    assert settings.config_file is None


def test_refkit_toml_found_upward(tmp_path: Path) -> None:
    write(tmp_path / "refkit.toml", 'base_url = "https://wiki.example/"\nmailto = "me@example.org"\nstore = "cache/s.db"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    settings = load_settings(cwd=deep, environ={})
    assert settings.base_url == "https://wiki.example"
    assert settings.mailto == "me@example.org"
    # A relative store path is relative to the config file, not to where refkit runs.
    assert settings.store == str((tmp_path / "cache" / "s.db").resolve())


def test_tool_refkit_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n[tool.refkit]\npermalink = "/:year/:slug/"\n')
    assert load_settings(cwd=tmp_path, environ={}).permalink == "/:year/:slug/"


def test_pyproject_without_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "refkit.toml", 'permalink = "/outer/:slug/"\n')
    write(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "x"\n')
    assert load_settings(cwd=tmp_path / "inner", environ={}).permalink == "/outer/:slug/"


def test_precedence_file_then_env_then_options(tmp_path: Path) -> None:
    config = write(tmp_path / "custom.toml", 'crossref_url = "http://file.example"\ndoi_url = "http://file.example"\nmailto = "file@x"\n')
    environ = {"REFKIT_CROSSREF_URL": "http://env.example", "REFKIT_MAILTO": "env@x"}
    settings = load_settings(
        config_file=str(config), cwd=tmp_path, environ=environ, options={"crossref_url": "http://option.example", "mailto": None}
    )
    assert settings.crossref_url == "http://option.example"
    assert settings.mailto == "env@x"
    assert settings.doi_url == "http://file.example"


def test_hugo_config_gives_base_url_and_permalink(tmp_path: Path) -> None:
    write(tmp_path / "hugo.toml", 'baseURL = "https://hugo.example/"\n[permalinks]\nposts = "/posts/:slug/"\n')
    settings = load_settings(cwd=tmp_path, wiki_root=tmp_path / "content", environ={})
    assert (settings.base_url, settings.permalink) == ("https://hugo.example", "/posts/:slug/")


def test_hugo_yaml_config(tmp_path: Path) -> None:
    write(tmp_path / "config.yaml", "baseURL: https://yaml.example\npermalinks:\n  posts: /p/:filename/\n")
    settings = load_settings(cwd=tmp_path, environ={})
    assert (settings.base_url, settings.permalink) == ("https://yaml.example", "/p/:filename/")


def test_refkit_file_overrides_hugo(tmp_path: Path) -> None:
    write(tmp_path / "hugo.json", '{"baseURL": "https://hugo.example"}')
    write(tmp_path / "refkit.toml", 'base_url = "https://refkit.example"\n')
    assert load_settings(cwd=tmp_path, environ={}).base_url == "https://refkit.example"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('colour = "blue"\n', "unknown config key 'colour'"),
        ('crossref_url = "ftp://x"\n', "config key 'crossref_url'"),
        ("concurrency = 0\n", "config key 'concurrency'"),
        ('timeout = "soon"\n', "config key 'timeout'"),
        ('[rules]\ntitle-mismatch = "loud"\n', "config key 'rules.title-mismatch'"),
        ("base_url = [\n", "invalid TOML"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, text: str, names: str) -> None:
    write(tmp_path / "refkit.toml", text)
    with pytest.raises(ConfigError, match=names.replace("(", r"\(")):
        load_settings(cwd=tmp_path, environ={})


def test_bad_environment_value_names_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="^REFKIT_RETRIES: expected a whole number, got 'many'$"):
        load_settings(cwd=tmp_path, environ={"REFKIT_RETRIES": "many"})


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(config_file=str(tmp_path / "nope.toml"), cwd=tmp_path, environ={})


def test_settings_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'base_url'"):
        Settings().base_url = "x"  # type: ignore[misc]


def test_config_found_from_the_wiki_folder_when_cwd_has_none(tmp_path: Path) -> None:
    write(tmp_path / "wiki" / "refkit.toml", 'base_url = "https://seeds.example"\n')
    (tmp_path / "elsewhere").mkdir()
    settings = load_settings(cwd=tmp_path / "elsewhere", wiki_root=tmp_path / "wiki", environ={})
    assert settings.base_url == "https://seeds.example"


# --- NCBI settings (issue 10) ---------------------------------------------------------------------


def test_ncbi_settings_defaults_and_layers(tmp_path: Path) -> None:
    defaults = load_settings(cwd=tmp_path, environ={})
    assert defaults.ncbi_url == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
    assert defaults.ncbi_idconv_url == "https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles"
    assert defaults.ncbi_api_key is None
    write(tmp_path / "refkit.toml", 'ncbi_url = "http://file.example/eutils/"\nncbi_api_key = "file-key"\n')
    environ = {"REFKIT_NCBI_IDCONV_URL": "http://env.example/idconv", "REFKIT_NCBI_API_KEY": "env-key"}
    settings = load_settings(cwd=tmp_path, environ=environ, options={"ncbi_api_key": "option-key"})
    assert settings.ncbi_url == "http://file.example/eutils"
    assert settings.ncbi_idconv_url == "http://env.example/idconv"
    assert settings.ncbi_api_key == "option-key"


def test_a_bad_ncbi_url_is_one_line_naming_the_option(tmp_path: Path) -> None:
    from refkit_process import refkit_env, run_refkit

    (tmp_path / "wiki").mkdir()
    result = run_refkit("resolve", str(tmp_path / "wiki"), "--ncbi-url", "eutils.example", env=refkit_env(tmp_path))
    assert result.returncode == 2
    assert result.stderr.startswith("refkit: ") and result.stderr.count("\n") == 1
    assert result.stderr == "refkit: error: --ncbi-url: expected an http(s) URL with a host, got 'eutils.example'\n"
    result = run_refkit("resolve", str(tmp_path / "wiki"), env=refkit_env(tmp_path, ncbi_idconv_url="ftp://x"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert result.stderr == "refkit: error: REFKIT_NCBI_IDCONV_URL: expected an http(s) URL with a host, got 'ftp://x'\n"
