"""What a wiki page itself says about the work a DOI cites.

Pages copy a paper's heading from PubMed or the publisher: a title (heading or
bold line), a citation line holding the DOI ("Nutrients. 2022 Aug 26;9:972586.
doi: ..."), and an author line just below or above it. `listed_near` reads that
small neighbourhood. Precision matters more than recall: a wrong "listed" value
becomes a false mismatch later, so anything unclear is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from refkit.markup import LINK_TARGET, page_plain
from refkit.model import Listed
from refkit.names import Reading, clean_listing, read_listing, reference_authors
from refkit.wordlists import INSTITUTION_WORDS, JOURNAL_FUNCTION_WORDS

# A month's name or its abbreviation, never a word that starts like one ("Dis Markers. 2013").
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_MONTH_ALONE_RE = re.compile(rf"^{_MONTH}$", re.I)
_YEAR_RE = re.compile(r"(?<![\d/.-])(?:19|20)\d\d(?![\d/])")
_HEADING_RE = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
_BOLD_LINE_RE = re.compile(r"^\s*\*\*(?!\s*<)(.+?)\*\*\s*$")
_RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_LIST_ITEM_RE = re.compile(r"^\s*(?:[*+-]\s|\d+[.)]?\s)")
_SKIPPED_LINE_RE = re.compile(r"^\s*(?:<img\b|!\[|\{\{<|<br\s*/?>\s*$|\.\s*$)", re.I)

# Everything on a citation line that is not journal, date or volume, as one pattern (one pass over
# the line). A lookahead on the characters a match can start with, (?=[...]), lets the regex
# engine pass over other positions quickly; it never changes what matches.
_CITATION_NOISE = re.compile(
    "|".join(
        f"(?:{pattern})"
        for pattern in (
        rf"(?=\[)\[[^\[\]]*\]{LINK_TARGET}",  # Markdown links, DOI links included
        r"(?=<)(?:<span\b[^>]*>.*?</span>|<[^>]+>)",
        r"(?=[hw])\b(?:https?://|www\.)\S+",
        r"(?=[dD])\b(?:dx\.)?doi(?:\.org/)?\s*:?\s*(?:10\.\d{4,9}/\S+)?",
        r"(?=1)\b10\.\d{4,9}/\S+",
        r"(?=p)\bpii\s*:\s*\S+",
        r"(?=p)\bPMC?ID\s*:?\s*\w+",
        r"(?=[\[ep])(?:\[?Epub ahead of print\]?|\bEpub\b.*$|\beCollection\b.*$|\bPrint (?:19|20)\d\d\.?)",
        r"(?=[fp(])(?:\bfree (?:full[- ]text|pdf)\b|\bpdf\b|\(doi registration under processing\))",
        r"(?=p)\bpublished online\b:?",
        r"[\[\]]",
        )
    ),
    re.I,
)
_HISTORY = r"received|submitted|revised|accepted"
"""Words opening a date of the article's history, not of its publication ("Received 25 October 2013")."""
# Where the journal name ends: a date (also "04/2014", "(10 June 2014)"), a volume, a year, a
# publication note or an article's kind ("Endocrine, EDITORIAL"), a separator ("Public Health Nutrition /
# Volume 17", "Clinical Ophthalmology » Volume 16"), parentheses left empty by the identifier they held.
_JOURNAL_END_RE = re.compile(
    r"\s*©|\.\s+(?=\d)|\s*,?\s*\(\s*(?:\d|\)|$)|[,.]?\s+(?:19|20)\d\d\b|(?<=[a-z])(?=(?:19|20)\d\d\b)|,\s*(?=\d)|;|"
    rf"[,.]?\s+{_MONTH}\s+\d|[,.]?\s+\d{{1,2}}\s+{_MONTH}|\s+\d+\s*[(:,/]|\s+/\s|\s*[»|]|"
    rf"[,.]?\s+(?:{_HISTORY}|Published|First published|Available online|Volume|Vol\.?|Article|In[- ]Press|"
    r"Early Online|Online First|Ahead of Print|Advance Access|Editorial)(?:\b|(?=\d))",
    re.I,
)
# What opens a citation line before the journal: the article's kind ("Review J Neurol.", "Editorial, Expert
# Review of …", but not in "Review of Scientific Instruments", "Review Journal of Autism …"), the publisher, the date.
_JOURNAL_OPENING_RE = re.compile(
    rf"^(?:(?:Review|Editorial)(?:\s*[,:]\s*|\s+(?!of\b|journal\b|office\b))|Hindawi Publishing Corporation\s+|"
    rf"{_MONTH}\s+(?:19|20)\d\d\s*)",
    re.I,
)
_NOT_JOURNALS = frozenset(
    "research free pdf published abstract online link source study publisher full read "
    "available see reference references citation paper article summary hindawi".split()
)
# An abstract's last lines beside a PMID: "Copyright © 2012 …", a publisher's address; a bare PMC id; an
# author's mark, never a journal's ("Julien Giacomoni* and Jean-Marc Sabatier &nbsp; [FREE PDF](…)"); a
# line that opens with a publication note ("Received 25 October 2013, accepted …", "Submitted: 07/15/2013;
# Revised: …", "Published Date June 2014", "Preprint DOI: …", "ISSN 2231-0614; DOI …", "doi:… URL: …").
_NOT_A_JOURNAL_RE = re.compile(
    rf"\bcopyright\b|\b(?:avenue|street)\b|\bPMC\d|[*†‡⇑]|^(?:{_HISTORY}|published|preprint|url|issn)\b", re.I
)
# A hyphen between two letters or digits is the title's own ("COVID-19 - April 2024", "Meta-Analysis - 2023"),
# never the one that opens a date suffix ("Pilot Study- 2015"); so is a dash between two numbers ("2001–2004").
_DATE_SUFFIX_RE = re.compile(
    rf"\s*(?:(?<!\d)[–—]+|[–—]+(?!\d)|(?<!\w)-+|-+(?!\w))\s*(?:[\w-]+\s+){{0,2}}?(?:{_MONTH}\s+)?(?:19|20)\d\d\s*$"
    rf"|[.,]?\s+{_MONTH}\s+(?:19|20)\d\d\s*$|\s*\((?:{_MONTH}\s+)?(?:19|20)\d\d\)\s*$"
)
_NOT_TITLES_RE = re.compile(
    r"(?:^|(?=[vdcphl{©]))(?:vitamindwiki|©|^(?:abstract|summary|background|results|methods|conclusions?|references|"
    r"see also|introduction|discussion|footnotes|author information|highlights|key points|(?:figure|fig\.|table) \d)\b"
    r"|download|click here|\bpdf\b|\{\{<|https?://|\bletters? to (?:the )?editor\b)",
    re.I,
)
_LINKED_RE = re.compile(r"\]\(")
# A line of more than one sentence, or opening with a label ("Note: The study used …", "Bottom line: …"); a
# title's subtitle after a colon is none ("Advising Women Undergoing Treatment for Breast Cancer: A Narrative Review").
_SENTENCE_BREAK_RE = re.compile(r"[.;]\s+[A-Z]|[:;]$|^\W*\w+(?:\s+\w+)?:")
_CONTINUED_RE = re.compile(r"(?:[,;&]|\band)\s*$")
_CONTINUING_RE = re.compile(r"^\s*(?:&|(?:and|for the|on behalf of)\b)", re.I)
_ESCAPE_RE = re.compile(r"\\(?=[\[\]()*_])")

