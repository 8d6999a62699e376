"""The house rules that code review would otherwise have to remember: imports flow one way,
slow and I/O libraries stay in their one module, the library never prints or exits, and
`refkit scan` starts without loading the network or BibTeX stacks."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "refkit"

# Lower layers never import higher ones: pages -> citations -> works -> references -> exports / findings.
LAYERS = {
    "errors": 0, "wordlists": 0,
    "model": 1,
    "folding": 1,
    "config": 2, "doi": 2, "pubmed": 2, "names": 2, "markup": 2, "atomic": 2, "git": 2,
    "rules": 2,
    "pages": 3, "listed": 3,
    "scan": 4, "store": 4, "page_cache": 4, "sources": 4,
    "resolve": 5, "reconcile": 5,
    "references": 6, "keys": 6, "baseline": 6, "fix": 6,
    "exports": 7, "reporters": 7,
    "outputs": 7,
    "api": 8,
    "cli": 9, "__main__": 9,
}

# Third-party and I/O modules, and the only places allowed to import them.
OWNERS = {
    "habanero": {"sources.crossref"},
    "httpx2": {"sources.crossref"},
    "requests": {"sources.http"},
    "urllib3": {"sources.http"},
    "xml": {"sources.ncbi", "reporters.junit"},  # PubMed XML in, JUnit XML out
    "sqlite3": {"store"},
    "bibtexparser": {"exports.bibtex"},
    "click": {"cli"},
    "frontmatter": {"pages"},
    "subprocess": {"git"},
}


def modules() -> list[tuple[str, ast.Module]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__")
        found.append((name, ast.parse(path.read_text(encoding="utf-8"))))
    return found


def imported(name: str, tree: ast.Module) -> set[str]:
    """Absolute names of everything `name` imports (relative imports resolved)."""
    package = name.split(".")[:-1] if not (PACKAGE / Path(*name.split("."))).is_dir() else name.split(".")
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join(["refkit", *base, *([node.module] if node.module else [])])
                names.add(target)
                if not node.module:
                    names.update(f"{target}.{alias.name}".replace("refkit..", "refkit.") for alias in node.names)
            else:
                names.add(node.module or "")
    return names


def layer_of(name: str) -> int:
    return LAYERS[name.split(".")[0]]


@pytest.mark.parametrize(("name", "tree"), modules(), ids=[name or "refkit" for name, _ in modules()])
def test_imports_flow_one_way(name: str, tree: ast.Module) -> None:
    if not name:
        return
    for target in imported(name, tree):
        if target.startswith("refkit."):
            inner = target.removeprefix("refkit.")
            if inner and inner.split(".")[0] in LAYERS:
                assert layer_of(inner) <= layer_of(name), f"{name} imports {inner}, a later step"
        top = target.split(".")[0]
        if top in OWNERS:
            assert name in OWNERS[top], f"{name} imports {top}; only {sorted(OWNERS[top])} may"


# The standard library's own ways onto the network: only identifier sources may use them.
NETWORK_MODULES = ("socket", "ssl", "http.client", "urllib.request", "ftplib", "smtplib")


@pytest.mark.parametrize(("name", "tree"), modules(), ids=[name or "refkit" for name, _ in modules()])
def test_only_sources_talk_to_the_network(name: str, tree: ast.Module) -> None:
    if name.startswith("sources"):
        return
    for target in imported(name, tree):
        assert not target.startswith(NETWORK_MODULES), f"{name} imports {target}; only sources/ talk to the network"


@pytest.mark.parametrize(("name", "tree"), modules(), ids=[name or "refkit" for name, _ in modules()])
def test_the_library_never_prints_or_exits(name: str, tree: ast.Module) -> None:
    if name in ("cli", "__main__"):  # the command's edge
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            function = node.func
            called = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
            owner = getattr(getattr(function, "value", None), "id", "")
            assert called not in ("print", "exit", "input") or owner not in ("", "sys"), f"{name} calls {called}"
        if isinstance(node, ast.Attribute) and node.attr == "argv":
            pytest.fail(f"{name} reads sys.argv")


# What the command line may use: the API, and the registries and settings it parses options into.
CLI_MAY_IMPORT = {"api", "config", "errors", "exports", "outputs", "reporters", "atomic", "__version__"}


def test_the_cli_only_parses_calls_and_renders() -> None:
    """Pipelines live in refkit.api, usable from Python exactly as from the shell; cli.py reaches
    the library only through it (and the registries of formats it offers as choices)."""
    tree = dict(modules())["cli"]
    used = {target.removeprefix("refkit.").split(".")[0] for target in imported("cli", tree) if target.startswith("refkit.")}
    assert used - {""} <= CLI_MAY_IMPORT, f"cli.py imports {sorted(used - CLI_MAY_IMPORT)}"


def test_scan_starts_without_network_bibtex_or_front_matter_libraries() -> None:
    """python-frontmatter and PyYAML take a quarter of refkit's start; a scan that takes every page
    from the store reads none, so neither the scan nor the page cache and its fingerprint may load
    them (the first page read does)."""
    code = (
        "import sys, refkit, refkit.cli, refkit.scan\n"
        "heavy = {'habanero', 'httpx2', 'requests', 'bibtexparser', 'sqlite3', 'frontmatter', 'yaml'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
        "import refkit.page_cache\n"
        "refkit.page_cache._code_digest()\n"
        "print(sorted({'frontmatter', 'yaml'} & set(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split("\n")[:2] == ["[]", "[]"]
