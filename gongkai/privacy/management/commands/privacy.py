"""The privacy shield on the command line.

gongkai privacy scan FILE            a table of the personal data found in FILE
gongkai privacy scan FILE --json     {"findings": [{"type", "start", "end", "text", ...}]}
gongkai privacy mask FILE            FILE's text with the personal data masked, on stdout

FILE is read as UTF-8 without newline translation, so start/end are character offsets into
exactly the decoded text; "-" reads standard input.
"""

import io
import json
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from gongkai.privacy import FINDING_LABELS, mask, scan


def read_text(path: str) -> str:
    """The UTF-8 text of `path` ("-": standard input), or a CommandError in Chinese."""
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except FileNotFoundError:
        raise CommandError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise CommandError(f"这是一个目录，不是文件：{path}") from None
    except PermissionError:
        raise CommandError(f"没有读取权限：{path}") from None
    except OSError as exc:
        raise CommandError(f"无法读取文件：{path}（{exc.strerror or exc}）") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CommandError(
            f"文件不是有效的 UTF-8 文本：{path}（第 {exc.start + 1} 个字节起无法解码）"
        ) from None


class Command(BaseCommand):
    help = "去标识化：找出或遮蔽文本文件中的个人信息（身份证号码、手机号码、银行卡号、姓名等）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        scan_parser = sub.add_parser("scan", help="列出文件中的个人信息。")
        scan_parser.add_argument("file", help="UTF-8 文本文件（“-”表示标准输入）")
        scan_parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        mask_parser = sub.add_parser("mask", help="输出遮蔽个人信息后的文本。")
        mask_parser.add_argument("file", help="UTF-8 文本文件（“-”表示标准输入）")

    def handle(self, *args, action, file, **options):
        text = read_text(file)
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
