"""Crossref's title markup as a small tree that each export format renders in its own syntax.

Crossref titles carry a few HTML-like tags (`<i>`, `<b>`, `<sub>`, `<sup>`, `<scp>`) and sometimes
MathML. Only those known tags are markup: any other `<` is text, so "p<0.05" survives. MathML is
flattened best-effort into text with sub- and superscripts; everything else in it is dropped."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Literal, Union

Style = Literal["italic", "bold", "sub", "sup", "smallcaps"]

_STYLE_TAGS: dict[str, Style] = {
    "i": "italic",
    "em": "italic",
    "b": "bold",
    "strong": "bold",
    "sub": "sub",
    "sup": "sup",
    "scp": "smallcaps",
    "sc": "smallcaps",
}
_TRANSPARENT_TAGS = frozenset({"span", "u", "tt", "jats:italic"})
_MATHML_TAGS = frozenset(
    {
        "math", "mi", "mo", "mn", "ms", "mtext", "mrow", "mstyle", "msup", "msub", "msubsup", "mfrac",
        "msqrt", "mroot", "mover", "munder", "munderover", "mspace", "mfenced", "mpadded", "mphantom",
        "semantics", "annotation", "annotation-xml",
    }
)  # fmt: skip
_TAG = re.compile(r"<(/?)((?:mml:)?[a-z][a-z0-9:-]*)\b[^<>]*?(/?)>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
MAX_DEPTH = 100
"""Markup nested deeper than this (no real title does; a hostile record can) is read as text."""


@dataclass(frozen=True)
class Styled:
    style: Style
    children: tuple[Node, ...]


Node = Union[str, Styled]


@dataclass
class _Element:
    tag: str
    children: list[_Element | str]


def _known(tag: str) -> bool:
    bare = tag.removeprefix("mml:")
    return tag in _STYLE_TAGS or tag in _TRANSPARENT_TAGS or bare in _MATHML_TAGS


def _parse_elements(text: str) -> list[_Element | str]:
    """Known tags into nested elements (tolerating unclosed and stray tags), the rest as text."""
    root = _Element("", [])
    stack = [root]
    position = 0
    for match in _TAG.finditer(text):
        closing, tag, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if not _known(tag):
            continue
        if match.start() > position:
            stack[-1].children.append(text[position : match.start()])
        position = match.end()
        if self_closing:
            stack[-1].children.append(_Element(tag, []))
        elif not closing:
            if len(stack) <= MAX_DEPTH:  # deeper tags are dropped: the renderers recurse once per level
                stack.append(_Element(tag, []))
        elif any(item.tag == tag for item in stack[1:]):
            while True:
                item = stack.pop()
                stack[-1].children.append(item)
                if item.tag == tag:
                    break
    if position < len(text):
        stack[-1].children.append(text[position:])
    while len(stack) > 1:
        item = stack.pop()
        stack[-1].children.append(item)
    return root.children


def _math_nodes(element: _Element | str) -> list[Node]:
    if isinstance(element, str):
        # Indentation between MathML elements is not content.
        return [] if not element.strip() else [element.strip()]
    tag = element.tag.removeprefix("mml:")
    if tag in ("annotation", "annotation-xml"):
        return []
    parts = [_math_nodes(child) for child in element.children if not (isinstance(child, str) and not child.strip())]
    if tag in ("msup", "msub", "msubsup") and len(parts) >= 2:
        base, scripts = parts[0], parts[1:]
        styles: tuple[Style, ...] = {"msup": ("sup",), "msub": ("sub",), "msubsup": ("sub", "sup")}[tag]
        nodes = list(base)
        for style, script in zip(styles, scripts):
            nodes.append(Styled(style, tuple(script)))
        return nodes
    if tag == "mfrac" and len(parts) == 2:
        return [*parts[0], "/", *parts[1]]
    return [node for part in parts for node in part]


def _nodes(elements: list[_Element | str]) -> list[Node]:
    nodes: list[Node] = []
    for element in elements:
        if isinstance(element, str):
            nodes.append(element)
        elif element.tag in _STYLE_TAGS:
            nodes.append(Styled(_STYLE_TAGS[element.tag], tuple(_nodes(element.children))))
        elif element.tag.removeprefix("mml:") in _MATHML_TAGS:
            nodes.extend(_math_nodes(element))
        else:
            nodes.extend(_nodes(element.children))
    return nodes


def _merge_text(nodes: list[Node]) -> tuple[Node, ...]:
    """Adjacent strings joined and whitespace folded, so renderers see clean runs."""
    merged: list[Node] = []
    for node in nodes:
        if isinstance(node, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + node
        elif isinstance(node, Styled):
            merged.append(Styled(node.style, _merge_text(list(node.children))))
        else:
            merged.append(node)
    return tuple(_SPACES.sub(" ", node) if isinstance(node, str) else node for node in merged if node != "")


def parse_markup(text: str) -> tuple[Node, ...]:
    """A title (or any Crossref text field) as a tuple of text runs and styled spans.

    Entities are decoded first: some publishers deposit markup twice encoded (`&lt;sup&gt;`)."""
    nodes = _merge_text(_nodes(_parse_elements(html.unescape(text))))
    if nodes and isinstance(nodes[0], str):
        nodes = (nodes[0].lstrip(), *nodes[1:])
    if nodes and isinstance(nodes[-1], str):
        nodes = (*nodes[:-1], nodes[-1].rstrip())
    return tuple(node for node in nodes if node != "")


def plain_text(nodes: tuple[Node, ...]) -> str:
    """The text without any markup."""
    return "".join(node if isinstance(node, str) else plain_text(node.children) for node in nodes)


def plain(text: str | None) -> str:
    """Shortcut: markup-free text of a Crossref string (empty for None)."""
    return plain_text(parse_markup(text)) if text else ""


# Markup in wiki pages (not Crossref's): HTML tags, Markdown emphasis, links and images, and what
# the wiki's previous engine left behind (`%%%` line breaks, `~hs~` hard spaces, `~~#00F:text~~`
# colours, `__bold__`, `===underline===`, `-=title=-`, `::centred::`, `^box` at a line's start).
_INLINE_TAG = re.compile(r"</?(?:span|a|b|i|em|strong|sup|sub|u|font|small|big|mark)\b[^<>]*>", re.IGNORECASE)
"""Tags inside a run of text ("outdoors</span>: 11-year", "25<span>[OH]</span>D"): nothing between."""
_PAGE_MARKUP = re.compile(
    r"!\[[^\]]*\]\([^()]*\)"  # a Markdown image
    r"|</?[A-Za-z][A-Za-z0-9]*\b[^<>]*>"  # an HTML tag: a name follows '<', so "p<0.05 and q>1" stays
    r"|~~(?:#[0-9A-Fa-f]{3,6}|[A-Za-z]+):"  # the opening of an old-engine colour
    r"|~~|__|\*\*|===|-=|=-|::"
    r"|(?:^|(?<=\n))\^"  # the opening of an old-engine box, at the start of a line
)
LINK_TARGET = r"\([^()]*(?:\([^()]*\)[^()]*)*\)"
"""A Markdown link's target in its parentheses, itself holding one level of them (a DOI like `S0140-6736(13)61647-5`)."""
_PAGE_LINK = re.compile(rf"\[([^\[\]]*)\]{LINK_TARGET}")
_PAGE_SPACES = {"%%%": "\n", "~hs~": " ", "&nbsp;": " "}


def page_plain(text: str) -> str:
    """Wiki page text as a reader sees it: links as their text, entities decoded, and no HTML,
    Markdown emphasis or old-engine markup ("__[Vitamin D](/tags/d) trial__%%%~hs~" ->
    "Vitamin D trial\\n "). Line breaks and blanks stay where they were; callers fold them."""
    if "~" in text or "%%%" in text or "&nbsp;" in text:
        for mark, blank in _PAGE_SPACES.items():
            text = text.replace(mark, blank)
    if "](" in text:
        text = _PAGE_LINK.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _INLINE_TAG.sub("", text)
    return _PAGE_MARKUP.sub(" ", text)
