"""An Atom 1.0 feed (RFC 4287) as XML, written by ElementTree from the one model of the feed
(`app/models/infobutton.py`), so every text and attribute is escaped by the serializer, never by hand."""

import xml.etree.ElementTree as ET

from app.models.infobutton import AtomFeed, AtomText, AtomValue

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
_XML_NAMESPACE = "http://www.w3.org/XML/1998/namespace"  # `xml:lang`, `xml:base`
_LANG = f"{{{_XML_NAMESPACE}}}lang"
ET.register_namespace("", ATOM_NAMESPACE)  # written as the default namespace: <feed xmlns="…">, not <ns0:feed>


def _tag(name: str) -> str:
    return f"{{{ATOM_NAMESPACE}}}{name}"


def _value(parent: ET.Element, name: str, value: AtomValue) -> None:
    ET.SubElement(parent, _tag(name)).text = value.value


def _text(parent: ET.Element, name: str, text: AtomText) -> None:
    ET.SubElement(parent, _tag(name), {"type": text.type}).text = text.value


def atom_xml(feed: AtomFeed) -> bytes:
    """The feed as a UTF-8 XML document, in the element order MedlinePlus Connect writes."""
    root = ET.Element(_tag("feed"), {f"{{{_XML_NAMESPACE}}}base": feed.base, _LANG: feed.lang})
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.subtitle)
    author = ET.SubElement(root, _tag("author"))
    _value(author, "name", feed.author.name)
    _value(author, "uri", feed.author.uri)
    _value(root, "updated", feed.updated)
    for category in feed.category:
        ET.SubElement(root, _tag("category"), {"scheme": category.scheme, "term": category.term})
    _value(root, "id", feed.id)
    for entry in feed.entry:
        element = ET.SubElement(root, _tag("entry"), {_LANG: entry.lang})
        _text(element, "title", entry.title)
        for link in entry.link:
            attributes = {"href": link.href, "rel": link.rel, "type": link.type, "hreflang": link.hreflang}
            ET.SubElement(element, _tag("link"), {**attributes, "title": link.title})
        _value(element, "id", entry.id)
        _value(element, "updated", entry.updated)
        _text(element, "summary", entry.summary)
        _text(element, "rights", entry.rights)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document
