"""Knowledge requests as EHRs send them to MedlinePlus Connect, and what a feed reader makes of our answers."""

from typing import Any
from urllib.parse import urlencode

import feedparser
import httpx

ICD10_OID = "2.16.840.1.113883.6.90"
SNOMED_OID = "2.16.840.1.113883.6.96"
# The form of MedlinePlus Connect's documented requests (its base URL, then the code system, the code, the display
# name and the language); only the host is ours.
MEDLINEPLUS_CONNECT = "https://connect.medlineplus.gov/service"


def medlineplus_request(oid: str, code: str, display_name: str = "", language: str = "en") -> str:
    query = urlencode(
        {
            "mainSearchCriteria.v.cs": oid,
            "mainSearchCriteria.v.c": code,
            "mainSearchCriteria.v.dn": display_name,
            "informationRecipient.languageCode.c": language,
        }
    )
    return f"{MEDLINEPLUS_CONNECT}?{query}"


def on_our_host(url: str, base: str = "") -> str:
    """The same request, sent to our server instead."""
    return url.replace(MEDLINEPLUS_CONNECT, f"{base}/infobutton")


def read_feed(response: httpx.Response) -> Any:
    """The feed as feedparser (what feed readers use) reads it; it must be well formed Atom 1.0."""
    assert response.status_code == 200, response.text
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def people_page(entry: Any) -> str:
    return str(next(link.href for link in entry.links if link.type == "text/html"))


def api_record(entry: Any) -> str:
    return str(next(link.href for link in entry.links if link.type == "application/json"))


def echoed(feed: Any) -> dict[str, str]:
    return {tag.scheme: tag.term for tag in feed.feed.tags}
