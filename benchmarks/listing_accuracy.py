"""How well refkit reads author listings, against names labelled by people.

    python benchmarks/listing_accuracy.py corpus [--labels FILE]          (tests/data/listing_labels.json)
    python benchmarks/listing_accuracy.py references [--part tune|holdout] (tests/data/reference_author_labels.json)
    python benchmarks/listing_accuracy.py grobid [--part tune|test]        (../shared/names/grobid-header-train)

`corpus`: hand-labelled listings next to DOIs, PMIDs and PMC ids on corpus pages; each is read as
`refkit scan` reads it, with `listed_near` at the identifier's line. `references` and `grobid`: author strings labelled by others, each put on a
throwaway wiki page under a citation line and read through `refkit scan --format jsonl`, run as
a process. GROBID's blocks keep the line breaks of the PDF.

A name is its folded family name plus the first letter of its given name (`normalise_name`, no
spaces), compared as multisets per listing: name-level precision, recall and F1; a listing is
exactly right when every name is, in order. "Junk people" are names read that are no one (a
degree, a role, a marker, an e-mail address, an affiliation word). Every disagreement is printed.
A measurement, not a test: it always exits 0 once it has run. How the labels were made is in
tests/data/README.md; never tune on the held-out parts."""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus" / "vitamindwiki"
GROBID = SHARED / "names" / "grobid-header-train"
DATA = ROOT / "tests" / "data"
sys.path.insert(0, str(ROOT))

from doi_accuracy import Tally  # noqa: E402  (benchmarks/ is on the path: the script's own folder)
from refkit.model import Listed  # noqa: E402
from refkit.names import normalise_name  # noqa: E402
from refkit.wordlists import AFFILIATION_WORDS, DEGREES, ROLES  # noqa: E402

GROBID_SEED = 560
"""`random.Random(GROBID_SEED)` draws GROBID's untouched part (see `grobid_parts`)."""
GROBID_TEST_SHARE = 0.4

Key = str
"""One name as compared: folded family name, '|', first letter of the given name."""


def name_key(given: str | None, family: str | None) -> Key:
    folded_given = normalise_name(given or "")
    return f"{normalise_name(family or '').replace(' ', '')}|{folded_given[:1]}"


def person_key(person: dict) -> Key:
    if person.get("literal"):
        return name_key(None, person["literal"])
    return name_key(person.get("given"), person.get("family"))


@dataclass
class Listing:
    """One labelled listing: where it is, the names (each with the keys accepted for it) and what
    refkit read (`found`, None when it read no listing there)."""

    where: str
    raw: str
    gold: list[set[Key]]
    found: list[Key] | None = None


@dataclass
class Score(Tally):
    """Names counted as doi_accuracy counts DOIs, and listings."""

    listings: int = 0
    exact: int = 0
    junk: list[tuple[str, Key]] = field(default_factory=list)
    misses: list[Listing] = field(default_factory=list)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def exact_share(self) -> float:
        return self.exact / self.listings if self.listings else 1.0

    def line(self) -> str:
        return (
            f"listings {self.listings:4d}  names TP {self.true_positives:4d} FP {self.false_positives:3d} "
            f"FN {self.false_negatives:3d}  precision {self.precision:.4f}  recall {self.recall:.4f}  "
            f"F1 {self.f1:.4f}  exact {self.exact}/{self.listings} = {self.exact_share:.3f}  "
            f"junk people {len(self.junk)}"
        )


_JUNK_WORDS = DEGREES | ROLES | AFFILIATION_WORDS | {"email", "mail", "orcid", "corresponding", "author"}


def is_junk(key: Key) -> bool:
    """Whether a name read is no one: a degree, role, affiliation word, marker or e-mail."""
    family = key.split("|")[0]
    return not family or family in _JUNK_WORDS or len(family) == 1 or bool(re.search(r"\d|@", family))


def score(listings: Iterable[Listing]) -> Score:
    result = Score()
    for listing in listings:
        result.listings += 1
        found = listing.found or []
        unmatched = list(range(len(listing.gold)))
        extra = []
        for key in found:
            hit = next((i for i in unmatched if key in listing.gold[i]), None)
            if hit is None:
                extra.append(key)
            else:
                unmatched.remove(hit)
        result.true_positives += len(found) - len(extra)
        result.false_positives += len(extra)
        result.false_negatives += len(unmatched)
        result.junk.extend((listing.where, key) for key in extra if is_junk(key))
        if len(found) == len(listing.gold) and all(key in keys for key, keys in zip(found, listing.gold)):
            result.exact += 1
        else:
            result.misses.append(listing)
    return result