_HTML_BLOCK_RE = re.compile(r"^\s*<(?!span\b)")
"""HTML blocks (tables, list items, paragraphs of a copied reference list); a `<span>` around a
copied PubMed title is not one."""

_WINDOW = 3
"""Non-blank lines looked at above and below the citation line."""


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", page_plain(_ESCAPE_RE.sub("", text))).strip()


def _citation_remainder(line: str) -> str:
    return " ".join(page_plain(_CITATION_NOISE.sub(" ", line)).split()).strip(" .,;:?|-–")


_MAX_PLAIN_WORDS = 14
_MAX_PLAIN_LOWER_WORDS = 3
_SENTENCE_SHARE = 0.5
"""A citation line is a sentence (prose around the identifier) when more than this share of its words
are lower-case words other than those joining a journal's name."""


def _lower_words(words: Sequence[str]) -> int:
    return sum(w[:1].islower() and w not in JOURNAL_FUNCTION_WORDS for w in words)


def _is_prose(text: str) -> bool:
    """More than a name, a title or a citation: long, or with many lower-case words."""
    words = text.split()
    return len(words) > _MAX_PLAIN_WORDS or _lower_words(words) > _MAX_PLAIN_LOWER_WORDS


def _is_sentence(text: str) -> bool:
    """Prose in which the identifier stands ("As shown by the large trial (doi:…), daily dosing works
    better …"), unlike a citation with a note ("Journal of Investigative Dermatology accepted article
    preview online, 20 May 2014; doi:…")."""
    words = text.split()
    lower = _lower_words(words)
    return lower > _MAX_PLAIN_LOWER_WORDS and lower > _SENTENCE_SHARE * len(words)


def _journal_of(remainder: str) -> str | None:
    remainder = _JOURNAL_OPENING_RE.sub("", remainder)
    match = _JOURNAL_END_RE.search(remainder)
    journal = (remainder[: match.start()] if match else remainder).strip(" .,:;?-–")
    words = journal.split()
    if not words or not journal[0].isupper() or len(words) > 10:
        return None
    if journal.casefold() in _NOT_JOURNALS or sum(ch.isalpha() for ch in journal) < 3 or ":" in journal:
        return None
    if _MONTH_ALONE_RE.match(journal) or _NOT_A_JOURNAL_RE.search(journal):  # "April 2001" after a linked title
        return None
    if any(w[:1].islower() and w not in JOURNAL_FUNCTION_WORDS for w in words):
        return None
    return journal


