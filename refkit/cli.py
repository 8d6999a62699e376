"""The command line: parse options, build Settings, call the library, pick a writer, set the exit status.

Exit statuses (public API): 0 all is well; 1 the wiki has problems (skipped pages, or findings
that reach --fail-on); 2 usage or configuration errors, or refkit itself could not go on."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from . import __version__, api
from .api import EXIT_ERROR, EXIT_OK
from .config import KEYS, Settings, load_settings
from .errors import PageError, RefkitError
from .exports import FORMATS
from .outputs import RESOLVE_FORMATS, SCAN_FORMATS, ResolvedIdentifier
from .reporters import FAIL_ON_CHOICES, REPORTERS, Summary, summary_line


class RefkitGroup(click.Group):
    """Turns refkit's own errors into one line on stderr and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RefkitError as error:
            click.echo(f"refkit: error: {error}", err=True)
            ctx.exit(EXIT_ERROR)
        except BrokenPipeError:
            # The reader (e.g. `| head`) went away: nothing more to say to it.
            sys.stderr.close()
            ctx.exit(EXIT_OK)


@click.group(cls=RefkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="refkit")
def main() -> None:
    """refkit: turn a Markdown wiki's DOIs into a verified bibliography.

    \b
    scan     find every DOI on every page, with file, line and column
    resolve  fetch each work's metadata from Crossref (and doi.org), cached in a local store
    check    compare what pages say with Crossref; a CI gate with exit statuses
    export   write BibTeX, CSL-JSON or RIS, one entry per work, with the citing wiki pages
    store    inspect or clear the local store
    """


def _config_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command that reads pages takes."""
    options = [
        click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file (default: refkit.toml or [tool.refkit] in pyproject.toml, found upward)."),
        click.option("--base-url", help="The wiki's base URL, for page URLs [config: base_url]."),
        click.option("--permalink", help="Permalink pattern with Hugo tokens (:slug, :filename, :section, :year, :month, :day, :title) [config: permalink]."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, no summary line."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def network_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that resolves DOIs: where to ask, how politely, and the store."""
    options = [
        click.option("--crossref-url", help="Crossref REST API base URL [env REFKIT_CROSSREF_URL; default https://api.crossref.org]."),
        click.option("--doi-url", help="doi.org base URL for content negotiation [env REFKIT_DOI_URL; default https://doi.org]."),
        click.option("--mailto", help="Your e-mail, for Crossref's polite pool [env REFKIT_MAILTO]."),
        click.option("--plus-token", help="Crossref Metadata Plus token [env REFKIT_PLUS_TOKEN]."),
        click.option("--store", help="The local store (SQLite) [env REFKIT_STORE; default in the user cache folder]."),
        click.option("--offline", is_flag=True, default=None, help="Ask the network nothing; what the store lacks is unresolved."),
        click.option("--refresh", is_flag=True, default=None, help="Fetch again even what the store holds."),
        click.option("--concurrency", help="Requests in flight at once [config: concurrency; default 3]."),
        click.option("--timeout", help="Seconds before one request is abandoned [config: timeout; default 20]."),
        click.option("--retries", help="Retries of one failed request [config: retries; default 4]."),
    ]
    for option in reversed(options):
        function = option(function)
    return _config_options(function)


def build_settings(paths: Sequence[str], options: dict[str, Any]) -> Settings:
    """Settings from every layer; the folder of the first path is where a config file (when the
    current folder has none) and a Hugo config are looked for. Options named like a config key
    override it."""
    first = Path(paths[0]) if paths else None
    return load_settings(
        config_file=options.get("config_file"),
        wiki_root=(first if first.is_dir() else first.parent).resolve() if first else None,
        options={key: options[key] for key in KEYS if key in options},
    )


def report_skip(error: PageError) -> None:
    # One line per skipped page, even when a file name holds a line break.
    click.echo(f"refkit: skipped {error}".replace("\n", "\\n").replace("\r", "\\r"), err=True)


def warn_on_stderr(quiet: bool) -> Callable[[str], None] | None:
    return None if quiet else (lambda message: click.echo(f"refkit: warning: {message}", err=True))