def report(title: str, result: Score, show: int) -> None:
    print(title)
    print(result.line())
    for listing in result.misses[:show]:
        gold = ["/".join(sorted(keys)) for keys in listing.gold]
        print(f"\n  {listing.where}\n    raw:   {listing.raw!r}\n    gold:  {gold}\n    found: {listing.found}")
    if result.junk:
        print("\njunk people:", result.junk)


# ---------------------------------------------------------------------------------- corpus labels


def listed_at(file: str, line: int) -> Listed | None:
    """What a corpus page lists for the identifier on file line `line`, as `refkit scan` reads it."""
    from refkit.listed import listed_near

    lines, body_line = _body_lines(file)
    return listed_near(lines, line - body_line, body_line)


@functools.lru_cache(maxsize=8)  # a page's labels come together: each page is read once
def _body_lines(file: str) -> tuple[list[str], int]:
    from refkit.pages import split_front_matter

    _, body, body_line = split_front_matter((CORPUS / file).read_text(encoding="utf-8"), file)
    return body.split("\n"), body_line


def corpus_listings(labels_file: Path) -> list[Listing]:
    """The labelled listings, each read with `listed_near` at its identifier's line."""
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    listings = []
    for page in labels["pages"]:
        for label in page["listings"]:
            gold = [{person_key(person)} for person in label["authors"]]
            for alternative in label.get("also_accept", []):
                gold[alternative["index"]].add(person_key(alternative))
            listed = listed_at(page["file"], label["id_line"])
            found = None
            if listed is not None and listed.authors:
                found = [name_key(p.given, p.family if p.family is not None else p.literal) for p in listed.authors]
            listings.append(Listing(f"{page['file']}:{label['id_line']}", label["raw"], gold, found))
    return listings


# ------------------------------------------------------------- throwaway pages read by refkit scan