_VOLUME_BEFORE_RE = re.compile(r"\bVol(?:ume|\.)?\s*$", re.I)
# "Progress of … Physics 2019(1), 2022", "Pulmonary Medicine 2012:p 1-7, 2015": a volume, then its issue or pages
_ISSUE_AFTER_RE = re.compile(r"\(\d{1,3}\)|:\s?p\s?\d")


# A date of the article's history: "Received 25 October 2013, accepted 5 January 2014"
_HISTORY_DATE_RE = re.compile(rf"\b(?:{_HISTORY})\b:?\s+(?:on\s+)?[\w ,]{{0,20}}?(?:19|20)\d\d\b", re.I)


def _year_of(text: str) -> int | None:
    """The first year on the line, but not a volume named by a year when a year follows ("Pulmonary
    Medicine, Volume 2012, 2015", "… Medicine 2012:p 1-7, 2015"; Hindawi's "Volume 2014, Article ID
    981581" alone is the year), and none of the article's history."""
    history = [match.span() for match in _HISTORY_DATE_RE.finditer(text)]
    years = [
        (match, _VOLUME_BEFORE_RE.search(text, 0, match.start()) is not None or _ISSUE_AFTER_RE.match(text, match.end()) is not None)
        for match in _YEAR_RE.finditer(text)
        if not any(start <= match.start() < end for start, end in history)
    ]
    chosen = next((match for match, volume in years if not volume), years[0][0] if years else None)
    return int(chosen.group()) if chosen else None


def _without_wiki_note(text: str) -> str:
    # Every kind of note ends the text with ")" or with "attached", "PDF" or "text".
    if text.rstrip()[-8:].lower().endswith((")", "attached", "pdf", "text")):
        return _WIKI_NOTE_AFTER_RE.sub("", text)
    return text


def without_date_suffix(text: str) -> str:
    """The text without the date the wiki appends to a title (" – Feb 2022", " - meta-analysis Sept 2024",
    " (May 2014)"); the title's own hyphens and ranges stay ("COVID-19", "2001–2004")."""
    visible = text.rstrip()  # every date suffix ends with a year, maybe in parentheses
    if visible and (visible[-1] == ")" or visible[-1].isdecimal()):
        return _DATE_SUFFIX_RE.sub("", text)
    return text


# The wiki sums a study up in its own headings with the finding's figure, written its own way: a times sign
# glued or in capitals ("1.3X more likely", "Osteoporosis 2.6 X more likely if ED"), a percentage that opens
# the heading or ends "by 11%", a heading that opens with "More likely" ("More likely to get otitis media …").
# An equation that gives words or a price states a claim too ("Independent marker for ED in Diabetics = low vitamin D
# level", "Average annual cost of CF = $16,000"; titles hold "√sNN = 2.76 TeV", "(n = 1,204)", "(M = Fe, Mn, Co, Ni)",
# "The $1,000 genome"). A study's title states none of these (none of 447 titles labelled in
# tests/data does), so such a heading is no title.
_NUMBER = r"\d+(?:\.\d+)?"
_TIMES = rf"{_NUMBER}(?:\s?X|x)(?!\w)"
_PERCENT = rf"{_NUMBER}\s?(?:%|[Pp]ercent\b)"
_FIGURE = rf"{_TIMES}|{_PERCENT}"
_WIKI_CLAIM_RE = re.compile(rf"{_TIMES}|^{_PERCENT}|\bby\s+{_PERCENT}|^(?i:more|less) likely\b|\s=\s*(?:[^\W\d]{{2,}}\s+[^\W\d]|[$€£]\s?\d)")
# The wiki's notes after a copied title: "PDF attached", "(no association found)", and the figures alone in
# parentheses ("… Parkinson disease (4X)", "(90% vs 33%)", unlike "(2 x 2 factorial trial)").
_WIKI_NOTE_AFTER_RE = re.compile(
    r"\s*[-–—]?\s*(?:PDF attached|free PDF|free full text)\s*$|\s*\((?:[a-z][a-z-]*\s+)+[a-z][a-z-]*\)\s*$"
    rf"|(?-i:\s*\(\s*(?:{_FIGURE})(?:\s*(?:vs\.?|,|and|to)\s*(?:{_FIGURE}))*\s*\)\s*$)",
    re.I,
)


_TITLE_WORD_RE = re.compile(r"\S*[\w&+]\S*")
_MIN_TITLE_WORDS = 3
"""A title has this many words at least (a dash is none, "&" is one); a shorter heading names a section
("Rickets - World")."""


def _title_of(line: str) -> str | None:
    if _LIST_ITEM_RE.match(line) or line.lstrip()[:1] in {"|", "<", "!", "{", ">"}:
        return None
    heading = _heading(line)
    bold = _BOLD_LINE_RE.match(line)
    if _LINKED_RE.search(line):  # a line of links ("**[Journal of …](…) , [Vol 28 Issue](…)**")
        return None
    text = _plain(heading.group(1) if heading else bold.group(1) if bold else line)
    text = _without_wiki_note(without_date_suffix(_without_wiki_note(text))).strip(" .,;_")  # "_" left of "**_…_**"
    if len(_TITLE_WORD_RE.findall(text)) < _MIN_TITLE_WORDS or _NOT_TITLES_RE.search(text) or _WIKI_CLAIM_RE.search(text):
        return None
    # A line of names is no title; a heading must show it ("#### Smith J, Jones K"), as titles
    # in capitals read as names too ("Vitamin D Binding Protein and Bone Health").
    reading = read_listing(text)
    if reading.is_listing and reading.whole and (reading.shown or not heading):
        return None
    return text


