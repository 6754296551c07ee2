"""The body sanitiser on what Word and WPS put on the clipboard (and in a saved .htm): whatever
the editor posts, the server keeps only the allowed markup."""

import re

import pytest

from gongkai.catalogue import richtext

# Word 2016 (Windows), copied from a 通知 with a heading, bold run, numbered list, bullets, a
# table and a spacing paragraph: the HTML Word writes on the clipboard, trimmed of its longer
# style sheet.
WORD_PASTE = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv=Content-Type content="text/html; charset=utf-8">
<meta name=ProgId content=Word.Document><meta name=Generator content="Microsoft Word 15">
<!--[if gte mso 9]><xml>
 <o:OfficeDocumentSettings><o:AllowPNG/></o:OfficeDocumentSettings>
</xml><![endif]-->
<style>
<!--
 /* Style Definitions */
 p.MsoNormal, li.MsoNormal, div.MsoNormal
	{mso-style-unhide:no;margin:0cm;text-align:justify;font-size:10.5pt;font-family:等线;}
p.MsoListParagraph {mso-style-priority:34;text-indent:21.0pt;}
@list l0 {mso-list-id:1024;mso-list-type:hybrid;}
@list l0:level1 {mso-level-text:"%1\\.";}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;word-wrap:break-word;text-justify-trim:punctuation'>
<!--StartFragment-->
<h1 style='margin:0cm;mso-pagination:widow-orphan'><span style='font-family:黑体;mso-ascii-font-family:"Times New Roman"'>关于开展汛期安全检查的通知<o:p></o:p></span></h1>
<p class=MsoNormal><span style='font-size:16.0pt;font-family:仿宋_GB2312'>各村（社区）：<o:p></o:p></span></p>
<p class=MsoNormal style='text-indent:32.0pt'><b style='mso-bidi-font-weight:normal'><span style='font-size:16.0pt;font-family:仿宋_GB2312;color:red'>检查时间</span></b><span style='font-size:16.0pt;font-family:仿宋_GB2312'>：<span lang=EN-US>2026</span>年<span lang=EN-US>6</span>月。<o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US style='mso-bidi-font-family:等线'><span style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span style='font-family:仿宋_GB2312'>山塘水库<o:p></o:p></span></p>
<p class=MsoListParagraph style='margin-left:18.0pt;text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span lang=EN-US><span style='mso-list:Ignore'>2.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp; </span></span></span><![endif]><span style='font-family:仿宋_GB2312'>地质灾害隐患点<o:p></o:p></span></p>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<p class=MsoListParagraph style='margin-left:21.0pt;text-indent:-21.0pt;mso-list:l1 level1 lfo2'><![if !supportLists]><span lang=EN-US style='font-family:Wingdings;mso-fareast-font-family:Wingdings'><span style='mso-list:Ignore'>l<span style='font:7.0pt "Times New Roman"'>&nbsp; </span></span></span><![endif]><span style='font-family:仿宋_GB2312'>带班领导到岗<o:p></o:p></span></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0;mso-yfti-firstrow:yes'>
  <td width=277 valign=top style='width:207.4pt;border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt'><p class=MsoNormal><span style='font-family:仿宋_GB2312'>村（社区）<o:p></o:p></span></p></td>
  <td width=277 valign=top style='width:207.4pt;border:solid windowtext 1.0pt'><p class=MsoNormal><span style='font-family:仿宋_GB2312'>检查点<o:p></o:p></span></p></td>
 </tr>
