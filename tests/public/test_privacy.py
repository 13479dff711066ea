"""The data-protection notice of the contact form."""

from __future__ import annotations

import re


def test_privacy_notice_covers_what_the_law_requires(client, app):
    response = client.get("/donnees-personnelles")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for expected in (
        "centre de services de la direction des systèmes d’information",
        "mission d’intérêt public",
        "un an après la clôture de la demande",
        f"{app.config['TRACKING_LINK_DAYS']} jours",
        'href="mailto:dpd@ac-demo.fr"',
        "CNIL",
    ):
        assert expected in page, expected
    for right in ("accéder", "rectifier", "effacer", "limiter", "vous opposer"):
        assert right in page, right
    # The footer's accessibility link lands on a section of this page.
    assert 'href="/donnees-personnelles#accessibilite"' in page
    assert 'id="accessibilite"' in page
    anchors = set(re.findall(r'href="#([\w-]+)"', page))
    ids = set(re.findall(r'id="([\w-]+)"', page))
    assert anchors <= ids
