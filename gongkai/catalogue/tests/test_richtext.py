"""Item bodies: sanitising on the way in, plain text for the shield, masking inside markup."""

import re

import pytest

from gongkai.catalogue import richtext

ID_NUMBER = "11010519491231002X"
ID_MASKED = "110105********002X"
MOBILE = "13912345678"
MOBILE_MASKED = "139****5678"

TAG = re.compile(r"<[^>]*>")


# --- sanitize -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ("<p>通知</p><script>alert(1)</script>", "<p>通知</p>"),
        ('<p onclick="steal()" onmouseover="x">通知</p>', "<p>通知</p>"),
        ('<img src="x" onerror="alert(1)">', ""),
        ('<a href="javascript:alert(1)">点击</a>', '<a rel="noopener noreferrer">点击</a>'),
        ('<a href="JaVaScRiPt:alert(1)">点击</a>', '<a rel="noopener noreferrer">点击</a>'),
        ('<a href="data:text/html,x">点击</a>', '<a rel="noopener noreferrer">点击</a>'),
        ("<style>p{}</style><iframe src='//evil'></iframe><p>正文</p>", "<p>正文</p>"),
        ('<p style="color:red" class="x" id="y">正文</p>', "<p>正文</p>"),
    ],
    ids=[
        "script",
        "on-attributes",
        "img-onerror",
        "javascript",
        "mixed-case",
        "data",
        "frames",
        "styles",
    ],
)
def test_sanitize_removes_active_content(dirty, clean):
    assert richtext.sanitize(dirty) == clean


def test_sanitize_keeps_document_markup():
    body = (
        "<h2>一、总体情况</h2><p><strong>加粗</strong>与<em>强调</em></p>"
        "<ul><li>第一项</li></ul>"
        '<table><thead><tr><th scope="col">序号</th></tr></thead>'
        '<tbody><tr><td colspan="2">1</td></tr></tbody></table>'
        '<p><a href="https://www.gov.cn/zhengce/" title="中国政府网">链接</a></p>'
    )
    cleaned = richtext.sanitize(body)
    for kept in ("<h2>", "<strong>", "<em>", "<ul>", "<li>", '<th scope="col">', 'colspan="2"'):
        assert kept in cleaned
    assert (
        '<a href="https://www.gov.cn/zhengce/" title="中国政府网" rel="noopener noreferrer">'
        in cleaned
    )


def test_sanitize_of_nothing_is_nothing():
    assert richtext.sanitize("") == ""
    assert richtext.sanitize(None) == ""


# --- to_text --------------------------------------------------------------------------------


def test_to_text_gives_one_line_per_block_and_unescapes():
    body = (
        "<h2>标题</h2><p>甲 &amp; 乙 &lt;丙&gt;</p><ul><li>一</li><li>二</li></ul><p>三<br>四</p>"
    )
    assert richtext.to_text(body).splitlines() == ["标题", "甲 & 乙 <丙>", "一", "二", "三", "四"]


def test_to_text_keeps_table_cells_apart():
    # Run together, an ID number and a mobile in adjacent cells read as one 29-digit number.
    body = f"<table><tr><td>1</td><td>张建国</td><td>{ID_NUMBER}</td><td>{MOBILE}</td></tr></table>"
    text = richtext.to_text(body)
    assert f"{ID_NUMBER}{MOBILE}" not in text
    assert text.split() == ["1", "张建国", ID_NUMBER, MOBILE]


def test_to_text_writes_a_table_one_row_per_line_with_tabs_between_cells():
    # Paragraphs and breaks inside a cell stay in its row; an empty first cell keeps its tab,
    # so that every cell stays under its header (the shield reads the 姓名 column).
    body = (
        "<table><tr><th>序号</th><th>姓名</th><th>身份证号</th></tr>"
        f"<tr><td>1</td><td><p>张建国</p></td><td>{ID_NUMBER}</td></tr>"
        "<tr><td></td><td>李秀英<br>（户主）</td><td></td></tr></table><p>特此公示。</p>"
    )
    rows = [line.split("\t") for line in richtext.to_text(body).splitlines()]
    assert rows[0] == ["序号", "姓名", "身份证号"]
    assert [cell.strip() for cell in rows[1]] == ["1", "张建国", ID_NUMBER]
    assert rows[2][0] == "" and rows[2][1].startswith("李秀英")
    assert rows[3] == ["特此公示。"]


# --- mask_html --------------------------------------------------------------------------------


def tags(html: str) -> list[str]:
    return TAG.findall(html)


def test_mask_html_masks_text_and_keeps_the_markup():
    body = (
        f"<p>申请人身份证号码<strong>{ID_NUMBER}</strong>，手机{MOBILE}。</p>"
        f"<table><tr><td>{ID_NUMBER}</td><td>{MOBILE}</td></tr></table>"
        '<p><a href="https://www.gov.cn/" title="链接">中国政府网</a></p>'
    )
    masked = richtext.mask_html(body)
    assert ID_NUMBER not in masked and MOBILE not in masked
    assert masked.count(ID_MASKED) == 2 and masked.count(MOBILE_MASKED) == 2
    assert tags(masked) == tags(body)
    assert TAG.sub("", masked) == TAG.sub("", body).replace(ID_NUMBER, ID_MASKED).replace(
        MOBILE, MOBILE_MASKED
    )


def test_mask_html_keeps_entities_escaped():
    body = f"<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 手机{MOBILE}</p>"
    masked = richtext.mask_html(body)
    assert masked == f"<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 手机{MOBILE_MASKED}</p>"
    assert richtext.sanitize(masked) == masked  # nothing became markup


def test_mask_html_leaves_text_without_findings_exactly_as_written():
    body = "<p>六横镇&nbsp;人民政府 &quot;最多跑一次&quot; 改革 &amp; 服务</p><p>无个人信息</p>"
    assert richtext.mask_html(body) == body


def test_mask_html_of_a_masked_body_changes_nothing():
    once = richtext.mask_html(f"<p>手机{MOBILE}，身份证{ID_NUMBER}</p>")
    assert richtext.mask_html(once) == once