# A heading that is one link, maybe dated ("### [Vitamin D and HIV infection: a review of the clinical
# evidence](http://…)", "## [Vitamin D and chronic kidney disease](…) 2009"); a section's number goes.
_LINKED_HEADING_RE = re.compile(rf"^\s*#{{1,6}}\s+\[(?:\d+(?:\.\d+)*\.?\s+)?([^\[\]]+)\]{LINK_TARGET}\s*(?:[\w ,]{{0,20}}(?:19|20)\d\d)?\s*$")


def _title_of_linked_heading(line: str) -> str | None:
    """The title a heading holding the identifier gives: the text of its one link, when it reads as a
    title copied from PubMed (ending with a period or a question mark); the wiki links its own words too
    ("[Ferrochel better ferrous sulfate during pregnancy](…/pubmed/11688081)")."""
    linked = _LINKED_HEADING_RE.match(line)
    return _title_of(f"# {linked.group(1)}") if linked and linked.group(1).rstrip().endswith((".", "?")) else None


_BOLD_LINK_LINE_RE = re.compile(rf"^\s*\*\*\s*\[([^\[\]]+)\]{LINK_TARGET}\s*\*\*")


def _link_under_summary(line: str, above: str) -> str | None:
    """The title in the bold link that opens the citation line right under (`above`) the wiki's dated
    summary heading: there the heading is the wiki's words and the link's are the study's ("##### Independent
    marker for ED in Diabetics = low vitamin D level - Jan 2016" / "**[Hypovitaminosis D is associated
    with erectile dysfunction in type 2 diabetes](…10.1007%2Fs12020-015-0851-z)**"), when its text reads
    as a title there (`_title_under_summary`). None elsewhere: a bold link alone is mostly the wiki's note
    ("**[Publisher wants $40 for the PDF](…)**")."""
    link = _BOLD_LINK_LINE_RE.match(line)
    return _title_of(link.group(1)) if link and _title_under_summary(link.group(1), above) else None


def _heading(line: str) -> re.Match[str] | None:
    return _HEADING_RE.match(line) if "#" in line else None


def _neighbours(lines: Sequence[str], index: int, step: int) -> list[int]:
    """Indices of the non-blank lines next to `index` in one direction, nearest
    first, stopping at a horizontal rule and after a heading."""
    found: list[int] = []
    i = index + step
    while 0 <= i < len(lines) and len(found) < _WINDOW:
        line = lines[i]
        if _RULE_RE.match(line):
            break
        if line.strip() and not _SKIPPED_LINE_RE.match(line):
            is_heading = _heading(line) is not None
            if is_heading and step > 0:
                break
            found.append(i)
            if is_heading:
                break
        i += step
    return found


_MAX_LISTING_LINES = 40
"""A block of author lines (a PDF copy keeps its line breaks) is read whole up to this many lines."""


def _paragraph(lines: Sequence[str], at: int, index: int) -> range:
    """The lines around `at` with no blank line between them, short of the citation line
    (`index`) and of headings."""

    def part_of_it(i: int) -> bool:
        return 0 <= i < len(lines) and i != index and bool(lines[i].strip()) and _heading(lines[i]) is None

    start = end = at
    while part_of_it(start - 1) and at - start < _MAX_LISTING_LINES:
        start -= 1
    while part_of_it(end + 1) and end - start < _MAX_LISTING_LINES:
        end += 1
    return range(start, end + 1)


def _continued(lines: Sequence[str], used: list[int], index: int, step: int) -> list[int]:
    """`used` grown by whole paragraphs in one direction while the listing goes on over a blank
    line (each author in a paragraph of its own, "Shuchi Anand, MD∗," / "Glenn M. Chertow, MD")."""
    i = (used[-1] if step > 0 else used[0]) + step
    while 0 <= i < len(lines) and i != index:
        if lines[i].strip():
            first, second = (used[-1], i) if step > 0 else (i, used[0])
            if _heading(lines[i]):
                break
            joined = used + [i] if step > 0 else [i] + used
            alone = read_listing(lines[i])  # cheap and cached; the listing so far is read again only if need be
            if not (
                _CONTINUED_RE.search(clean_listing(lines[first]))
                or _CONTINUING_RE.match(lines[second])
                or _marked_listing_goes_on(lines[first], lines[second])
            ):
                break
            if not (alone.is_listing or alone.lone_name) and (
                _is_prose(_plain(lines[i])) or not read_listing("\n".join(lines[j] for j in joined)).is_listing
            ):
                break  # prose after the last author's comma ("…Oksenberg, PhD  e-mail" / "Objectives: To assess …")
            used = joined
        i += step
    return used


