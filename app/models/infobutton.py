"""The HL7 Infobutton knowledge response: an Atom 1.0 feed, modelled once. `app/representation/atom.py` writes
it as XML; its JSON form is these models, in the shape MedlinePlus Connect's JSON gives the same feed (an
element's attributes as keys, its text as `_value`), so a client written for one reads the other."""

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AtomModel(BaseModel):
    # `_value` is not a Python name: built by field name, written by alias.
    model_config = ConfigDict(frozen=True, validate_by_name=True, validate_by_alias=True)


class AtomValue(AtomModel):
    """An element with text only (`id`, `updated`, a person's `name` and `uri`)."""

    value: str = Field(alias="_value", examples=["2026-11-25T00:00:00Z"])


class AtomText(AtomModel):
    """A text construct: plain text, or HTML to be shown as HTML (a summary)."""

    value: str = Field(alias="_value", examples=["Lumbar muscle spasm"])
    type: Literal["text", "html"] = "text"


class AtomPerson(AtomModel):
    name: AtomValue
    uri: AtomValue


class AtomCategory(AtomModel):
    """One parameter of the request, echoed: `scheme` is its name, `term` its value."""

    scheme: str = Field(examples=["mainSearchCriteria.v.c"])
    term: str = Field(examples=["M62.830"])


class AtomLink(AtomModel):
    href: str = Field(examples=["https://conditions.example/conditions/lumbar-muscle-spasm"])
    rel: Literal["alternate"] = "alternate"
    type: str = Field(description="The media type at `href`.", examples=["text/html"])
    hreflang: str = Field(examples=["en"])
    title: str = Field(examples=["Lumbar muscle spasm"])


class AtomEntry(AtomModel):
    """One condition: its page for people and its API record, with a summary to show in the EHR."""

    lang: str = Field(description="The entry's language (`xml:lang`).", examples=["en"])
    title: AtomText
    link: list[AtomLink] = Field(description="The page for people (`text/html`), then the API record.")
    id: AtomValue
    updated: AtomValue
    summary: AtomText = Field(description="HTML: the summary, other names, the attribution and the notice.")
    rights: AtomText = Field(description="The source's attribution.")


class AtomFeed(AtomModel):
    base: str = Field(description="The server's public URL (`xml:base`).", examples=["https://conditions.example/"])
    lang: str = Field(description="The language the entries are in (`xml:lang`).", examples=["en"])
    title: AtomText
    subtitle: AtomText = Field(description="What the results are for, and how they were found.")
    author: AtomPerson
    updated: AtomValue
    category: list[AtomCategory] = Field(description="The request's parameters, echoed.")
    id: AtomValue
    entry: list[AtomEntry] = Field(description="One per matching condition; none when nothing matches.")


class KnowledgeResponse(AtomModel):
    """An HL7 Infobutton knowledge response (`knowledgeResponseType=application/json`)."""

    feed: AtomFeed


class KnowledgeParam(StrEnum):
    """The request parameters (HL7 Infobutton URL-based implementation guide) this server reads and echoes."""

    code = "mainSearchCriteria.v.c"
    code_system = "mainSearchCriteria.v.cs"
    display_name = "mainSearchCriteria.v.dn"
    recipient = "informationRecipient"
    language = "informationRecipient.languageCode.c"
    response_type = "knowledgeResponseType"
    gender = "patientPerson.administrativeGenderCode.c"
    age = "age.v.v"
    age_unit = "age.v.u"
