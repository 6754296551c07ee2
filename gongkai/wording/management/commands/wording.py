"""The wording check (用语核查) on the command line.

gongkai wording check FILE           a table of the miswritten terms found in FILE
gongkai wording check FILE --json    {"findings": [{"start", "end", "found", "suggestion", ...}]}
gongkai wording terms [--json]       the terms in force: built-in and the administrator's

FILE is read as `gongkai privacy scan` reads it: a UTF-8 text file ("-": standard input), or a
Word, Excel or PDF file (through the uploads' safe reader; a scan is read by OCR). start/end are
character offsets into that text. The administrator's terms are read from the database.
Exit status 1 when anything is found, 0 otherwise.
"""

import json
import sys

from django.core.management.base import BaseCommand

from gongkai.privacy.management.commands.privacy import read_text
from gongkai.wording.check import KNOWN, find_wording
from gongkai.wording.selectors import platform_terms

CONTEXT = 10


class Command(BaseCommand):
    help = "用语核查：找出文本、Word、Excel、PDF 文件中写错的机构名称、法律法规名称和重要提法。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="列出文件中疑似写错的术语及正确写法。")
        check.add_argument("file", help="文本、Word、Excel 或 PDF 文件；“-”读取标准输入")
        check.add_argument("--json", action="store_true", help="以 JSON 输出")
        terms = sub.add_parser("terms", help="列出生效的术语（内置和平台管理员添加的）。")
        terms.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, action, **options):
        termset = platform_terms()
        if action == "terms":
            rows = [
                {
                    "correct": t.correct,
                    "wrong": list(t.wrong),
                    "category": t.category,
                    "basis": t.basis,
                    "source": t.source,
                    "near": t.near_enabled,
                }
                for t in termset.terms
            ]
            if options["json"]:
                self.stdout.write(json.dumps({"terms": rows}, ensure_ascii=False, indent=2))
            else:
                for row in rows:
                    wrong = "、".join(row["wrong"]) or "—"
                    self.stdout.write(f"{row['correct']}\t{wrong}\t{row['source']}")
            return
        text = read_text(options["file"], documents=True)
        findings = find_wording(text, terms=termset)
        if options["json"]:
            payload = {"findings": [f.as_dict() for f in findings]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        elif not findings:
            self.stdout.write("未发现疑似写错的术语。")
        else:
            for f in findings:
                before = text[max(0, f.start - CONTEXT) : f.start].replace("\n", " ")
                after = text[f.end : f.end + CONTEXT].replace("\n", " ")
                kind = "已列错误写法" if f.kind == KNOWN else "与术语相差一字"
                self.stdout.write(
                    f"{f.start}-{f.end}\t{f.found} → {f.suggestion}\t{kind}\t…{before}【{f.found}】{after}…"
                )
        if findings:
            sys.exit(1)