_MARKER_END_RE = re.compile(r"(?:\(\d{1,2}\)|\d|[†‡])\s*$")
"""An affiliation marker ending a paragraph of names: "K. Hoffmann (6)", "Clinical Research Fellow1" (not
a "*": Markdown's bold ends with two)."""
_MIN_NAMES_GOING_ON = 2


def _marked_listing_goes_on(first: str, second: str) -> bool:
    """A listing of marked names broken into paragraphs with no separator at the break ("D. A. Wahl (2);
    … K. Hoffmann (6)" / "R. Josse (7); J. A. Kanis (9); …", "Anna P Ralph, MPH, …, Fellow1" / "Robyn M
    Lucas, MB ChB, …"): the first ends on a marker, each reads as a listing of its own (of one name
    only where it shows it is one: degrees, markers, initials after the family name; one of them
    shows it), and the second opens with no number (an affiliation does: "1 Departamento de …")."""
    if _MARKER_END_RE.search(_plain(first)) is None or second.lstrip()[:1].isdigit():
        return False
    readings = (read_listing(first), read_listing(second))
    return all(r.is_listing and (r.shown or len(r.people) >= _MIN_NAMES_GOING_ON) for r in readings) and any(
        r.shown for r in readings
    )


def _listing_at(lines: Sequence[str], at: int, index: int, lone_name: bool) -> tuple[Reading, list[int]] | None:
    """The author listing on `lines[at]`, with the lines it spans: its whole block when the
    block reads as one listing, else the line continued over blank lines. `lone_name`: a line
    holding one name and nothing else ("Simon Vanlint") counts here. A part of an abstract
    ("LEVEL OF EVIDENCE: Prognostic Level IV.") lists no one."""
    if _ABSTRACT_PART_RE.match(lines[at]):
        return None
    block = _paragraph(lines, at, index)
    if len(block) > 1:
        reading = read_listing("\n".join(lines[i] for i in block))
        if reading.is_listing:
            return reading, list(block)
    reading = read_listing(lines[at])
    if lone_name:
        if not (reading.lone_name and len(block) == 1):
            return None
        # each author in a paragraph of their own, the first alone no listing ("Jieyu Hu equal contributor,")
        used = _continued(lines, [at], index, +1)
        joined = read_listing("\n".join(lines[i] for i in used)) if len(used) > 1 else reading
        return (joined, used) if joined.is_listing else (reading, [at])
    if not reading.is_listing:
        return None
    used = _continued(lines, _continued(lines, [at], index, +1), index, -1)
    return read_listing("\n".join(lines[i] for i in used)), used


_TITLE_GOES_ON_RE = re.compile(r",\s*$")
# A heading of four words or more ending in a colon is a title whose subtitle is the heading below ("## Higher
# Blood 25(OH)D Level May Reduce the Breast Cancer Risk:" / "### Evidence from a Chinese …"); a shorter one, or
# one that announces what follows, is a section's ("## Studies:", "## Other studies of Parkinson's disease and
# vitamin D:", "## Points attempting to be made:").
_TITLE_BEFORE_SUBTITLE_RE = re.compile(r"^\s*\S+(?:\s+\S+){3,}:\s*$")
_SECTION_HEADING_RE = re.compile(
    r"\b(?:studies|papers|articles|items|points|notes|include|includes|including|following|below|see|other|here)\b", re.I
)


def _with_heading_above(lines: Sequence[str], at: int) -> str:
    """The heading at `at`, joined to the heading just above it when they are one title split in
    two ("# Vitamin D supplementation … for patients with T2DM:" / "## an 18-month prospective
    interventional study."): the lower one starts in lower case, or the upper one ends with a
    comma, or with a colon after a title's first part (not a section's: `_TITLE_BEFORE_SUBTITLE_RE`)."""
    lower = _heading(lines[at])
    above = at - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    upper = _heading(lines[above]) if above >= 0 else None
    if lower is None or upper is None:
        return lines[at]
    if _TITLE_GOES_ON_RE.search(upper.group(1)) or lower.group(1)[:1].islower() or _is_title_first_part(upper.group(1)):
        return f"# {upper.group(1)} {lower.group(1)}"
    return lines[at]


def _is_title_first_part(text: str) -> bool:
    """A title's first part, its subtitle below it: words ending with a colon, not a section's ("Other studies:")."""
    return bool(_TITLE_BEFORE_SUBTITLE_RE.search(text)) and not _SECTION_HEADING_RE.search(text)


