"""The command line: parse options, build Settings, call the library, pick a writer, set the exit status.

Exit statuses (public API): 0 all is well; 1 the wiki has problems (skipped pages, or findings
that reach --fail-on); 2 usage or configuration errors, or refkit itself could not go on."""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TextIO

import click

from . import __version__, api
from .api import EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS
from .config import KEYS, Settings, load_settings
from .atomic import atomic_writer
from .errors import ConfigError, ExportRefused, PageError, RefkitError
from .exports import FORMATS
from .outputs import RESOLVE_FORMATS, SCAN_FORMATS, ResolvedIdentifier
from .reporters import FAIL_ON_CHOICES, REPORTERS, Summary, summary_line


INTERRUPTED = 130
"""Exit status after Ctrl-C (128 + SIGINT), as shells report it."""


@dataclass
class Progress:
    """How far a command got, for the line Ctrl-C leaves behind."""

    step: str = "reading pages"
    done: int = 0
    total: int = 0
    kept: str = "nothing was written"
    """What stays as it was after an interrupt."""
    exit_status: int = EXIT_OK
    """The status the run ends with if its reader goes away while it writes (known once the
    command has its result: `check | head` must still fail when the check failed)."""

    def describe(self) -> str:
        counts = f" ({self.done} of {self.total} done)" if self.total else f" ({self.done} done)" if self.done else ""
        return f"interrupted while {self.step}{counts}; {self.kept}"


def progress_of(ctx: click.Context) -> Progress:
    """The command's Progress (one per run, shared by the group and the command's contexts)."""
    return ctx.meta.setdefault("refkit.progress", Progress())  # type: ignore[no-any-return]


class _NamedUsageErrors:
    """A usage error found while reading a command's options names that command ("refkit export"),
    also where click leaves it without one (an option missing its value)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except click.UsageError as error:
            error.ctx = error.ctx or ctx
            raise


class RefkitCommand(_NamedUsageErrors, click.Command):
    pass


class RefkitGroup(_NamedUsageErrors, click.Group):
    """Turns refkit's own errors and usage errors into one line on stderr and exit status 2, never
    a traceback; Ctrl-C into one line saying how far the run got, and exit status 130."""

    command_class = RefkitCommand
    group_class = type  # subgroups ("refkit store") are RefkitGroups too

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            status = super().main(*args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as error:  # "refkit store": its help, as click shows it
            error.show()
            sys.exit(error.exit_code)
        except click.UsageError as error:
            # One line naming the command and the option, where click prints usage, a hint and the error.
            where = error.ctx.command_path if error.ctx else "refkit"
            message = error.format_message()
            ending = " " if message.endswith((".", "?", "!")) else ". "
            click.echo(f"{where}: error: {message}{ending}See '{where} --help'.", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            sys.exit(INTERRUPTED)
        sys.exit(status if isinstance(status, int) else EXIT_OK)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RefkitError as error:
            click.echo(f"refkit: error: {error}", err=True)
            ctx.exit(EXIT_ERROR)
        except BrokenPipeError:
            # The reader (e.g. `| head`) went away: nothing more to say to it, but the status stands.
            sys.stderr.close()
            ctx.exit(progress_of(ctx).exit_status)
        except KeyboardInterrupt:
            click.echo(f"\nrefkit: {progress_of(ctx).describe()}", err=True)
            if api.requests_in_flight():
                _exit_now(INTERRUPTED)
            ctx.exit(INTERRUPTED)
        except OSError as error:
            # The library wraps its own file errors, so this is the output itself (a full disk).
            where = f"{error.filename}" if error.filename else "cannot write the output"
            click.echo(f"refkit: error: {where}: {error.strerror or error}", err=True)
            ctx.exit(EXIT_ERROR)


def _exit_now(status: int) -> NoReturn:
    """Exit without waiting for the threads of requests still in flight (Python joins them at exit,
    and each may take the whole timeout and its retries). What was written is complete by now: the
    store commits each batch and outputs are replaced atomically; worker processes are gone (pages
    are read before anything is fetched)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass  # a closed pipe or stream: nothing more can reach it
    os._exit(status)