</table>
<p class=MsoNormal><a href="https://www.putuo.gov.cn/" target="_blank" style='color:#0563C1'><span style='font-family:仿宋_GB2312'>普陀区政府网</span></a><o:p></o:p></p>
<!--EndFragment-->
</body>
</html>"""

# WPS Office 2019 (Windows) copies its own flavour: font tags, mso- styles without lists.
WPS_PASTE = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta name="ProgId" content="Word.Document"><style>p.MsoNormal{mso-style-name:正文;font-family:Calibri;}span.10{font-family:Calibri;}</style></head>
<body><!--StartFragment--><p class=MsoNormal align=center style="text-align:center;mso-pagination:widow-orphan"><b><span style="font-family:方正小标宋简体;font-size:22.0000pt;mso-font-kerning:1.0000pt;">六横镇人民政府办公室</span></b><span style="font-family:方正小标宋简体;font-size:22.0000pt;"><o:p></o:p></span></p><p class=MsoNormal style="text-indent:32.0000pt;"><font face="仿宋_GB2312"><span style="font-size:16.0000pt;" class="10">特此通知。</span></font><span style="mso-spacerun:'yes';font-family:Calibri;font-size:10.5000pt;"><o:p>&nbsp;</o:p></span></p><script>alert(1)</script><!--EndFragment--></body></html>"""


def compact(html: str) -> str:
    """Without the line breaks and indentation Word puts between tags."""
    return re.sub(r">\s+<", "><", html).strip()


@pytest.fixture(scope="module")
def word():
    return compact(richtext.sanitize(WORD_PASTE))


def test_word_styles_classes_fonts_and_office_tags_are_gone(word):
    for gone in ("mso-", "MsoNormal", "style=", "class=", "<o:p", "font-family", "<span", "<font",
                 "<![if", "<!--", "<style", "<xml", "OfficeDocumentSettings", "Style Definitions",
                 "target=", "<meta", "<html", "<body", "Ignore"):  # fmt: skip
        assert gone not in word, gone


def test_word_text_and_structure_are_kept(word):
    # h1 is the page's own title: a pasted one becomes the body's first heading level
    assert "<h2>关于开展汛期安全检查的通知</h2>" in word
    assert "<b>检查时间</b>" in word
    assert "<p>各村（社区）：</p>" in word
    # Word's numbered paragraphs become a real list, its markers ("1." and the tabs) gone
    assert "<ol><li>山塘水库</li><li>地质灾害隐患点</li></ol>" in word
    # a Wingdings bullet list is a bulleted list
    assert "<ul><li>带班领导到岗</li></ul>" in word
    assert (
        "<table><tbody><tr><td><p>村（社区）</p></td><td><p>检查点</p></td></tr></tbody></table>"
        in word
    )
    assert '<a href="https://www.putuo.gov.cn/" rel="noopener noreferrer">普陀区政府网</a>' in word
    # the spacing paragraph (<o:p>&nbsp;</o:p>) is not kept as an empty paragraph
    assert "<p>\xa0</p>" not in word and "<p>&nbsp;</p>" not in word


def test_wps_paste():
    cleaned = richtext.sanitize(WPS_PASTE)
    assert "<b>六横镇人民政府办公室</b>" in cleaned
    assert "<p>特此通知。</p>" in cleaned
    for gone in ("<font", "<span", "mso-", "alert(1)", "<script", "class=", "方正小标宋简体"):
        assert gone not in cleaned, gone


def test_sanitising_twice_changes_nothing():
    once = richtext.sanitize(WORD_PASTE)
    assert richtext.sanitize(once) == once


def test_plain_editor_html_is_left_as_it_is():
    # what the rich editor posts (TipTap): nothing of Office in it, nothing changed but spans
    html = (
        "<h2>标题</h2><p>一段<strong>加粗</strong>和<em>斜体</em>和<u>下划线</u>。</p>"
        '<ul><li><p>一</p></li></ul><table><tbody><tr><th colspan="1" rowspan="1"><p>表头</p>'
        "</th></tr></tbody></table>"
    )
    assert richtext.sanitize(html) == html


def test_colgroup_and_style_of_editor_tables_go():
    html = '<table style="min-width: 75px"><colgroup><col style="min-width: 25px"></colgroup><tbody><tr><td><p>1</p></td></tr></tbody></table>'
    assert richtext.sanitize(html) == "<table><tbody><tr><td><p>1</p></td></tr></tbody></table>"
