"""Driving the browser: signing in, and the accessibility violations axe finds on a page."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

from tests.plugins.database import PASSWORD


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda u: "/login" not in u)