@click.group(cls=RefkitGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="refkit")
@click.pass_context
def main(ctx: click.Context) -> None:
    """refkit: turn a Markdown wiki's DOIs, PMIDs and PMCIDs into a verified bibliography, and
    check what its pages say about the works they cite. `refkit COMMAND --help` for more."""
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


_CONFIG_OPTION = click.option(
    "--config", "config_file", type=click.Path(dir_okay=False), help="Config file (default: refkit.toml or [tool.refkit] in pyproject.toml, found upward)."
)
_STORE_OPTION = click.option(
    "--store", help="The local store (SQLite) of answers and scanned pages [env REFKIT_STORE; default in the user cache folder]."
)


def _config_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Options every command that reads pages takes."""
    options = [
        _CONFIG_OPTION,
        click.option("--base-url", help="The wiki's base URL, for page URLs [config: base_url]."),
        click.option("--permalink", help="Permalink pattern with Hugo tokens (:slug, :filename, :section, :year, :month, :day, :title) [config: permalink]."),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar, warnings, left-out lines or summary."),
        _STORE_OPTION,
        click.option("--no-cache", is_flag=True, default=None, help="Read every page, even those unchanged since a scan kept in the store [env REFKIT_NO_CACHE]."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def network_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """The options of every command that resolves DOIs: where to ask and how politely; and those of reading pages."""
    options = [
        click.option("--crossref-url", help="Crossref REST API base URL [env REFKIT_CROSSREF_URL; default https://api.crossref.org]."),
        click.option("--doi-url", help="doi.org base URL for content negotiation [env REFKIT_DOI_URL; default https://doi.org]."),
        click.option("--mailto", help="Your e-mail, for Crossref's polite pool [env REFKIT_MAILTO]."),
        click.option("--plus-token", help="Crossref Metadata Plus token [env REFKIT_PLUS_TOKEN]."),
        click.option("--ncbi-url", help="NCBI E-utilities base URL, for PMIDs [env REFKIT_NCBI_URL; default https://eutils.ncbi.nlm.nih.gov/entrez/eutils]."),
        click.option("--ncbi-idconv-url", help="PMC ID Converter URL, for PMCIDs [env REFKIT_NCBI_IDCONV_URL; default https://pmc.ncbi.nlm.nih.gov/tools/idconv/api/v1/articles]."),
        click.option("--ncbi-api-key", help="NCBI API key: 10 requests/s instead of 3 [env REFKIT_NCBI_API_KEY]."),
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


class ProgressBar:
    """A bar on stderr (a terminal only, never with -q) with `n/N` and a rate, drawn from the
    first answer fetched through the network: a run the store or --offline answers draws none.
    Warnings clear the bar's line first, so no message lands inside it."""

    def __init__(self, label: str, quiet: bool, progress: Progress) -> None:
        self._label = label
        self._visible = not quiet and sys.stderr.isatty()
        self._progress = progress
        self._bar: Any = None
        self._started = 0.0
        self._first_done = 0

    def update(self, done: int, total: int) -> None:
        self._progress.step, self._progress.done, self._progress.total = "resolving", done, total
        if not self._visible:
            return
        if self._bar is None:
            self._bar = click.progressbar(
                length=total, label=self._label, file=sys.stderr, show_pos=True, show_percent=False, item_show_func=lambda rate: rate
            ).__enter__()
            self._started, self._first_done = time.monotonic(), done
        elapsed = time.monotonic() - self._started
        rate = f"{(done - self._first_done) / elapsed:.1f}/s" if done > self._first_done and elapsed > 0 else ""
        self._bar.update(done - self._bar.pos, current_item=rate)

    def say(self, line: str) -> None:
        if self._bar is not None:
            click.echo("\r\033[K", nl=False, err=True)
        click.echo(line, err=True)
        if self._bar is not None:
            self._bar.render_progress()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@contextmanager
