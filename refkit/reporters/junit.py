"""JUnit XML: one test suite, one test case per page checked. Findings that reach the
--fail-on threshold are the case's <failure>s; the others go to its <system-out>, so CI
dashboards agree with refkit's exit status."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TextIO

from ..model import Finding
from . import Summary, by_page, fails, finding_line, summary_line

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(findings: Sequence[Finding], summary: Summary, stream: TextIO) -> None:
    by_file = by_page(findings)
    files = sorted(set(summary.files) | set(by_file))
    failed = sum(1 for file in files if any(fails(finding, summary.fail_on) for finding in by_file.get(file, ())))
    counts = {"tests": str(len(files)), "failures": str(failed), "errors": "0", "skipped": "0"}
    suites = ET.Element("testsuites", {"name": "refkit", **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": "refkit check", **counts})
    ET.SubElement(ET.SubElement(suite, "properties"), "property", {"name": "summary", "value": summary_line(summary)})
    for file in files:
        case = ET.SubElement(suite, "testcase", {"classname": "refkit.check", "name": file, "file": file})
        failing = [finding for finding in by_file.get(file, ()) if fails(finding, summary.fail_on)]
        others = [finding for finding in by_file.get(file, ()) if not fails(finding, summary.fail_on)]
        for finding in failing:
            failure = ET.SubElement(case, "failure", {"type": finding.rule, "message": finding.message})
            failure.text = finding_line(finding)
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(finding_line(finding) for finding in others)
    ET.indent(suites)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    # ElementTree escapes markup but writes characters XML 1.0 forbids (NUL, BEL, ESC from a record) as they are.
    stream.write(_NOT_XML.sub("", ET.tostring(suites, encoding="unicode")))
    stream.write("\n")
