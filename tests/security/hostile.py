"""One shared list of hostile inputs, and checks that rendered output stays inert.

Output is checked by parsing it (HTML with BeautifulSoup, XML with ElementTree, JSON
with json), not by string search alone.
"""

import json
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

PAYLOADS = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    '"><svg/onload=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    '<svg><script xlink:href="data:text/javascript,alert(1)"></script></svg>',
    '<div style="background:url(javascript:alert(1));width:expression(alert(1))">x</div>',
    "<iframe src=//evil.example></iframe>",
    "'; DROP TABLE clinic_brand; --",
    "1' OR '1'='1",
    "bell\x07 escape\x1b[31m",
    "\u202egnp.exe",
    "раураl.com",  # Cyrillic look-alikes
    "ｓｃｒｉｐｔ",  # full-width letters
    "{{ 7|add:42 }} {% now 'Y' %}",  # template syntax must stay text
    '=HYPERLINK("http://evil.example")',
    "Ünïcödé ✓ 😴 مرحبا 你好",
]
# Only forms can carry these: databases refuse NUL, and fields have length limits.
FORM_ONLY = ["null\x00byte", "A" * 5000]

SAFE_SCHEMES = {"", "http", "https", "mailto", "tel"}


def assert_inert_html(html: str, *, admin: bool = False) -> BeautifulSoup:
    """Fail if the page could run anything a payload put there.

    Scripts may only come from this host; inline <script> elements may only be data
    (JSON-LD on public pages; the admin also has JSON data blocks and the editor's
    import map, which the CSP allows by hash).
    """
    soup = BeautifulSoup(html, "html.parser")
    data_types = {"application/ld+json"} | ({"application/json", "importmap"} if admin else set())
    for script in soup.find_all("script"):
        if script.get("src"):
            assert script["src"].startswith("/") and not script["src"].startswith("//"), script
        else:
            assert script.get("type") in data_types, script
            if script.get("type") != "importmap":
                json.loads(script.string)  # and it must stay valid JSON
    forbidden = ["iframe", "object", "embed", "base", "form[action^=http]"]
    if not admin:
        forbidden.append("svg")  # the admin draws its own icons as inline SVG
    for tag in forbidden:
        assert not soup.select(tag), tag
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            assert not attribute.lower().startswith("on"), (element.name, attribute)
            if attribute in ("href", "src", "action", "formaction"):
                text = value if isinstance(value, str) else " ".join(value)
                scheme = urlsplit(text.strip()).scheme.lower()
                assert scheme in SAFE_SCHEMES, (element.name, text)
        if element.name == "img":
            assert element["src"].startswith(("/media/", "/static/")), element
    return soup