def command_hooks(quiet: bool, label: str = "Resolving") -> Iterator[api.Hooks]:
    """Skipped pages, warnings and what an export leaves out on stderr (only skipped pages with
    -q); on a terminal, a progress bar while identifiers are fetched through the network."""
    progress = progress_of(click.get_current_context())
    bar = ProgressBar(label, quiet, progress)

    def skip(error: PageError) -> None:
        # One line per skipped page, even when a file name holds a line break.
        bar.say(f"refkit: skipped {error}".replace("\n", "\\n").replace("\r", "\\r"))
        # A skipped page fails the run, also if the reader goes away before the end (`scan | head`).
        progress.exit_status = max(progress.exit_status, EXIT_PROBLEMS)

    def warn(message: str) -> None:
        bar.say(f"refkit: warning: {message}")

    def left_out(left: api.LeftOut) -> None:
        pages = ", ".join(page.url for page in left.pages)
        bar.say(f"refkit: left out {left.key} ({left_out_reason(left.key, left.reason)}), cited on {pages}")

    try:
        yield api.Hooks(on_skip=skip, warn=None if quiet else warn, progress=bar.update, on_left_out=None if quiet else left_out)
    finally:
        bar.close()


def left_out_reason(key: str, reason: str) -> str:
    if reason == "broken":
        return "broken DOI"
    return "not in PubMed" if key.startswith(("pmid:", "pmcid:")) else "not found at Crossref or doi.org"


def say_summary(summary: Summary, quiet: bool) -> None:
    if not quiet:
        click.echo(f"refkit: {summary_line(summary)}", err=True)


@main.command(short_help="Find every DOI, PMID and PMCID on every page.")
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
    progress = progress_of(click.get_current_context())
    progress.kept = "every line printed is complete"
    # Text output shows no listings: not reading them makes the scan several times faster.
    with command_hooks(quiet) as hooks:
        run = api.scan(
            paths, build_settings(paths, options), hooks, all_occurrences=all_occurrences, read_listings=output_format != "text"
        )
        for _page, citations in run:
            for citation in citations:
                writer.write(citation)
            progress.done += 1
    sys.stdout.flush()
    say_summary(run.summary(), quiet)
    sys.exit(run.exit_status)


@contextmanager
def output_stream(output: str, option: str = "--output") -> Iterator[TextIO]:
    """stdout for "-", else a file replaced atomically when the block ends without an error.
    The file is opened before the work starts, so an unwritable path fails at once; its failures
    (opening or replacing) are one line naming the option, never a traceback."""
    if output == "-":
        yield sys.stdout
        return
    writer = atomic_writer(output)
    try:
        stream = writer.__enter__()
    except OSError as error:
        raise ConfigError(f"{option} {output}: cannot write: {error.strerror or error}") from None
    try:
        yield stream
    except BaseException:
        if not writer.__exit__(*sys.exc_info()):
            raise
    else:
        try:
            writer.__exit__(None, None, None)
        except OSError as error:
            raise ConfigError(f"{option} {output}: cannot write: {error.strerror or error}") from None


def use_colour(choice: str, stream: TextIO) -> bool:
    """--color: always, never, or auto (a terminal, unless NO_COLOR is set to anything)."""
    if choice != "auto":
        return choice == "always"
    return not os.environ.get("NO_COLOR") and stream.isatty()


def reporter(name: str) -> Callable[..., None]:
    """The reporter for --format: a built-in one or one a package installs (entry points)."""
    from .reporters import get_reporter

    try:
        return get_reporter(name)
    except ConfigError as error:
        raise ConfigError(f"--format: {error}") from None