def scan_pages(pages: dict[str, str]) -> dict[str, list[Key] | None]:
    """Write each page (name -> Markdown body under a citation line), run `refkit scan --format
    jsonl` over them as a process, and return the names read for each page's DOI."""
    found: dict[str, list[Key] | None] = {name: None for name in pages}
    with tempfile.TemporaryDirectory(prefix="refkit-listing-accuracy-") as folder:
        for number, (name, body) in enumerate(pages.items()):
            doi = f"10.5555/listing.{number}"
            text = (
                '{\n    "title": "%s"\n}\n\n## A study of something that matters to somebody\n\n'
                "Journal of Tests. 2020 Jan;1(2):3-4. doi: %s\n\n%s\n" % (name, doi, body)
            )
            Path(folder, f"{number}.md").write_text(text, encoding="utf-8")
        names = list(pages)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH")))))
        process = subprocess.run(
            [sys.executable, "-m", "refkit", "scan", "--quiet", "--format", "jsonl", folder],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        if process.returncode not in (0, 1):
            raise SystemExit(f"refkit scan failed: {process.stderr}")
        for line in process.stdout.splitlines():
            record = json.loads(line)
            number = int(Path(record["file"]).stem)
            listed = record["listed"]
            if record["doi"] == f"10.5555/listing.{number}" and listed and listed["authors"]:
                found[names[number]] = [name_key(a["given"], a["family"]) for a in listed["authors"]]
    return found


def reference_listings(labels_file: Path, part: str) -> list[Listing]:
    labels = json.loads(labels_file.read_text(encoding="utf-8"))
    items = [item for item in labels["items"] if item["part"] == part]
    pages = {f"{item['file']}:{item['line']}": item["raw"] for item in items}
    found = scan_pages(pages)
    return [
        Listing(where, item["raw"], [{person_key(p)} for p in item["authors"]], found[where])
        for where, item in zip(pages, items)
    ]


# --------------------------------------------------------------------------------------- GROBID

_TEI = "{http://www.tei-c.org/ns/1.0}"
_GIVEN_TAGS = {f"{_TEI}forename", f"{_TEI}middlename", f"{_TEI}firstname"}


@dataclass(frozen=True)
class Block:
    """One `<author>` block of a GROBID file: its text as the PDF had it and the people labelled."""

    file: str
    text: str
    people: tuple[tuple[str, str], ...]


def _block_text(element: ElementTree.Element) -> str:
    """The text, blanks of the XML layout folded to one space, `<lb/>` kept as a line break."""
    parts: list[str] = []

    def walk(node: ElementTree.Element) -> None:
        if node.tag == f"{_TEI}lb":
            parts.append("\0")
        parts.append(node.text or "")
        for child in node:
            walk(child)
            parts.append(child.tail or "")

    walk(element)
    text = re.sub(r"\s+", " ", "".join(parts))
    return "\n".join(line.strip() for line in text.split("\0") if line.strip())


def _block_people(element: ElementTree.Element) -> tuple[tuple[str, str], ...]:
    people = []
    for person in element.iter(f"{_TEI}persName"):
        given = " ".join(" ".join((part.text or "").split()) for part in person if part.tag in _GIVEN_TAGS)
        family = " ".join(" ".join((part.text or "").split()) for part in person.iter(f"{_TEI}surname"))
        if family:  # a few persName elements are empty (label noise)
            people.append((given, family))
    return tuple(people)


def grobid_blocks() -> list[Block]:
    blocks = []
    for path in sorted(GROBID.glob("*.xml")):
        for element in ElementTree.parse(path).getroot().iter(f"{_TEI}author"):
            people = _block_people(element)
            if people:
                blocks.append(Block(path.name, _block_text(element), people))
    return blocks


def _paper(file: str) -> str:
    """Files of one paper share a name up to `.authors` or `.training` (a header and its training copy)."""
    return re.split(r"\.(?:authors|training)\b", file)[0]


def grobid_parts(blocks: Sequence[Block]) -> dict[str, str]:
    """File -> "tune" or "test". Papers, not files, are drawn (a paper's two copies stay together,
    and so do files holding the same block text): `random.Random(GROBID_SEED).sample` of the
    sorted groups, GROBID_TEST_SHARE of them, is the test part, never tuned on."""
    group_of: dict[str, str] = {}

    def find(item: str) -> str:
        while group_of.setdefault(item, item) != item:
            item = group_of[item]
        return item

    by_text: dict[str, str] = {}
    for block in blocks:
        find(block.file)
        group_of[find(block.file)] = find(_paper(block.file))
        text_id = "text:" + hashlib.sha1(block.text.encode()).hexdigest()
        group_of[find(text_id)] = find(block.file)
        by_text[text_id] = block.file
    groups = sorted({find(block.file) for block in blocks})
    test = set(random.Random(GROBID_SEED).sample(groups, round(GROBID_TEST_SHARE * len(groups))))
    return {block.file: "test" if find(block.file) in test else "tune" for block in blocks}


def grobid_listings(part: str) -> list[Listing]:
    blocks = grobid_blocks()
    parts = grobid_parts(blocks)
    chosen = [block for block in blocks if parts[block.file] == part]
    pages = {f"{block.file}#{number}": block.text for number, block in enumerate(chosen)}
    found = scan_pages(pages)
    return [
        Listing(where, block.text, [{name_key(g, f)} for g, f in block.people], found[where])
        for where, block in zip(pages, chosen)
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", choices=["corpus", "references", "grobid"])
    parser.add_argument("--labels", type=Path, help="labels file (default: the one in tests/data)")
    parser.add_argument("--part", help="references: tune or holdout; grobid: tune or test")
    parser.add_argument("--show", type=int, default=40, help="how many disagreements to print")
    options = parser.parse_args(argv)
    if options.source == "corpus":
        labels = options.labels or DATA / "listing_labels.json"
        report(f"corpus listings in {labels.name}", score(corpus_listings(labels)), options.show)
    elif options.source == "references":
        labels, part = options.labels or DATA / "reference_author_labels.json", options.part or "tune"
        report(f"reference-list author strings ({part})", score(reference_listings(labels, part)), options.show)
    else:
        part = options.part or "tune"
        report(f"GROBID header author blocks ({part})", score(grobid_listings(part)), options.show)


if __name__ == "__main__":
    main()
