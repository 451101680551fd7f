"""Reading rendered HTML back in tests: every element with its attributes, text and ancestors."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Page(HTMLParser):
    """The elements of a page in order, each with its attributes, text and enclosing elements."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.html = html
        self.elements: list[dict] = []
        self._open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": list(self._open)}
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data

    def all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[dict]:
        """Elements matching a tag, a class and attributes (underscores in names stand for hyphens)."""
        return [
            e
            for e in self.elements
            if (not tag or e["tag"] == tag)
            and (not cls or cls in e["attrs"].get("class", "").split())
            and all(e["attrs"].get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def one(self, tag: str | None = None, cls: str | None = None, **attrs) -> dict:
        found = self.all(tag, cls, **attrs)
        assert len(found) == 1, f"expected one {tag or ''}.{cls or ''} {attrs}, found {len(found)}"
        return found[0]

    def by_id(self, id_: str) -> dict:
        return self.one(id=id_)

    @property
    def title(self) -> str:
        head = self.one("head")
        return " ".join(next(e for e in self.all("title") if head in e["parents"])["text"].split())

    def main(self) -> dict:
        return self.one("main")


def text(element) -> str:
    return " ".join(element["text"].split())


def described_by(element) -> list[str]:
    return element["attrs"].get("aria-describedby", "").split()


def classes(element) -> list[str]:
    return element["attrs"].get("class", "").split()