@main.command(short_help="Compare what pages say with the registries; a CI gate.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option(
    "--format", "report_format", default="text", show_default=True, metavar="FORMAT",
    help=f"Report format: {', '.join(REPORTERS)}, or one a package installs (refkit.reporters entry points).",
)  # fmt: skip
@click.option("--fail-on", type=click.Choice(FAIL_ON_CHOICES), default="error", show_default=True, help="Lowest severity that makes the exit status 1.")
@click.option("--changed-since", metavar="REV", help="Only pages git says changed since REV (plus untracked ones).")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False), help="Do not report findings recorded in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), help="Record the current findings in this baseline file (and exit 0).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), default="-", show_default=True, help="Write the report here instead of stdout.")
@click.option("--color", "colour", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True, help="Colour the text report (auto: on a terminal, unless NO_COLOR is set).")
@network_options
def check(
    paths: tuple[str, ...],
    report_format: str,
    fail_on: str,
    changed_since: str | None,
    baseline_file: str | None,
    write_baseline: str | None,
    output: str,
    colour: str,
    quiet: bool,
    **options: Any,
) -> None:
    """Compare what the pages under PATHS say with Crossref and PubMed and report every disagreement.

    Rules and their default severities are listed in the README; change them under [rules] in
    refkit.toml. Exit status: 0 no finding reaches --fail-on (or --write-baseline recorded them);
    1 one does (a page that could not be read is a page-unreadable error); 2 usage or
    configuration error; 130 interrupted."""
    paths = paths or (".",)
    settings = build_settings(paths, options)
    render = reporter(report_format)
    progress_of(click.get_current_context()).kept = "the store keeps every answer fetched so far; no report or baseline was written"
    with output_stream(output) as stream:
        with command_hooks(quiet) as hooks:
            result = api.check(
                paths, settings, hooks, fail_on=fail_on, changed_since=changed_since,
                baseline=baseline_file, write_baseline=write_baseline,
            )  # fmt: skip
        summary = dataclasses.replace(result.summary, color=use_colour(colour, stream), quiet=quiet)
        progress_of(click.get_current_context()).step = "writing the report"
        progress_of(click.get_current_context()).exit_status = result.exit_status
        render(result.findings, summary, stream)
    if write_baseline and not quiet:
        click.echo(f"refkit: wrote {result.baseline_entries} known findings to {write_baseline}", err=True)
    if output != "-" or report_format not in ("text", "github"):
        say_summary(result.summary, quiet)
    sys.exit(result.exit_status)


@main.command(short_help="Apply the fixes refkit is sure of (a diff unless --write).")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--write", is_flag=True, help="Apply the fixes to the pages (each replaced atomically) instead of printing a diff.")
@network_options
def fix(paths: tuple[str, ...], write: bool, quiet: bool, **options: Any) -> None:
    """Fix what refkit can be sure of on the pages under PATHS: DOI repairs the registry confirmed
    (doi-typo) and resolver links in the form Crossref asks for (https://doi.org/...). Prints a
    unified diff and changes nothing, unless --write. Only the fixed text changes: front matter,
    line endings and every other byte stay. Listing corrections (authors, titles) are left to a
    person: `refkit check` shows them with what to change.

    Exit status: 0 nothing to fix, or --write applied every fix; 1 fixes were shown but not
    applied, or a page could not be read; 2 usage or configuration error; 130 interrupted."""
    paths = paths or (".",)
    settings = build_settings(paths, options)
    progress = progress_of(click.get_current_context())
    progress.kept = "every page is either fixed or as it was" if write else "no page was changed"

    def show(page: api.PageFix) -> None:
        if write:
            progress.step, progress.done = "fixing pages", progress.done + 1
            click.echo(f"fixed {page.file} ({len(page.edits)} {'change' if len(page.edits) == 1 else 'changes'})")
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(page.diff())
            sys.stdout.buffer.flush()

    with command_hooks(quiet) as hooks:
        result = api.fix(paths, settings, hooks, write=write, on_page=show)
    if not quiet and result.suggestions:
        click.echo(
            f"refkit: {len(result.suggestions)} listing corrections (authors, titles, years, journals) are left to a person:"
            " `refkit check` shows each with what to change",
            err=True,
        )
    say_summary(result.summary, quiet)
    sys.exit(result.exit_status)


