"""Rich text of item bodies: sanitised on the way in, and PII masking that respects markup."""

import html
import re
from collections.abc import Callable

import nh3

from gongkai.privacy import mask as privacy_mask

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "blockquote", "a", "span", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}

_TAG = re.compile(r"(<[^>]*>)")
_BLOCK_END = re.compile(r"</(p|h[2-4]|li|tr|blockquote|caption)>|<br\s*/?>", re.IGNORECASE)
_CELL_END = re.compile(r"</t[dh]>", re.IGNORECASE)
_CELL = re.compile(r"(<t[dh](?:\s[^>]*)?>)(.*?)(</t[dh]>)", re.IGNORECASE | re.DOTALL)


def sanitize(body: str) -> str:
    return nh3.clean(
        body or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def to_text(body: str) -> str:
    """Plain text of a sanitised body, one line per block, for scanning and search.

    Table cells are kept apart by a tab: "<td>3309…1026</td><td>1390…1234</td>" must not read
    as one long number, which the privacy shield would not recognise as an ID and a mobile.
    A table is written one row per line with a tab between cells (the convention of the
    document extractors), so that the shield can read a column under its header (姓名, 户主 …):
    paragraphs and breaks inside a cell become blanks, and an empty first cell keeps its tab.
    """
    body = _CELL.sub(
        lambda m: m.group(1) + _BLOCK_END.sub(" ", m.group(2)) + m.group(3), body or ""
    )
    with_breaks = _BLOCK_END.sub(lambda m: m.group(0) + "\n", body)
    with_breaks = _CELL_END.sub(lambda m: m.group(0) + "\t", with_breaks)
    text = html.unescape(_TAG.sub("", with_breaks))
    lines = (
        line.strip(" \u3000\r") if "\t" in line else line.strip() for line in text.splitlines()
    )
    return "\n".join(line.rstrip("\t ") for line in lines if line.strip())


# attribute values a reader sees (a link's tooltip) or can read (a mailto: address, a URL's
# query); the sanitiser writes every attribute in double quotes
_TEXT_ATTRIBUTE = re.compile(r'(\s(?:href|title)=")([^"]*)(")')


def attribute_text(body: str) -> str:
    """The values of the attributes above, one per line, for the privacy shield."""
    values = (html.unescape(m.group(2)) for m in _TEXT_ATTRIBUTE.finditer(body or ""))
    return "\n".join(v for v in values if v.strip())


def scan_text(body: str) -> str:
    """Everything of a body the privacy shield must read: its text, then its attributes."""
    attributes = attribute_text(body)
    text = to_text(body)
    return f"{text}\n{attributes}" if attributes else text


def mask_html(body: str, masker: Callable[[str], str] = privacy_mask) -> str:
    """Mask PII in the text between tags and in the attributes above, leaving the markup as it
    is."""

    def mask_attribute(match: re.Match) -> str:
        value = html.unescape(match.group(2))
        masked = masker(value)
        if masked == value:
            return match.group(0)
        return match.group(1) + html.escape(masked, quote=True) + match.group(3)

    parts = _TAG.split(body or "")
    for index, part in enumerate(parts):
        if not part:
            continue
        if index % 2 == 1:
            parts[index] = _TEXT_ATTRIBUTE.sub(mask_attribute, part)
            continue
        text = html.unescape(part)
        masked = masker(text)
        if masked != text:  # text without findings keeps its entities as written
            parts[index] = html.escape(masked, quote=False)
    return "".join(parts)
