"""The privacy shield on the command line.

gongkai privacy scan FILE            a table of the personal data found in FILE
gongkai privacy scan FILE --json     {"findings": [{"type", "start", "end", "text", ...}]}
gongkai privacy mask FILE            FILE's text with the personal data masked, on stdout
gongkai privacy mask FILE -o OUT     the same written to OUT; for a Word, Excel or PDF file with
                                     a text layer, a de-identified copy of the file written to OUT
                                     (gongkai.privacy.documents) and a table of what was masked

What `scan` reads: a UTF-8 text file, read without newline translation, so start/end are
character offsets into exactly the decoded text ("-" reads standard input); Word (.docx), Excel
(.xlsx) and PDF files, recognised by their content, through the code the uploads use
(gongkai.catalogue.files.inspect_upload: the safe reader's limits, then the text the shield
scans); and scans read by OCR (gongkai.core.ocr, tesseract): PNG, JPEG and TIFF images (every
page of a multi-page TIFF) and the scanned pages of a PDF, however many text pages it also has.
start/end are then offsets into that text. A scan read with low confidence is reported on
stderr: its text may be incomplete.

What `mask` writes: a text file's masked text (stdout, or -o OUT); for a Word, Excel or PDF file
with a text layer, a copy with the personal data removed inside the file, only to -o OUT (the
original is never overwritten). A scan or an image cannot be masked: its text is not in the file.
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
    b"II*\0",
    b"MM\0*",
    b"II+\0",  # BigTIFF
    b"MM\0+",
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
    """The text of a Word, Excel or PDF file read as an upload is, of an image (PNG, JPEG,
    TIFF) or a PDF's scanned pages read by OCR; None for any other file."""
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
                f"无法检查这种文件：{path}（只读取 .docx、.xlsx、.pdf 和 PNG、JPEG、TIFF 图片；"
                "旧版 .doc/.xls 请另存为 .docx/.xlsx）"
            )
        # the extension is the content's, so that a file of any name is read as uploaded
        upload_name = f"{name}{file_type.extensions[0]}"
        inspected = files.inspect_upload(
            upload_name, data, max_bytes=settings.GONGKAI_ATTACHMENT_MAX_BYTES
        )
    except files.AttachmentError as exc:
        raise CommandError(str(exc)) from None
    from gongkai.core import ocr

    text = inspected.text
    if ocr.needs_ocr(inspected.file_type.kind, data):
        # A scan (an image, a PDF of page images) is read by OCR here and now, a line of
        # progress on stderr; the uploads read it in the background instead.
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        console = Console(stderr=True, highlight=False)
        try:
            with Progress(
                TextColumn(f"正在识别扫描件 {name}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("页"),
                console=console,
                transient=True,
            ) as bar:
                pages = bar.add_task("ocr", total=None)
                result = ocr.recognise(
                    data,
                    inspected.file_type.kind,
                    name=name,
                    progress=lambda done, total: bar.update(pages, completed=done, total=total),
                )
        except (ocr.OcrError, files.AttachmentError) as exc:
            raise CommandError(f"{exc}（{path}）") from None
        if not result.reliable:
            console.print(
                f"警告：{path} 的文字识别置信度为 {result.confidence:.0f}%，低于 "
                f"{ocr.min_confidence():.0f}%；识别结果可能不完整，须人工核对原件。"
            )
        # the pages in order: scanned pages as OCR read them, text pages as extracted
        text = result.text
    elif inspected.file_type in files.IMAGES:
        raise CommandError(f"图片太小，无法经 OCR 识别出文字：{path}")
    if not text.strip():
        raise CommandError(f"文件中没有可检查的文字：{path}")
    return text


def read_bytes(path: str) -> bytes:
    """The bytes of `path` ("-": standard input), or a CommandError in Chinese."""
    try:
        return _read_bytes(path)
    except FileNotFoundError:
        raise CommandError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise CommandError(f"这是一个目录，不是文件：{path}") from None
    except PermissionError:
        raise CommandError(f"没有读取权限：{path}") from None
    except OSError as exc:
        raise CommandError(f"无法读取文件：{path}（{exc.strerror or exc}）") from None


def decode_text(path: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"文件不是有效的 UTF-8 文本：{path}（第 {exc.start + 1} 个字节起无法解码）"
        ) from None


def read_text(path: str, *, documents: bool = False) -> str:
    """The UTF-8 text of `path` ("-": standard input), or a CommandError in Chinese; with
    `documents`, the text of a Word, Excel or PDF file too."""
    data = read_bytes(path)
    if documents:
        text = read_document(path, data)
        if text is not None:
            return text
    elif data.startswith(_DOCUMENT_MAGIC):
        raise CommandError(
            f"这是 Word、Excel、PDF 或图片文件，不是文本文件：{path}"
            "（privacy mask 只处理文本；privacy scan 可以检查文档）"
        )
    return decode_text(path, data)


def mask_document(path: str, data: bytes):
    """A de-identified copy of a Word, Excel or PDF file (a MaskedFile), read as an upload is:
    its type by content, the upload size and the safe reader's limits."""
    from gongkai.catalogue import files
    from gongkai.privacy import documents

    name = "标准输入" if path == "-" else Path(path).name
    try:
        file_type = files.sniff(data, name=name)
        if file_type is None:
            raise CommandError(f"文件已损坏，无法读取：{path}")
        if file_type in files.IMAGES:
            raise CommandError(
                f"无法在图片中遮蔽个人信息：{path}（图片须经 OCR 识别后在原始文件中处理）"
            )
        if file_type not in (files.DOCX, files.XLSX, files.PDF):
            raise CommandError(
                f"无法在这种文件中遮蔽个人信息：{path}（只处理 .docx、.xlsx、.pdf；"
                "旧版 .doc/.xls 请另存为 .docx/.xlsx）"
            )
        files.check_upload(
            f"{name}{file_type.extensions[0]}",
            data,
            max_bytes=settings.GONGKAI_ATTACHMENT_MAX_BYTES,
        )
        masked = documents.mask_file(data, file_type.kind, name=name)
        # what the shield would still find in the copy (a formula's cached result, text the
        # masking could not reach): said, never hidden
        left = documents.default_finder(files.extract_text(file_type, masked.data, name=name))
    except (files.AttachmentError, documents.MaskingError) as exc:
        raise CommandError(str(exc)) from None
    return masked, left


class Command(BaseCommand):
    # reads a file and writes to the terminal: the URL and model checks are not its business
    # (they import the whole API, seconds before the first byte is read)
    requires_system_checks = []
    help = (
        "去标识化：找出或遮蔽文本、Word、Excel、PDF 文件和扫描件中的个人信息"
        "（身份证号码、手机号码、银行卡号、姓名等）。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        scan_parser = sub.add_parser(
            "scan",
            help="列出文件中的个人信息：读取文本、Word、Excel、PDF，"
            "图片和扫描件经 OCR 识别文字后检查。",
        )
        scan_parser.add_argument(
            "file",
            help="UTF-8 文本文件，Word（.docx）、Excel（.xlsx）、PDF 文件，"
            "或 PNG、JPEG、TIFF 图片（“-”表示标准输入）；图片和 PDF 中的扫描页经 OCR 识别",
        )
        scan_parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        mask_parser = sub.add_parser(
            "mask",
            help="输出遮蔽个人信息后的文本，或用 -o 写出去标识化的 Word、Excel、"
            "有文字层的 PDF 文件副本（原件不变）。",
        )
        mask_parser.add_argument(
            "file",
            help="UTF-8 文本文件，或 Word（.docx）、Excel（.xlsx）、有文字层的 PDF 文件"
            "（“-”表示标准输入）；图片和扫描件无法遮蔽",
        )
        mask_parser.add_argument(
            "-o",
            "--output",
            help="输出文件：文档去标识化后的副本写入此文件（文档必须指定，不能是输入文件本身）；"
            "文本不指定时输出到标准输出",
        )

    def handle(self, *args, action, file, **options):
        if action == "mask":
            self.handle_mask(file, options.get("output"))
            return
        text = read_text(file, documents=True)
        findings = scan(text)
        if options.get("json"):
            payload = {"findings": [f.as_dict() for f in findings]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(self.render_table(findings), ending="")

    def handle_mask(self, file: str, output: str | None) -> None:
        data = read_bytes(file)
        if not data.startswith(_DOCUMENT_MAGIC):
            masked_text = mask(decode_text(file, data))
            if output is None:
                self.stdout.write(masked_text, ending="")
            else:
                self.write_output(file, output, masked_text.encode("utf-8"))
            return
        if output is None:
            raise CommandError(
                f"这是 Word、Excel、PDF 或图片文件：{file}。遮蔽后的文件须写入另一个文件，"
                "请用 -o 指定输出文件，例如：gongkai privacy mask 名单.xlsx -o 名单-遮蔽.xlsx"
            )
        masked, left = mask_document(file, data)
        self.write_output(file, output, masked.data)
        self.stdout.write(self.render_masked(masked.counts, output, left), ending="")

    def write_output(self, file: str, output: str, data: bytes) -> None:
        target = Path(output)
        if file != "-" and target.exists() and target.resolve() == Path(file).resolve():
            raise CommandError(f"输出文件不能是输入文件本身：{output}（原件须保留）")
        try:
            target.write_bytes(data)
        except IsADirectoryError:
            raise CommandError(f"这是一个目录，不是文件：{output}") from None
        except OSError as exc:
            raise CommandError(f"无法写入文件：{output}（{exc.strerror or exc}）") from None

    def render_masked(self, counts: dict[str, int], output: str, left) -> str:
        from rich.console import Console
        from rich.table import Table

        buffer = io.StringIO()
        console = Console(file=buffer, width=120, color_system=None, highlight=False)
        if counts:
            table = Table(title="已遮蔽的个人信息")
            table.add_column("类型")
            table.add_column("处数", justify="right")
            for kind, n in sorted(counts.items(), key=lambda item: -item[1]):
                table.add_row(FINDING_LABELS.get(kind, kind), str(n))
            console.print(table)
            total = sum(counts.values())
            console.print(f"共遮蔽 {total} 处个人信息，已写入：{output}", markup=False)
        else:
            console.print(f"未发现个人信息，文件未改动，已写入副本：{output}", markup=False)
        if left:
            kinds = Counter(FINDING_LABELS.get(f.type, f.type) for f in left)
            summary = "，".join(f"{k} {n} 处" for k, n in kinds.items())
            console.print(
                f"注意：遮蔽后的文件中仍发现 {len(left)} 处疑似个人信息（{summary}），请人工核对。",
                markup=False,
            )
        return buffer.getvalue()

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
