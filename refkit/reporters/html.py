"""One self-contained HTML page for a maintainer: the totals, a filter by rule and severity,
the pages with most findings, then one section per page (linked to the page on the wiki) with
each finding: the page's value beside the registry's (authors side by side, the names that
differ marked), what to change, and a link to the work.

Nothing is loaded from anywhere: the styles and the filter's script are inline, and the
Content-Security-Policy forbids every fetch, so the file can be opened offline, attached to a CI
run, or mailed. The filter reads and writes the URL fragment (`#rule=authors-mismatch&severity=
error,warning`), so a filtered view can be linked. Without scripts everything is shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any, TextIO

from ..model import Finding
from . import SEVERITY_ORDER, Summary, by_page, count, identifier_link, page_counts, severity_counts, suggestion_of, summary_line

_STYLE = """
:root { color-scheme: light dark; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
  --error: #cf222e; --warning: #9a6700; --info: #0969da; --mark: #ffebe9; --mark-fg: #82071e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --bg: #0d1117;
  --panel: #151b23; --error: #ff7b72; --warning: #d29922; --info: #4493f8; --mark: #490202; --mark-fg: #ffdcd7; } }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg);
  margin: 0 auto; max-width: 72rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; } h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
a { color: var(--info); } code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; }
.totals { font-size: 1.05rem; margin: 0; } .muted { color: var(--muted); }
table { border-collapse: collapse; } th, td { text-align: left; padding: .25rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
#filter { position: sticky; top: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
  padding: .5rem .75rem; margin: 1rem 0; display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; align-items: center; z-index: 1; }
#filter fieldset { border: 0; margin: 0; padding: 0; display: flex; gap: .75rem; }
#filter legend { float: left; margin-right: .5rem; }
#shown { margin-left: auto; color: var(--muted); }
.severity { display: inline-block; min-width: 4.2rem; font-weight: 600; }
.severity.error { color: var(--error); } .severity.warning { color: var(--warning); } .severity.info { color: var(--info); }
section.page { border: 1px solid var(--line); border-radius: 6px; padding: 0 1rem .5rem; margin: 1rem 0; }
section.page > h2 { margin-top: .75rem; } section.page > h2 code { font-weight: normal; color: var(--muted); font-size: .8em; }
.finding { border-top: 1px solid var(--line); padding: .6rem 0; }
.finding:first-of-type { border-top: 0; }
.finding p { margin: .25rem 0; }
.compare { margin: .4rem 0; } .compare th { color: var(--muted); font-weight: normal; }
.authors { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; margin: .4rem 0; }
.authors h4 { margin: 0; font-size: .85rem; color: var(--muted); font-weight: normal; }
.authors ol { margin: .2rem 0; padding-left: 1.6rem; }
.differs { background: var(--mark); color: var(--mark-fg); border-radius: 3px; padding: 0 .2rem; }
.suggestion { font-size: .95em; } .suggestion .automatic { color: var(--muted); }
[hidden] { display: none !important; }
"""

# Reads the filter from the URL fragment, shows only matching findings (and pages that keep
# one), counts them, and writes the filter back into the fragment.
_SCRIPT = """
(function () {
  "use strict";
  var rule = document.getElementById("rule");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=severity]"));
  var findings = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var pages = Array.prototype.slice.call(document.querySelectorAll("section.page"));
  var shown = document.getElementById("shown");
  var writing = false;
  function fromFragment() {
    var wanted = new URLSearchParams(location.hash.slice(1));
    var chosen = wanted.get("rule") || "";
    rule.value = Array.prototype.some.call(rule.options, function (o) { return o.value === chosen; }) ? chosen : "";
    var severities = wanted.has("severity") ? wanted.get("severity").split(",") : null;
    boxes.forEach(function (box) { box.checked = severities === null || severities.indexOf(box.value) !== -1; });
  }
  function apply() {
    var severities = boxes.filter(function (box) { return box.checked; }).map(function (box) { return box.value; });
    var count = 0;
    findings.forEach(function (finding) {
      var show = (!rule.value || finding.dataset.rule === rule.value) && severities.indexOf(finding.dataset.severity) !== -1;
      finding.hidden = !show;
      if (show) { count += 1; }
    });
    pages.forEach(function (page) { page.hidden = !page.querySelector("article.finding:not([hidden])"); });
    shown.textContent = count + " of " + findings.length + " findings shown";
    document.body.dataset.shown = String(count);
    var fragment = new URLSearchParams();
    if (rule.value) { fragment.set("rule", rule.value); }
    if (severities.length !== boxes.length) { fragment.set("severity", severities.join(",")); }
    var text = fragment.toString();
    if (text && location.hash.slice(1) !== text) {
      writing = true;
      try { history.replaceState(null, "", "#" + text); } catch (error) { /* a file: URL may refuse */ }
      writing = false;
    }
  }
  rule.addEventListener("change", apply);
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  window.addEventListener("hashchange", function () {
    if (!writing && /(^|&)(rule|severity)=/.test(location.hash.slice(1))) { fromFragment(); apply(); }
  });
  fromFragment();
  apply();
})();
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _link(label: str, address: str) -> str:
    return f'<a href="{_e(address)}" rel="noopener noreferrer">{_e(label)}</a>'