@contextmanager
def command_hooks(quiet: bool, label: str = "Resolving") -> Iterator[api.Hooks]:
    """Skipped pages and warnings on stderr; on a terminal, a progress bar while resolving."""
    with click.progressbar(length=0, label=label, file=sys.stderr, hidden=quiet or not sys.stderr.isatty()) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        yield api.Hooks(on_skip=report_skip, warn=warn_on_stderr(quiet), progress=progress)


def say_summary(summary: Summary, quiet: bool) -> None:
    if not quiet:
        click.echo(f"refkit: {summary_line(summary)}", err=True)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "output_format", type=click.Choice(list(SCAN_FORMATS)), default="text", show_default=True, help="Output format on stdout.")
@click.option("--all-occurrences", is_flag=True, help="Every occurrence of an identifier, not only its first on each page.")
@_config_options
def scan(paths: tuple[str, ...], output_format: str, all_occurrences: bool, quiet: bool, **options: Any) -> None:
    """Find every DOI, PMID and PMCID on every page under PATHS (files or folders; default: the
    current folder).

    Exit status: 0 every page was read; 1 some page was skipped; 2 usage or configuration error."""
    paths = paths or (".",)
    writer = SCAN_FORMATS[output_format](sys.stdout)
    # Text output shows no listings: not reading them makes the scan several times faster.
    run = api.scan(
        paths, build_settings(paths, options), api.Hooks(on_skip=report_skip),
        all_occurrences=all_occurrences, read_listings=output_format != "text",
    )  # fmt: skip
    for _page, citations in run:
        for citation in citations:
            writer.write(citation)
    sys.stdout.flush()
    say_summary(run.summary(), quiet)
    sys.exit(run.exit_status)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "report_format", type=click.Choice(list(REPORTERS)), default="text", show_default=True, help="Report format.")
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default="error", show_default=True, help="Lowest severity that makes the exit status 1.")
@click.option("--changed-since", metavar="REV", help="Only pages git says changed since REV (plus untracked ones).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Do not report findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings in this baseline file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True, help="Write the report here instead of stdout.")
@network_options
def check(
    paths: tuple[str, ...],
    report_format: str,
    fail_on: str,
    changed_since: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
    output: str,
    quiet: bool,
    **options: Any,
) -> None:
    """Compare what the pages under PATHS say with Crossref and PubMed and report every disagreement.

    Rules and their default severities are listed in the README; change them under [rules] in
    refkit.toml. Exit status: 0 no finding reaches --fail-on; 1 one does (or a page could not be
    read); 2 usage or configuration error."""
    from .atomic import atomic_writer
    from .reporters import get_reporter

    paths = paths or (".",)
    settings = build_settings(paths, options)
    render = get_reporter(report_format)
    with command_hooks(quiet) as hooks:
        result = api.check(
            paths, settings, hooks, fail_on=fail_on, changed_since=changed_since,
            baseline=baseline_file, write_baseline=write_baseline,
        )  # fmt: skip
    if output == "-":
        render(result.findings, result.summary, sys.stdout)
    else:
        with atomic_writer(output) as stream:
            render(result.findings, result.summary, stream)
    if output != "-" or report_format not in ("text", "github"):
        say_summary(result.summary, quiet)
    sys.exit(result.exit_status)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "format_name", type=click.Choice(list(FORMATS)), default="bibtex", show_default=True, help="Export format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Output file, '-' for stdout [default: exports/bibliography.bib, .json or .ris].")
