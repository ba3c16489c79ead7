"""Uploaded images load in a browser under production settings, with gunicorn alone."""

from tests.reliability.test_production_workers import demo_article_slug


def test_a_browser_sees_every_image_of_the_explainer(browser, production_server, tmp_path):
    """Chromium, production settings, gunicorn alone: no broken image, no failed request."""
    slug = demo_article_slug(production_server["env"], "kmd", with_hero=True)
    port = production_server["base"].rsplit(":", 1)[1]
    for width in (360, 1280):
        page = browser.new_page(viewport={"width": width, "height": 900})
        failed = []
        page.on("requestfailed", lambda request, failed=failed: failed.append(request.url))
        page.on(
            "response",
            lambda response, failed=failed: response.status >= 400 and failed.append(response.url),
        )
        page.goto(f"http://kmd.localhost:{port}/articles/{slug}/")
        page.wait_for_load_state("networkidle")
        hero = page.locator("main img").first
        hero.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=hero.element_handle()
        )
        source = hero.evaluate("img => img.currentSrc")
        assert "/media/" in source
        page.screenshot(path=str(tmp_path / f"explainer-{width}.png"), full_page=False)
        assert failed == []
        page.close()