def _value(value: Any) -> str:
    if isinstance(value, list):
        return " / ".join(_e(item) for item in value)
    return _e(value) if value is not None else '<span class="muted">(none)</span>'


def _names(names: Sequence[str], marked: Mapping[str, str]) -> str:
    items = []
    for name in names:
        why = marked.get(name)
        items.append(f'<li><span class="differs" title="{_e(why)}">{_e(name)}</span></li>' if why else f"<li>{_e(name)}</li>")
    return "<ol>" + "".join(items) + "</ol>"


def _authors(details: Mapping[str, Any]) -> str:
    """The page's authors beside the registry's, the names that differ marked on each side."""
    found, expected = details.get("found"), details.get("expected")
    if not isinstance(found, list) or not isinstance(expected, list):
        return ""
    on_page = {name: "not an author of the work" for name in details.get("extra", [])}
    in_registry = {name: "missing from the page" for name in details.get("missing", [])}
    for pair in details.get("misspelled", []):
        on_page[pair["found"]] = f"the registry spells it {pair['expected']}"
        in_registry[pair["expected"]] = f"the page spells it {pair['found']}"
    order = '<p class="muted">Listed in a different order.</p>' if details.get("order_differs") else ""
    return (
        '<div class="authors">'
        f"<div><h4>On the page ({len(found)})</h4>{_names(found, on_page)}</div>"
        f"<div><h4>Registry ({len(expected)})</h4>{_names(expected, in_registry)}</div>"
        f"</div>{order}"
    )


def _comparison(finding: Finding) -> str:
    details = finding.details
    if finding.rule == "authors-mismatch":
        return _authors(details)
    if "repaired" in details:
        found, expected = details.get("raw"), details["repaired"]
    elif "expected" in details and "found" in details:
        found, expected = details["found"], details["expected"]
    else:
        return ""
    return (
        '<table class="compare"><tr><th>On the page</th>'
        f'<td class="found">{_value(found)}</td></tr><tr><th>Registry</th><td class="expected">{_value(expected)}</td></tr></table>'
    )


def _finding(finding: Finding) -> str:
    where = f"line {finding.line}" + (f", column {finding.column}" if finding.column > 1 else "")
    work = identifier_link(finding)
    parts = [
        f'<article class="finding" data-rule="{_e(finding.rule)}" data-severity="{_e(finding.severity)}">',
        f'<p><span class="severity {_e(finding.severity)}">{_e(finding.severity)}</span> <code class="rule">{_e(finding.rule)}</code>'
        f' <span class="muted">{where}</span>{" · " + _link(*work) if work else ""}</p>',
        f'<p class="message">{_e(finding.message)}</p>',
        _comparison(finding),
    ]
    suggestion = suggestion_of(finding)
    if suggestion is not None:
        automatic = ' <span class="automatic">(<code>refkit fix</code> applies it)</span>' if suggestion.automatic else ""
        parts.append(f'<p class="suggestion">Suggested {_e(suggestion.what)}: <strong>{_e(suggestion.text)}</strong>{automatic}</p>')
    parts.append("</article>")
    return "".join(parts)


