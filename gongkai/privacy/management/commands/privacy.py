"""The privacy shield on the command line.

gongkai privacy scan FILE            a table of the personal data found in FILE
gongkai privacy scan FILE --json     {"findings": [{"type", "start", "end", "text", ...}]}
gongkai privacy mask FILE            FILE's text with the personal data masked, on stdout

A text FILE is read as UTF-8 without newline translation, so start/end are character offsets
into exactly the decoded text; "-" reads standard input. `scan` also reads Word (.docx), Excel
(.xlsx) and PDF files, recognised by their content, through the code the uploads use
(gongkai.catalogue.files.inspect_upload: the safe reader's limits, then the text the shield
scans); start/end are then offsets into that text. An image has no text to scan until it is
read by OCR.
"""

import io
import json
import sys
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from gongkai.privacy import FINDING_LABELS, mask, scan

# The first bytes of the formats the uploads accept (gongkai.catalogue.files.sniff reads them).
_DOCUMENT_MAGIC = (
    b"%PDF-",
    b"PK\x03\x04",
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
)


def _read_bytes(path: str) -> bytes:
    """The bytes of `path` ("-": standard input); a document larger than an upload may be is
    refused before it is read."""
    if path == "-":
        return sys.stdin.buffer.read()
    file = Path(path)
    with file.open("rb") as handle:
        head = handle.read(16)
        limit = settings.GONGKAI_ATTACHMENT_MAX_BYTES
        if head.startswith(_DOCUMENT_MAGIC) and file.stat().st_size > limit:
            raise CommandError(
                f"文件过大：{path}（{file.stat().st_size / 2**20:.1f} MB，"
                f"上传的文件最大 {limit / 2**20:.0f} MB）"
            )
        return head + handle.read()


def read_document(path: str, data: bytes) -> str | None:
    """The text of a Word, Excel or PDF file read as an upload is, None for any other file."""
    from gongkai.catalogue import files

    if not data.startswith(_DOCUMENT_MAGIC):
        return None
    name = "标准输入" if path == "-" else Path(path).name
    try:
        file_type = files.sniff(data, name=name)
        if file_type is None:
            raise CommandError(f"文件已损坏，无法读取：{path}")
        if file_type in (files.OLE, files.ZIP):
            raise CommandError(
                f"无法检查这种文件：{path}（只读取 .docx、.xlsx、.pdf；"
                "旧版 .doc/.xls 请另存为 .docx/.xlsx）"
            )
        # the extension is the content's, so that a file of any name is read as uploaded
        upload_name = f"{name}{file_type.extensions[0]}"
        inspected = files.inspect_upload(
            upload_name, data, max_bytes=settings.GONGKAI_ATTACHMENT_MAX_BYTES
        )
    except files.AttachmentError as exc:
        raise CommandError(str(exc)) from None
    if inspected.file_type in (files.PNG, files.JPEG):
        raise CommandError(f"图片没有可检查的文字：{path}（图片中的文字须经 OCR 识别，尚不支持）")
    if not inspected.text.strip():
        raise CommandError(f"文件中没有可检查的文字：{path}（扫描件须经 OCR 识别，尚不支持）")
    return inspected.text


def read_text(path: str, *, documents: bool = False) -> str:
    """The UTF-8 text of `path` ("-": standard input), or a CommandError in Chinese; with
    `documents`, the text of a Word, Excel or PDF file too."""
    try:
        data = _read_bytes(path)
    except FileNotFoundError:
        raise CommandError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise CommandError(f"这是一个目录，不是文件：{path}") from None
    except PermissionError:
        raise CommandError(f"没有读取权限：{path}") from None
    except OSError as exc:
        raise CommandError(f"无法读取文件：{path}（{exc.strerror or exc}）") from None
    if documents:
        text = read_document(path, data)
        if text is not None:
            return text
    elif data.startswith(_DOCUMENT_MAGIC):
        raise CommandError(
            f"这是 Word、Excel、PDF 或图片文件，不是文本文件：{path}"
            "（privacy mask 只处理文本；privacy scan 可以检查文档）"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"文件不是有效的 UTF-8 文本：{path}（第 {exc.start + 1} 个字节起无法解码）"
        ) from None


class Command(BaseCommand):
    # reads a file and writes to the terminal: the URL and model checks are not its business
    # (they import the whole API, seconds before the first byte is read)
    requires_system_checks = []
    help = "去标识化：找出或遮蔽文本文件中的个人信息（身份证号码、手机号码、银行卡号、姓名等）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        scan_parser = sub.add_parser("scan", help="列出文件中的个人信息。")
        scan_parser.add_argument(
            "file",
            help="UTF-8 文本文件，或 Word（.docx）、Excel（.xlsx）、PDF 文件（“-”表示标准输入）",
        )
        scan_parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        mask_parser = sub.add_parser("mask", help="输出遮蔽个人信息后的文本。")
        mask_parser.add_argument("file", help="UTF-8 文本文件（“-”表示标准输入）")

    def handle(self, *args, action, file, **options):
        text = read_text(file, documents=action == "scan")
        if action == "mask":
            self.stdout.write(mask(text), ending="")
            return
        findings = scan(text)
        if options.get("json"):
            payload = {"findings": [f.as_dict() for f in findings]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self.render_table(findings), ending="")

    def render_table(self, findings) -> str:
        if not findings:
            return "未发现个人信息。\n"
        from rich.console import Console
        from rich.table import Table

        table = Table(title="个人信息检查结果")
        for column, justify in (
            ("序号", "right"),
            ("类型", "left"),
            ("位置", "right"),
            ("原文", "left"),
            ("遮蔽后", "left"),
            ("置信度", "right"),
            ("备注", "left"),
        ):
            table.add_column(column, justify=justify)
        for i, f in enumerate(findings, 1):
            table.add_row(
                str(i),
                FINDING_LABELS.get(f.type, f.type),
                f"{f.start}–{f.end}",
                f.text,
                f.masked(),
                f"{f.confidence:.2f}",
                f.note,
            )
        counts = Counter(f.type for f in findings)
        summary = "，".join(f"{FINDING_LABELS.get(t, t)} {n} 处" for t, n in counts.items())
        buffer = io.StringIO()
        console = Console(file=buffer, width=120, color_system=None, highlight=False)
        console.print(table)
        console.print(f"共发现 {len(findings)} 处个人信息：{summary}。", markup=False)
        return buffer.getvalue()