def _title_above(lines: Sequence[str], above: Sequence[int]) -> str | None:
    """The nearest heading or bold line above, short of prose; a plain line only right above, only
    when it reads as a PubMed title (one sentence ending with a period) or as a title under the wiki's
    own dated summary heading, and does not end a paragraph of prose."""
    for position, candidate in enumerate(above):
        text, start = _with_bold_start_above(lines, candidate)
        if _heading(text):
            return _title_of(_with_heading_above(lines, candidate))
        if _BOLD_LINE_RE.match(text):
            # a sentence in bold amid an abstract is the wiki's highlight, not the title
            return None if _after_prose(lines, start, sentence=True) else _title_of(text)
        # Right under a heading, a plain line ends that heading's title
        # ("#### Vitamin D and asthma:" / "a randomized trial"), but not the wiki's dated summary's.
        if candidate > 0 and _heading(lines[candidate - 1]) and not _is_wiki_summary(lines[candidate - 1]):
            return _title_of(f"{lines[candidate - 1].rstrip()} {text.strip()}")
        stripped = text.strip()
        if _CITATION_DETAILS_RE.search(text) or _is_affiliation(text):
            # "Isr Med Assoc J. 2014 Feb;16(2):117-21.": the work's citation; "Molecular Gastroenterology
            # Research Group, …, University of Sheffield, Sheffield, UK.": its authors' address. The title is above.
            continue
        # A plain line right above: a PubMed title (one sentence ending with a period), or a title under
        # the wiki's own heading for the study, which sums it up and dates it ("#### Low vitamin D in early
        # life may be associated with Schizophrenia, need more evidence - July 2021" / "Developmental
        # exposure to vitamin D deficiency and subsequent risk of schizophrenia"); under a dated copy of
        # the title a short note is no title ("RCT with 2000 seniors in Finland", "Open Access").
        if (
            position == 0
            and len(text.split()) <= 40
            and not _ABSTRACT_PART_RE.match(text)
            and (stripped.endswith((".", "?")) or len(above) > 1 and _title_under_summary(text, lines[above[1]]))
        ):
            if not _SENTENCE_BREAK_RE.search(stripped.rstrip(".?")) and not _after_prose(lines, candidate):
                return _title_of(text)
        if _ABSTRACT_PART_RE.match(text) or len(text.split()) > _LONG_PARAGRAPH_WORDS:
            return None  # a paragraph of an abstract ("CONCLUSIONS: …") or a comment: the title is not above it
    return None


def _with_bold_start_above(lines: Sequence[str], at: int) -> tuple[str, int]:
    """The line at `at`, joined to the line right above when both are one bold title broken in two
    (" **Vitamin D deficiency is … erectile dysfunction:" / "The National … 2001–2004** "), or to a
    bold title's first part right above or a blank line above (as a title split over two headings is:
    "**Vitamin D supplementation … for patients with T2DM:**" / "**an 18-month prospective
    interventional study.**"), and the index of its first line."""
    line = lines[at]
    if at == 0 or not line.rstrip().endswith("**"):
        return line, at
    if "**" in line.rstrip()[:-2]:
        if not _BOLD_SPAN_LINE_RE.fullmatch(line.strip()):
            return line, at
        first = at - 1 if lines[at - 1].strip() or at == 1 else at - 2
        upper = _BOLD_SPAN_LINE_RE.fullmatch(lines[first].strip())
        if upper and _is_title_first_part(upper.group(1)):
            return f"{lines[first].strip()[:-2]} {line.strip()[2:]}", first
        return line, at
    above = lines[at - 1]
    if above.lstrip().startswith("**") and "**" not in above.lstrip()[2:]:
        return f"{above.rstrip()} {line.strip()}", at - 1
    return line, at


_BOLD_SPAN_LINE_RE = re.compile(r"\*\*((?:(?!\*\*).)+)\*\*")


def _is_wiki_summary(line: str) -> bool:
    """A heading the wiki dates ("… - July 2021"), as it does its own one-line summaries of a study."""
    heading = _heading(line)
    return heading is not None and _DATE_SUFFIX_RE.search(_plain(heading.group(1))) is not None


_MIN_TITLE_UNDER_SUMMARY_WORDS = 8
"""A title under the wiki's dated heading has this many words at least; a note there is shorter."""
_TITLE_NOTE_RE = re.compile(
    r"\b(?:online|open access|full text|free|published|available|attached|paywall|"
    r"publisher|access|cost|price|purchase|rent|buy|download|pdf|read)\b",
    re.I,
)
"""The wiki's notes under its summary: "Open Access", "PDF is behind a paywall", "Low cost access from publisher"."""


def _title_under_summary(text: str, above: str) -> bool:
    """`text`, right under the line `above`, reads as the study's title under the wiki's dated summary
    of it: long enough, and no note ("RCT with 2000 seniors in Finland", "Open Access")."""
    return (
        len(_TITLE_WORD_RE.findall(_plain(text))) >= _MIN_TITLE_UNDER_SUMMARY_WORDS
        and not _TITLE_NOTE_RE.search(text)
        and _is_wiki_summary(above)
    )


_ADDRESS_MIN_PARTS = 4
"""An address is set off in this many parts by commas at least ("Molecular Gastroenterology Research Group,
Academic Unit of Surgical Oncology, Department of Oncology, University of Sheffield, Sheffield, UK")."""
_ADDRESS_MIN_WORDS = 2
"""… and names this many parts of an institution at least; a title names one or two in fewer parts ("… in
the intensive care unit of a university hospital, Brazil")."""


