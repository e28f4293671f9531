"""The StaticTree script (assets/11-static-tree.js) in the browser: hostile nodes draw nothing
active, text stays text, links keep to this site or http(s) and open new tabs safely."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

# draws nodes with the page's own StaticTree, as Dash would, into a new element
DRAW = """(nodes) => {
    const host = document.createElement('div');
    host.id = 'static-tree-probe';
    document.body.appendChild(host);
    const tree = window['dashboard.static_tree'].StaticTree;
    const root = ReactDOM.createRoot(host);
    ReactDOM.flushSync(() => root.render(React.createElement(tree, {tag: 'ul', nodes})));
    return host.innerHTML;
}"""


def test_hostile_nodes_draw_as_inert_text(dash_page):
    page = dash_page.page
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    dash_page.open("/404")
    nodes = [
        ["li", {}, ["<img src=x onerror=alert(1)>"]],
        ["script", {}, ["alert(2)"]],
        ["img", {"src": "x", "onerror": "alert(3)"}, []],
        ["li", {"onClick": "alert(4)", "style": "color:red", "className": "ok"}, ["x"]],
        ["li", {}, [["a", {"href": "javascript:alert(5)"}, ["js"]]]],
        ["li", {}, [["a", {"href": "//evil.example/x"}, ["protocol-relative"]]]],
        ["li", {}, [["a", {"href": "https://example.org/r.pdf", "target": "top"}, ["evidence"]]]],
        ["li", {}, [["a", {"href": "/city/turin-it?lang=fr"}, ["Turin"]]]],
        {"not": "a node"},
    ]
    page.evaluate(DRAW, nodes)
    probe = page.locator("#static-tree-probe")
    assert probe.locator("li").count() == 6  # the script, the image and the non-node: nothing
    assert probe.locator("script, img, [onerror], [onclick], [style]").count() == 0
    assert probe.locator("li").first.inner_text() == "<img src=x onerror=alert(1)>"
    assert probe.locator("li.ok").inner_text() == "x"
    links = probe.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(4)] == [
        None,
        None,
        "https://example.org/r.pdf",
        "/city/turin-it?lang=fr",
    ]
    evidence = links.nth(2)
    assert evidence.get_attribute("target") == "_blank"
    assert evidence.get_attribute("rel") == "noopener noreferrer"
    links.nth(0).click()  # no href: nothing runs
    # a <details> draws its summary at once and the rest when first opened
    page.evaluate(
        DRAW, [["details", {"className": "d"}, [["summary", {}, ["About"]], ["p", {}, ["Drawn"]]]]]
    )
    details = page.locator("#static-tree-probe details.d").last
    assert details.locator("p").count() == 0 and details.inner_text() == "About"
    details.locator("summary").click()
    details.locator("p", has_text="Drawn").wait_for(timeout=10_000)
    assert details.evaluate("d => d.open")
    # an internal link moves within the app (Dash's router draws the page), without a reload
    page.evaluate("window.__notReloaded = true")
    links.nth(3).click()
    page.wait_for_selector("#city-fig-activities_hosted", timeout=60_000)
    assert page.url.endswith("/city/turin-it?lang=fr")
    assert page.evaluate("window.__notReloaded") is True
    assert dialogs == []
