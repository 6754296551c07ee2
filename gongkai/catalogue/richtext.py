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
    """The body as stored and shown: only the allowed tags and attributes. What Word or WPS
    put in a paste (or in a saved .htm) is cleaned first (clean_office_html); the spans left
    without attributes say nothing and go."""
    body = body or ""
    if _OFFICE_MARKS.search(body):
        body = clean_office_html(body)
    cleaned = nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "xml", "title", "head"},
        # no attribute on every tag (nh3 would keep lang and title anywhere)
        attributes={**ALLOWED_ATTRIBUTES, "*": set()},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return _BARE_SPAN.sub("", cleaned)


_BARE_SPAN = re.compile(r"</?span>")

# --- what Word and WPS copy ----------------------------------------------------------------
# Their HTML carries conditional comments (with the list markers they draw), <o:p>, <xml>,
# <style>, mso- styles and classes and fonts. Lists are paragraphs styled "mso-list:…" whose
# marker (1. 一、 ·) sits in a <![if !supportLists]> block: they become real lists here.

_OFFICE_MARKS = re.compile(r"mso-|<o:p|urn:schemas-microsoft-com|<!\[if", re.IGNORECASE)
_CONDITIONAL_COMMENT = re.compile(r"<!--\[if.*?<!\[endif\]-->", re.IGNORECASE | re.DOTALL)
_LIST_MARKER = re.compile(r"<!\[if !supportLists\]>(.*?)<!\[endif\]>", re.IGNORECASE | re.DOTALL)
_DOWNLEVEL = re.compile(r"<!\[(?:if[^\]]*|endif)\]>", re.IGNORECASE)
# Word's paragraph mark: empty, or a no-break space that only keeps an empty line open
_OFFICE_P = re.compile(r"<o:p>(?:\s|&nbsp;|\u00a0)*</o:p>|</?o:p\s*>", re.IGNORECASE)
_LIST_PARAGRAPH = re.compile(r"<p\b[^>]*mso-list:[^>]*>.*?</p>\s*", re.IGNORECASE | re.DOTALL)
_LIST_PARAGRAPH_OPEN = re.compile(r"^<p\b[^>]*>", re.IGNORECASE)
_LIST_PARAGRAPH_CLOSE = re.compile(r"</p>\s*$", re.IGNORECASE)
_ORDERED_MARKER = re.compile(r"^[(（]?[0-9０-９一二三四五六七八九十百a-zA-Z]+[.．)）、]")
_EMPTY_PARAGRAPH = re.compile(r"<p\b[^>]*>(?:\s|&nbsp;|\u00a0|<br\s*/?>)*</p>", re.IGNORECASE)
_HEADING_RENAME = re.compile(r"<(/?)h([156])\b", re.IGNORECASE)


def _office_list(run: str) -> str:
    """Consecutive mso-list paragraphs as one list, numbered when the first marker is."""
    items = []
    ordered = None
    for paragraph in _LIST_PARAGRAPH.findall(run):
        marker = _LIST_MARKER.search(paragraph)
        marker_text = html.unescape(_TAG.sub("", marker.group(1))).strip() if marker else ""
        if ordered is None:
            ordered = bool(_ORDERED_MARKER.match(marker_text))
        content = _LIST_MARKER.sub("", paragraph)
        content = _LIST_PARAGRAPH_CLOSE.sub("", _LIST_PARAGRAPH_OPEN.sub("", content.strip()))
        items.append(f"<li>{content}</li>")
    tag = "ol" if ordered else "ul"
    return f"<{tag}>{''.join(items)}</{tag}>"


def clean_office_html(body: str) -> str:
    """Word/WPS HTML reduced to plain markup the sanitiser then filters: lists made real, list
    markers, conditional comments and <o:p> removed, empty spacing paragraphs dropped, h1/h5/h6
    mapped to the headings the body allows."""
    body = _CONDITIONAL_COMMENT.sub("", body)
    body = re.sub(
        r"(?:<p\b[^>]*mso-list:[^>]*>.*?</p>\s*)+",
        lambda m: _office_list(m.group(0)),
        body,
        flags=re.IGNORECASE | re.DOTALL,
    )
    body = _LIST_MARKER.sub("", body)
    body = _DOWNLEVEL.sub("", body)
    body = _OFFICE_P.sub("", body)
    body = _EMPTY_PARAGRAPH.sub("", body)
    return _HEADING_RENAME.sub(lambda m: f"<{m.group(1)}h{'2' if m.group(2) == '1' else '4'}", body)


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