@main.command(short_help="Write BibTeX, CSL-JSON or RIS with the citing wiki pages.")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "format_name", type=click.Choice(list(FORMATS)), default="bibtex", show_default=True, help="Export format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True), help="Output file, '-' for stdout [default: exports/bibliography.bib, .json or .ris].")
@click.option("--tag", "tags", multiple=True, help="Only pages with this front-matter tag (repeatable: any of them).")
@click.option("--category", "categories", multiple=True, help="Only pages in this front-matter category (repeatable: any of them).")
@click.option("--force", is_flag=True, help="Replace the output file even when the export drops most of its entries.")
@network_options
def export(
    paths: tuple[str, ...], format_name: str, output: str | None, tags: tuple[str, ...], categories: tuple[str, ...], force: bool, quiet: bool, **options: Any
) -> None:
    """Write every cited work under PATHS as BibTeX, CSL-JSON or RIS, with the wiki pages citing it.

    One entry per work, sorted by citation key; keys already in the output file are kept.
    Works that could not be resolved are exported from the page and marked unverified; identifiers
    no registry knows, and broken DOIs, are left out and listed on stderr.
    The file is replaced atomically: a failed or killed run leaves the previous file intact.

    Exit status: 0 written; 1 written, but some page was skipped, or nothing written because there
    was nothing to export or the file would lose most of its entries (--force replaces it anyway);
    2 usage, configuration or write error."""
    paths = paths or (".",)
    settings = build_settings(paths, options)
    progress_of(click.get_current_context()).kept = "the store keeps every answer fetched so far; no export was written"
    try:
        with command_hooks(quiet) as hooks:
            result = api.export(paths, settings, hooks, format_name=format_name, output=output, tags=tags, categories=categories, force=force)
    except ExportRefused as refused:
        click.echo(f"refkit: {refused}", err=True)
        sys.exit(EXIT_PROBLEMS)
    progress_of(click.get_current_context()).exit_status = result.exit_status
    if result.text is not None:
        click.echo(result.text, nl=False)
    say_summary(result.summary, quiet)
    sys.exit(result.exit_status)


@main.command(short_help="Fetch each work's metadata, cached in a local store.")
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
    progress_of(click.get_current_context()).kept = "the store keeps every answer fetched so far"
    with command_hooks(quiet) as hooks:
        result = api.resolve(paths, settings, hooks)
    progress_of(click.get_current_context()).exit_status = result.exit_status
    writer = RESOLVE_FORMATS[output_format](sys.stdout)
    for key, resolution in result.resolutions.items():
        writer.write(ResolvedIdentifier(resolution, result.citing[key]))
    sys.stdout.flush()
    say_summary(result.summary, quiet)
    sys.exit(result.exit_status)


@main.group(short_help="Show or empty the local store.")
def store() -> None:
    """Inspect or clear the local store of Crossref, doi.org and NCBI answers and scanned pages."""


def _store_options(function: Callable[..., Any]) -> Callable[..., Any]:
    return _CONFIG_OPTION(_STORE_OPTION(function))


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
    click.echo(f"scanned pages: {info.scanned_pages}")


@store.command("clear")
@_store_options
def store_clear(**options: Any) -> None:
    """Forget every stored answer and scanned page (the next run asks the network and reads every
    page again). Exit status: 0; 2 on error."""
    settings = build_settings((), options)
    removed = api.store_clear(settings)
    click.echo(f"refkit: removed {removed.answers} answers and {removed.scanned_pages} scanned pages from {settings.store}", err=True)
