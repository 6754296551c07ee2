"""Time to mask personal data inside files (gongkai.privacy.documents.mask_file), against the
time python-docx and openpyxl take merely to load the same files, measured in the same run.

    python bench/privacy_files.py [--rows 1000] [--pages 50] [--repeat 3]

Builds an XLSX 补助 roster (序号, 户主姓名, 身份证号, 手机, 金额, a formula) of `--rows` rows and
a DOCX notice of about `--pages` pages (paragraphs with names, ID numbers and phones, and a
table of the people every page), then prints for each the best of `--repeat` runs of: loading
it (python-docx Document / openpyxl load_workbook), masking it, and the ratio.
"""

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings.test")

import django  # noqa: E402

django.setup()

import docx  # noqa: E402
import openpyxl  # noqa: E402

from gongkai.privacy import documents  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红"
# 18-digit IDs with a valid region, birth date and check digit
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"


def person(rng: random.Random) -> tuple[str, str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    body = f"330902{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body += f"{rng.randint(0, 999):03d}"
    id_number = body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    mobile = f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"
    return name, id_number, mobile


def make_roster(rows: int, rng: random.Random) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "补助名单"
    sheet.append(["序号", "户主姓名", "身份证号", "手机", "金额", "合计"])
    for i in range(1, rows + 1):
        name, id_number, mobile = person(rng)
        sheet.append([i, name, id_number, int(mobile), 3000, f"=E{i + 1}*2"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def make_notice(pages: int, rng: random.Random) -> bytes:
    document = docx.Document()
    for page in range(pages):
        document.add_heading(f"第{page + 1}批临时救助对象公示", level=2)
        for _ in range(8):
            name, id_number, mobile = person(rng)
            paragraph = document.add_paragraph()
            paragraph.add_run(f"申请人：{name}，身份证号码：")
            paragraph.add_run(id_number).bold = True
            paragraph.add_run(f"，联系电话：{mobile}。经审核，符合临时救助条件，拟给予救助。")
        table = document.add_table(rows=6, cols=3)
        table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = (
            "姓名",
            "身份证号",
            "联系电话",
        )
        for row in range(1, 6):
            name, id_number, mobile = person(rng)
            table.cell(row, 0).text = name
            table.cell(row, 1).text = id_number
            table.cell(row, 2).text = mobile
        document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def best(repeat: int, action) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    cases = [
        (
            f"XLSX roster, {args.rows} rows",
            make_roster(args.rows, rng),
            "xlsx",
            lambda data: openpyxl.load_workbook(io.BytesIO(data)),
            "openpyxl.load_workbook",
        ),
        (
            f"DOCX notice, {args.pages} pages",
            make_notice(args.pages, rng),
            "docx",
            lambda data: docx.Document(io.BytesIO(data)),
            "docx.Document",
        ),
    ]
    print(f"{'file':<26} {'size':>8} {'load':>9} {'mask':>9} {'ratio':>6}  masked")
    for label, data, kind, load, loader in cases:
        load_time, _ = best(args.repeat, lambda data=data, load=load: load(data))
        mask_time, masked = best(
            args.repeat, lambda data=data, kind=kind: documents.mask_file(data, kind)
        )
        counts = ", ".join(f"{k} {n}" for k, n in sorted(masked.counts.items()))
        print(
            f"{label:<26} {len(data) / 1024:>6.0f}KB {load_time:>8.3f}s {mask_time:>8.3f}s "
            f"{mask_time / load_time:>5.1f}×  {counts}"
        )
        print(f"{'':<26} (load = {loader})")


if __name__ == "__main__":
    main()
