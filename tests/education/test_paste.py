"""What a writer pastes keeps its structure and loses its mess."""

import pytest

from education.paste import autop, html_to_markdown, paste_clean, shortcodes_expand
from practice.core.markdown import markdown_render


def test_bullet_lines_from_a_word_processor_become_a_list() -> None:
    pasted = "Try these:\r\n\u2022\tBridges\r\n\u2022 Clamshells\r\n\uf0b7 Side steps\r\nThen rest."
    assert paste_clean(pasted) == (
        "Try these:\n\n- Bridges\n- Clamshells\n- Side steps\n\nThen rest.\n"
    )
    html = markdown_render(paste_clean(pasted))
    assert "<li>Bridges</li>" in html
    assert "<li>Side steps</li>" in html


def test_curly_quotes_dashes_and_trademarks_survive() -> None:
    text = "\u201cStrong Bones\u2122\u201d \u2013 it\u2019s \u2018gentle\u2019\u2026"
    assert paste_clean(text) == text + "\n"


def test_stray_spacing_and_empty_paragraphs_are_cleaned() -> None:
    pasted = (
        "First   paragraph\u00a0with  spaces.   \n\u00a0\n\n\n\n"
        "\t\tIndented by the word processor.\n \n\u200bSecond\u00ad line."
    )
    assert paste_clean(pasted) == (
        "First paragraph with spaces.\n\nIndented by the word processor.\n\nSecond line.\n"
    )
    assert "<pre>" not in markdown_render(paste_clean(pasted))


def test_numbered_lines_and_nested_lists_keep_their_shape() -> None:
    pasted = "Steps:\n1) Lie down\n2) Lift\n- Outer\n  - Inner\n"
    cleaned = paste_clean(pasted)
    assert "1. Lie down\n2. Lift" in cleaned
    html = markdown_render(cleaned)
    assert "<ol>" in html
    assert html.count("<ul>") == 2


def test_markdown_and_code_pass_through() -> None:
    written = "## Heading\n\n**Bold** and [a link](/articles/)\n\n```\n  keep   this\n```\n"
    assert paste_clean(written) == written


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<iframe src="https://evil.example"></iframe>',
        '<p style="position:fixed">cover</p>',
    ],
)
def test_nothing_executable_survives_a_paste(payload: str) -> None:
    html = markdown_render(paste_clean(f"Hello\n\n{payload}\n"))
    assert "onerror" not in html
    assert "javascript:" not in html
    assert "<iframe" not in html
    assert "style=" not in html
    assert "<script" not in html


def test_wordpress_plain_text_posts_get_paragraphs_and_lists() -> None:
    stored = (
        "First paragraph\nsame paragraph.\n\n\u2022 One\n\u2022 Two\n\nhttps://example.com/video"
    )
    assert autop(stored) == (
        "<p>First paragraph<br>\nsame paragraph.</p>\n\n<ul><li>One</li><li>Two</li></ul>\n\n"
        '<p><a href="https://example.com/video">https://example.com/video</a></p>'
    )


def test_shortcodes_become_figures_and_links_or_go() -> None:
    content = (
        '[caption id="attachment_7" width="300"]<img src="/a.jpg" alt="A"> The caption[/caption]'
        '[embed]https://example.com/v[/embed][gallery ids="1,2"][contact-form-7 id="3"]'
        '[video src="https://example.com/v.mp4"][/video][et_pb_section]Kept text[/et_pb_section]'
    )
    assert shortcodes_expand(content) == (
        '<figure><img src="/a.jpg" alt="A"><figcaption>The caption</figcaption></figure>'
        '<p><a href="https://example.com/v">https://example.com/v</a></p>'
        '<p><a href="https://example.com/v.mp4">https://example.com/v.mp4</a></p>Kept text'
    )


def test_shortcode_lookalikes_in_writing_are_left_alone() -> None:
    assert shortcodes_expand("See [1] and [Note: read this]") == "See [1] and [Note: read this]"


def test_html_becomes_markdown_with_entities_decoded() -> None:
    html = (
        "<h2>Why it&#8217;s hard</h2><p>Bone &amp; muscle&nbsp;&mdash; both.</p><p>&nbsp;</p>"
        "<p><strong> </strong></p><ul><li>One</li></ul><p>Double-encoded &amp;#8217; quote</p>"
    )
    assert html_to_markdown(html) == (
        "## Why it\u2019s hard\n\nBone & muscle \u2014 both.\n\n- One\n\n"
        "Double-encoded \u2019 quote\n"
    )


def test_the_writing_form_cleans_what_was_pasted() -> None:
    from zoneinfo import ZoneInfo

    from education.forms import ArticleForm

    form = ArticleForm(
        {"title": "T", "summary": "S", "status": "draft", "body": "Do:\r\n\u2022 Bridges\r\n"},
        zone=ZoneInfo("America/New_York"),
    )
    form.is_valid()
    assert form.cleaned_data["body"] == "Do:\n\n- Bridges\n"