def _page(summary: Summary, index: int, file: str, findings: list[Finding]) -> str:
    page = summary.page_links.get(file)
    title = page.title if page is not None and page.title else None
    if page is not None and page.url:
        heading = f"{_link(title or page.url, page.url)} <code>{_e(file)}</code>"
    else:
        heading = f"{_e(title)} <code>{_e(file)}</code>" if title else _e(file)
    counts = page_counts(findings)[file]
    return (
        f'<section class="page" id="page-{index}" data-file="{_e(file)}">'
        f"<h2>{heading}</h2>"
        f'<p class="muted">{severity_counts(counts.errors, counts.warnings, counts.infos)}</p>'
        + "".join(_finding(finding) for finding in findings)
        + "</section>\n"
    )


def _filter(findings: Sequence[Finding], summary: Summary) -> str:
    options = "".join(f'<option value="{_e(rule.rule)}">{_e(rule.rule)} ({rule.count})</option>' for rule in summary.rules)
    by_severity = {severity: sum(rule.count for rule in summary.rules if rule.severity == severity) for severity in SEVERITY_ORDER}
    boxes = "".join(
        f'<label><input type="checkbox" name="severity" value="{severity}" checked> {severity} ({by_severity[severity]})</label>'
        for severity in SEVERITY_ORDER
    )
    return (
        '<nav id="filter" aria-label="Filter the findings">'
        f'<label>Rule <select id="rule"><option value="">all rules</option>{options}</select></label>'
        f"<fieldset><legend>Severity</legend>{boxes}</fieldset>"
        f'<output id="shown">{len(findings)} of {len(findings)} findings shown</output></nav>\n'
    )


def render(findings: Sequence[Finding], summary: Summary, stream: TextIO) -> None:
    grouped = by_page(findings)
    index_of = {file: index for index, file in enumerate(grouped, 1)}
    out = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>refkit check: {_e(severity_counts(summary.errors, summary.warnings, summary.infos))}</title>\n",
        f"<style>{_STYLE}</style>\n</head>\n<body>\n",
        f'<header><h1>refkit check</h1><p class="totals">{_e(summary_line(summary))}</p>',
    ]
    if summary.baselined:
        out.append(f'<p class="muted">{_e(count(summary.baselined, "known finding"))} held back by the baseline are not shown.</p>')
    out.append("</header>\n")
    if not grouped:
        out.append("<p>No findings.</p>\n")
    else:
        out.append(_filter(findings, summary))
        rows = "".join(
            f'<tr><td><a href="#rule={_e(rule.rule)}"><code>{_e(rule.rule)}</code></a></td>'
            f'<td><span class="severity {rule.severity}">{rule.severity}</span></td><td class="number">{rule.count}</td></tr>'
            for rule in summary.rules
        )
        out.append(f'<section id="rules"><h2>Findings per rule</h2><table><tr><th>Rule</th><th>Severity</th><th>Findings</th></tr>{rows}</table></section>\n')
        worst = "".join(
            f'<li><a href="#page-{index_of[page.file]}">{_e(page.file)}</a> '
            f'<span class="muted">{_e(severity_counts(page.errors, page.warnings, page.infos))}</span></li>'
            for page in summary.worst_pages
            if page.file in index_of
        )
        out.append(f'<section id="worst"><h2>Pages with most findings</h2><ol>{worst}</ol></section>\n<main>\n')
        out.extend(_page(summary, index_of[file], file, group) for file, group in grouped.items())
        out.append(f"</main>\n<script>{_SCRIPT}</script>\n")
    out.append("</body>\n</html>\n")
    stream.write("".join(out))
