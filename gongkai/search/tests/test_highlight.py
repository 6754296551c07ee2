from gongkai.search import highlight


def test_mark_escapes_everything_and_marks_matches():
    html = highlight.mark('<script>alert("x")</script>六横镇的通知', ["通知", "六横镇"])
    assert "<script>" not in html
    assert html == (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<mark>六横镇</mark>的<mark>通知</mark>"
    )


def test_matches_are_found_in_normalised_text_and_marked_in_the_original():
    assert highlight.mark("浙里办ＡＰＰ上线", ["app"]) == "浙里办<mark>ＡＰＰ</mark>上线"


def test_overlapping_and_touching_matches_merge():
    assert highlight.mark("六横镇人民政府", ["六横镇", "镇人民"]) == "<mark>六横镇人民</mark>政府"
    assert highlight.mark("六横镇人民政府", ["六横镇", "人民"]) == "<mark>六横镇人民</mark>政府"


def test_snippet_is_a_window_around_the_first_match():
    text = "开头" * 100 + "安全生产" + "结尾" * 100
    html = highlight.snippet(text, ["安全生产"], length=40)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>安全生产</mark>" in html
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= 40 + 2


def test_snippet_is_none_without_a_match_and_head_escapes():
    assert highlight.snippet("没有匹配", ["安全"]) is None
    assert highlight.head("<b>粗体</b>" + "字" * 200, length=10) == "&lt;b&gt;粗体&lt;/b&gt;字…"