@click.option("--tag", "tags", multiple=True, help="Only pages with this front-matter tag (repeatable: any of them).")
@click.option("--category", "categories", multiple=True, help="Only pages in this front-matter category (repeatable: any of them).")
@network_options
def export(
    paths: tuple[str, ...], format_name: str, output: str | None, tags: tuple[str, ...], categories: tuple[str, ...], quiet: bool, **options: Any
) -> None:
    """Write every cited work under PATHS as BibTeX, CSL-JSON or RIS, with the wiki pages citing it.

    One entry per work, sorted by citation key; keys already in the output file are kept.
    Works that could not be resolved are exported from the page and marked unverified; identifiers
    no registry knows, and broken DOIs, are left out and listed on stderr.
    The file is replaced atomically: a failed or killed run leaves the previous file intact.

    Exit status: 0 written; 1 written, but some page was skipped; 2 usage, configuration or write error."""
    paths = paths or (".",)
    settings = build_settings(paths, options)
    with command_hooks(quiet) as hooks:
        result = api.export(paths, settings, hooks, format_name=format_name, output=output, tags=tags, categories=categories)
    if not quiet:
        for left in result.bibliography.left_out:
            why = "broken DOI" if left.reason == "broken" else "not found at Crossref or doi.org"
            pages = ", ".join(page.url for page in left.pages)
            click.echo(f"refkit: left out {left.doi} ({why}), cited on {pages}", err=True)
    if result.text is not None:
        click.echo(result.text, nl=False)
    say_summary(result.summary, quiet)
    sys.exit(result.exit_status)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "output_format", type=click.Choice(list(RESOLVE_FORMATS)), default="text", show_default=True, help="jsonl: one JSON object per identifier (kind, id, doi, status, agency, reason, pages, work); text: tab-separated identifier, status, agency, title or reason.")
@network_options
def resolve(paths: tuple[str, ...], output_format: str, quiet: bool, **options: Any) -> None:
    """Fetch the metadata of every distinct identifier cited under PATHS: from the local store, else
    Crossref (batched, polite, retried), else doi.org for DOIs registered elsewhere.

    Each ends found, not_found (no registry knows it) or unresolved (network trouble or
    --offline; the reason says which; asked again next run).

    Exit status: 0 every page was read and every identifier got an answer; 1 some page was skipped
    or some identifier is unresolved; 2 usage, configuration or store error."""
    paths = paths or (".",)
    settings = build_settings(paths, options)
    with command_hooks(quiet) as hooks:
        result = api.resolve(paths, settings, hooks)
    writer = RESOLVE_FORMATS[output_format](sys.stdout)
    for key, resolution in result.resolutions.items():
        writer.write(ResolvedIdentifier(resolution, result.citing[key]))
    sys.stdout.flush()
    say_summary(result.summary, quiet)
    sys.exit(result.exit_status)


@main.group()
def store() -> None:
    """Inspect or clear the local store of Crossref and doi.org answers."""


def _store_options(function: Callable[..., Any]) -> Callable[..., Any]:
    function = click.option("--store", "store", help="The local store (SQLite) [env REFKIT_STORE; default in the user cache folder].")(function)
    return click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Config file (default: refkit.toml or [tool.refkit] in pyproject.toml, found upward).")(function)


@store.command("info")
@_store_options
def store_info(**options: Any) -> None:
    """Where the store is and what it holds. Exit status: 0; 2 when it cannot be opened."""
    import datetime

    settings = build_settings((), options)

    def when(timestamp: float | None) -> str:
        return datetime.datetime.fromtimestamp(timestamp).isoformat(timespec="seconds") if timestamp else "-"

    info = api.store_info(settings)
    if info is None:
        click.echo(f"store: {settings.store} (not created yet: no answers)")
        return
    click.echo(f"store: {info.path}")
    click.echo(f"schema: {info.schema_version}")
    click.echo(f"size: {info.size_bytes} bytes")
    click.echo(f"answers: {info.answers} ({', '.join(f'{status} {count}' for status, count in sorted(info.by_status.items())) or 'none'})")
    click.echo(f"agencies: {', '.join(f'{agency} {count}' for agency, count in sorted(info.by_agency.items())) or '-'}")
    click.echo(f"oldest: {when(info.oldest)}")
    click.echo(f"newest: {when(info.newest)}")


@store.command("clear")
@_store_options
def store_clear(**options: Any) -> None:
    """Forget every stored answer (the next run asks the network again). Exit status: 0; 2 on error."""
    settings = build_settings((), options)
    removed = api.store_clear(settings)
    click.echo(f"refkit: removed {removed} answers from {settings.store}", err=True)
