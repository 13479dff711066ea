"""Reading the HTML of a page: elements, inline scripts and forms."""

from __future__ import annotations

from html.parser import HTMLParser


class Page(HTMLParser):
    """Elements, inline scripts and the forms of a page."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts = 0
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._detached: list[dict] = []
        self.feed(text)
        forms = {f.get("id"): f for f in self.forms}
        for attributes in self._detached:
            forms[attributes["form"]]["inputs"][attributes["name"]] = attributes.get("value")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        if tag == "form":
            self._form = {**attributes, "inputs": {}}
            self.forms.append(self._form)
        if tag in ("input", "select", "textarea") and attributes.get("name"):
            if attributes.get("form"):
                # Associated by id with a form that may come later in the document.
                self._detached.append(attributes)
            elif self._form is not None:
                self._form["inputs"][attributes["name"]] = attributes.get("value")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())
        ]