def _is_affiliation(text: str) -> bool:
    """An authors' address, not a title."""
    named = INSTITUTION_WORDS.intersection(re.findall(r"\w+", text.lower()))
    return text.count(",") + 1 >= _ADDRESS_MIN_PARTS and len(named) >= _ADDRESS_MIN_WORDS


def _after_prose(lines: Sequence[str], at: int, sentence: bool = False) -> bool:
    """The nearest line above `at` is neither a heading, a bold line, a rule, a listing nor a line
    holding a link or an identifier: `lines[at]` ends an abstract or a comment ("CONCLUSION:" /
    "Our results demonstrated …" over "PMID: 24124339"), it is no title. `sentence`: only when
    that line also ends a sentence or names a part of an abstract (for a line in bold, which is
    a title after "(Thanks, Dr. Grant, for finding this study)" but the wiki's highlight after
    "Our results show that … in all patients.")."""
    above = at - 1
    while above >= 0 and (not lines[above].strip() or _SKIPPED_LINE_RE.match(lines[above])):
        above -= 1
    text = lines[above] if above >= 0 else ""
    if above < 0 or _heading(text) or _RULE_RE.match(text):
        return False
    bold = _BOLD_LINE_RE.match(text)
    if bold:  # a title, or a sentence of the abstract in bold ("**The cases highlight … childhood.**")
        return bold.group(1).strip().endswith(".") and _is_prose(_plain(bold.group(1)))
    if sentence and not (text.rstrip().endswith(".") or _ABSTRACT_PART_RE.match(text)):
        return False
    return not (_IDENTIFIED_RE.search(text) or read_listing(text).is_listing)


_CITATION_DETAILS_RE = re.compile(r";\s*\d+\s*(?:\(\s*[\w-]+\s*\))?\s*:\s*(?:[A-Za-z]{1,4}\.?)?\d+")  # "; 14(2): 117", "; 14(2): PCC.11m01230"


_ABSTRACT_PART_RE = re.compile(
    r"^\s*(?:\*\*)?(?:[A-Z][A-Z /&-]{3,}|(?i:background|objectives?|aims?|purpose|design|methods|results|findings|"
    r"conclusions?|interpretation|discussion)):"
)
_LONG_PARAGRAPH_WORDS = 40
_IDENTIFIED_RE = re.compile(r"\b10\.\d{4,9}/|\bPMC?ID\b|https?://|\]\(", re.I)


_NUMBERED_ENTRY_RE = re.compile(r"^\s*(?:[*+-]\s+)?(?:\d{1,3}[.)]?|[(\[]\d{1,3}[)\]]|<sup>\[?\d{1,3}\]?</sup>)\s")
"""A numbered entry of a reference list: "44. ", "* 61. ", "<sup>[4]</sup> ", "(12) " (not a year: "2011) Evaluation …")."""


_LINK_OPENING_RE = re.compile(r"^\s*(?:[*+-]\s+)?\[")


def _entry_going_on(lines: Sequence[str], index: int) -> tuple[Reading, int] | None:
    """The listing of the reference entry that `lines[index]` carries on, and its line: a PDF copy
    breaks an entry over lines ("44. Bogh MK, … Wulf HC. Vitamin D production … J Invest Dermatol" /
    "2010; 130:546-53; PMID:19812604; …"). Only an entry with names and no identifier of its own goes
    on, onto a line that is not numbered itself; a numbered entry, or a bulleted one that stops short
    of its year where the line gives one ("* Liu PT, …, Modlin RL. Therapeutic implications of …" /
    "* Trends Mol Med. 2007; 13:117-24. [PubMed: 17276732]"), not onto a link."""
    above = index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    if above < 0 or not _LIST_ITEM_RE.match(lines[above]) and not _NUMBERED_ENTRY_RE.match(lines[above]):
        return None  # most lines above a citation are no entry: this is told first, cheaply
    if _NUMBERED_ENTRY_RE.match(lines[index]) or _IDENTIFIED_RE.search(lines[above]):
        return None
    unfinished = (
        not _YEAR_RE.search(lines[above]) and _YEAR_RE.search(lines[index]) and not _LINK_OPENING_RE.match(lines[index])
    )
    if not (_NUMBERED_ENTRY_RE.match(lines[above]) or unfinished):
        return None
    entry = reference_authors(lines[above])
    return (entry, above) if entry.people else None


