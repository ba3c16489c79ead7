"""Table of contents and reading time (pure)."""

from articles.toc import reading_minutes, with_anchors


def test_headings_get_stable_ids_and_a_contents_list():
    html, headings = with_anchors("<h2>What it is</h2><p>x</p><h3>Before</h3><h4>Tip</h4>")
    assert html == (
        '<h2 id="what-it-is">What it is</h2><p>x</p>'
        '<h3 id="before">Before</h3><h4 id="tip">Tip</h4>'
    )
    assert [(h.level, h.text, h.anchor) for h in headings] == [
        (2, "What it is", "what-it-is"),
        (3, "Before", "before"),
        (4, "Tip", "tip"),
    ]


def test_repeated_headings_get_distinct_ids():
    _, headings = with_anchors("<h3>Before</h3><h3>Before</h3><h3>Before</h3>")
    assert [h.anchor for h in headings] == ["before", "before-2", "before-3"]


def test_markup_and_entities_inside_headings():
    html, headings = with_anchors("<h2>Risks &amp; <em>side</em> effects</h2>")
    assert headings[0].text == "Risks & side effects"
    assert headings[0].anchor == "risks-side-effects"
    assert "<em>side</em>" in html


def test_a_heading_without_latin_letters_still_gets_an_id():
    _, headings = with_anchors("<h2>😴</h2><h2>睡眠</h2>")
    assert [h.anchor for h in headings] == ["section", "section-2"]


def test_an_edit_elsewhere_does_not_move_the_anchors():
    _, before = with_anchors("<h2>Sleep</h2><p>a</p><h2>Risks</h2>")
    _, after = with_anchors("<h2>Sleep</h2><p>a much longer paragraph</p><h2>Risks</h2>")
    assert [h.anchor for h in before] == [h.anchor for h in after]


def test_reading_time_rounds_up_and_is_at_least_a_minute():
    assert reading_minutes("") == 1
    assert reading_minutes("<p>" + "word " * 200 + "</p>") == 1
    assert reading_minutes("<p>" + "word " * 201 + "</p>") == 2
    assert reading_minutes("<h2>a</h2>" + "<p>w</p>" * 1000) == 6