_IDENTIFIER_START_RE = re.compile(r"\[?\s*\bdoi\b|\b10\.\d{4,9}/|\bPMC?ID\b|https?://", re.I)
_BEFORE_IDENTIFIER_ENDS = (";", ":")
"""Names end so right before the identifier: "Carlien Leyssens, Lieve Verlinden and Annemieke Verstuyf;
[doi: …](…); Review Article", "Sean G. Byars,  Stephen C. Stearns,  Jacobus J. Boomsma: doi…"."""
_LISTING_AFTER_RE = re.compile(r"(?:\]\([^()\s]*\)|\b10\.\d{4,9}/\S+|\bPMID:?\s*\d+)\s*(?P<names>[^\[\]()]+)$", re.I)
"""Names after the identifier, to the end of the line: PubMed's abstract copied without its line breaks
("Arch Pediatr. 2012 Nov 9. pii: …. [doi: …](…) Mallet E, Gaudelus J, …, Uhlrich J.")."""
_MIN_NAMES_ON_LINE = 2
"""Names beside the identifier: two at least, for one name there reads like a journal ("Am J Hypertens
(2012);", "… Cancer Prevention Research-13-0338-T")."""
_MIN_PLAIN_NAMES_ON_LINE = 3
"""Names there without a sign of a listing (initials after the family name, degrees, an e-mail
address): three at least, as a title in capitals reads like names."""
_YEAR_OPENING_RE = re.compile(r"^\s*\(\s*(?:19|20)\d\d")


def _listing_on_citation_line(lines: Sequence[str], index: int) -> tuple[Reading, str] | None:
    """A listing that shares the citation line `lines[index]`, before or after the identifier, and the
    rest of the line, which holds the citation (before the identifier: none that can be told from the
    listing). Names after the identifier that the next line goes on with a year ("Spina, C. S., …, &
    Holick, M. F." / "(2006). Vitamin D and cancer.") open the next entry of an APA reference list."""
    line = lines[index]
    start = _IDENTIFIER_START_RE.search(line)
    before = line[: start.start()].rstrip() if start else ""
    if before.endswith(_BEFORE_IDENTIFIER_ENDS) and not _YEAR_RE.search(before):
        reading = read_listing(before[:-1])
        if reading.is_listing and reading.whole and len(reading.people) >= _MIN_NAMES_ON_LINE:
            return reading, ""
    after = _LISTING_AFTER_RE.search(line)
    following = next((text for text in lines[index + 1 :] if text.strip()), "")
    if after is None or _YEAR_OPENING_RE.match(following):
        return None
    reading = read_listing(after.group("names"))
    enough = _MIN_NAMES_ON_LINE if reading.shown else _MIN_PLAIN_NAMES_ON_LINE
    if reading.is_listing and reading.whole and len(reading.people) >= enough:
        return reading, line[: after.start("names")]
    return None


def listed_near(lines: Sequence[str], index: int, body_line: int) -> Listed | None:
    """What the page lists about the work whose DOI is on `lines[index]`: title,
    journal, year and authors from the citation line and the lines around it.
    `body_line` is the file line number of `lines[0]`."""
    line = lines[index]
    # A reference entry holds its own listing ("1. Holick MF, Chen TC. Vitamin D…"); in a list
    # or a table the lines around belong to other works.
    entry = reference_authors(line)
    if not entry.people:
        going_on = _entry_going_on(lines, index)
        if going_on is not None:
            reading, above = going_on
            return _authors_listed(reading, body_line + above)
    if _LIST_ITEM_RE.match(line) or line.lstrip()[:1] == "|" or _HTML_BLOCK_RE.match(line):
        if not entry.people:
            return None
        return _authors_listed(entry, body_line + index)
    on_line = None if entry.people else _listing_on_citation_line(lines, index)
    remainder = _citation_remainder(on_line[1] if on_line else line)
    if _is_sentence(remainder) and not entry.people:
        return None
    # A citation line with a note ("Journal of … accepted article preview online, 20 May 2014; doi:…",
    # "… PDF is behind a paywall") names no title, journal or year that can be trusted, and no lone
    # name below it is an author ("**Clinical Significance**"); a listing near it is.
    prose = _is_prose(remainder) and not entry.people
    journal = _journal_of(remainder) if remainder and not entry.people and not prose else None
    year = None if prose else _year_of(remainder)

    above = _neighbours(lines, index, -1)
    below = _neighbours(lines, index, +1)
    reading: Reading | None = entry if entry.is_listing else on_line[0] if on_line else None
    used: list[int] = [index] if reading else []
    # One name alone counts only right under the citation line, where PubMed puts authors, and
    # only when no listing is near.
    candidates = [(i, False) for i in below[:2] + above] + [(i, True) for i in below[:1] if not prose]
    for candidate, lone_name in [] if reading else candidates:
        found = _listing_at(lines, candidate, index, lone_name)
        if found is not None:
            reading, used = found
            break

    # A reference entry holds its own title, as does a heading; the lines above belong to something else.
    if _heading(line):
        title = _title_of_linked_heading(line)
    elif entry.is_listing or prose:
        title = None
    else:
        title = _link_under_summary(line, lines[above[0]] if above else "") or _title_above(lines, [i for i in above if i not in used])
    if title is None and journal is None and year is None and not (reading and reading.people):
        return None
    listed = _authors_listed(reading, body_line + used[0]) if reading else Listed()
    return replace(listed, title=title, journal=journal, year=year)


def _authors_listed(reading: Reading, authors_line: int) -> Listed:
    return Listed(
        authors=reading.people, truncated=reading.truncated, authors_unread=reading.names_unread, authors_line=authors_line
    )
