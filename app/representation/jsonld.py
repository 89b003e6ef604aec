"""A condition as schema.org JSON-LD: the `MedicalWebPage` about a `MedicalCondition`, and its FAQs as a `FAQPage`.

Built from the public read model, so JSON, JSON-LD and the widget can never disagree. Tests check the output
with real consumers (extruct, pyld and the schema.org vocabulary), not with this module.
"""

from typing import Any

from app.core.locales import DEFAULT_LANGUAGE, message
from app.models.base import TreatmentKind
from app.models.code_systems import CodeSystem, MappingMatch
from app.models.public import ConditionDetail, SymptomRef, TreatmentItem
from app.representation.presenters import in_language

JSONLD_MEDIA_TYPE = "application/ld+json"
JSONLD_SCHEMA = {
    "type": "object",
    "description": "schema.org JSON-LD: `@graph` holds a `MedicalWebPage` (its `about` is the `MedicalCondition`) "
    "and, when the condition has FAQs, a `FAQPage`.",
    "required": ["@context", "@graph"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@graph": {"type": "array", "items": {"type": "object"}},
    },
}

# schema.org's `possibleTreatment` expects a MedicalTherapy, Drug or LifestyleModification.
TREATMENT_TYPES: dict[TreatmentKind, str] = {
    TreatmentKind.medication: "Drug",
    TreatmentKind.self_care: "LifestyleModification",
    TreatmentKind.therapy: "MedicalTherapy",
    TreatmentKind.procedure: "MedicalTherapy",
    TreatmentKind.device: "MedicalTherapy",
}


def embed_url(base_url: str, slug: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The card's address in a language: each language's page is a page of its own (its own `@id`), the
    default language's without a `lang` so its address stays what it always was."""
    return in_language(f"{base_url}/embed/conditions/{slug}", language)


def _treatments(items: list[TreatmentItem]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for item in items:
        for term in item.terms:
            seen.setdefault(term.slug, {"@type": TREATMENT_TYPES[term.kind], "name": term.name})
    return list(seen.values())


def _medical_code(system: str, code: str, name: str | None, iri: str | None) -> dict[str, Any]:
    medical_code = {"@type": "MedicalCode", "codeValue": code, "codingSystem": system}
    if name is not None:
        medical_code["name"] = name
    if iri is not None:
        medical_code["sameAs"] = iri
    return medical_code


def _symptoms(terms: list[SymptomRef]) -> list[dict[str, Any]]:
    """Each symptom once; one with an HPO term says so, as a code and as the term's IRI."""
    seen: dict[str, dict[str, Any]] = {}
    for term in terms:
        if term.slug in seen:
            continue
        symptom: dict[str, Any] = {"@type": "MedicalSignOrSymptom", "name": term.name}
        if term.hpo is not None:
            iri = CodeSystem.HPO.spec.iri(term.hpo)
            symptom["code"] = _medical_code(CodeSystem.HPO.label, term.hpo, None, iri)
            if term.hpo_exact:
                symptom["sameAs"] = iri
        seen[term.slug] = symptom
    return list(seen.values())


def _unique_names(names: list[str], schema_type: str) -> list[dict[str, Any]]:
    return [{"@type": schema_type, "name": name} for name in dict.fromkeys(names)]


def condition_jsonld(detail: ConditionDetail, *, base_url: str) -> dict[str, Any]:
    """The JSON-LD document for one condition; `base_url` makes every URL absolute (it is a setting).

    In the record's language (`inLanguage`; the names, descriptions and FAQs are the record's, already in it).
    The condition's `@id` is the same in every language: one condition, named in each."""
    language = detail.language
    page_url = embed_url(base_url, detail.slug, language)
    condition_id = f"{base_url}{detail.href}"
    condition: dict[str, Any] = {
        "@type": "MedicalCondition",
        "@id": condition_id,
        "url": condition_id,
        "name": detail.name,
        "description": detail.summary,
        "relevantSpecialty": {"@type": "MedicalSpecialty", "name": detail.specialty},
    }
    if detail.aliases:
        condition["alternateName"] = detail.aliases
    symptoms = _symptoms([term for item in detail.symptoms.items for term in item.terms])
    if symptoms:
        condition["signOrSymptom"] = symptoms
    treatments = _treatments(detail.treatments.items + detail.self_care.items)
    if treatments:
        condition["possibleTreatment"] = treatments
    causes = [term.name for item in detail.causes.items for term in item.terms]
    if causes:
        condition["cause"] = _unique_names(causes, "MedicalCause")
    if detail.codes:
        condition["code"] = [_medical_code(code.system, code.code, code.display, code.url) for code in detail.codes]
        # `sameAs` asserts identity: only an exact mapping may (two strains `sameAs` MONDO's "injury" would be
        # one thing to a linked-data reader). The codes list every mapping, with its term's IRI.
        same_as = [code.url for code in detail.codes if code.url and code.match is MappingMatch.exact]
        if same_as:
            condition["sameAs"] = same_as
    if detail.duration is not None:
        condition["expectedPrognosis"] = detail.duration.with_days(language)

    # A draft has no clinician's review to date: it says `creativeWorkStatus: draft` and when it changed.
    reviewed = detail.review.clinician_reviewed_on()
    review_dates = {"lastReviewed": reviewed.isoformat()} if reviewed is not None else {}
    source: dict[str, Any] = {"@type": "CreativeWork", "name": detail.source.title}
    if detail.source.url:
        source["url"] = detail.source.url
    page: dict[str, Any] = {
        "@type": "MedicalWebPage",
        "@id": f"{page_url}#page",
        "url": page_url,
        "name": detail.name,
        "description": detail.summary,
        "inLanguage": language,
        "about": condition,
        **review_dates,
        "dateModified": detail.updated_at.isoformat(),
        "creativeWorkStatus": detail.review.status.value,
        "citation": source,
        "creditText": detail.source.attribution,
    }
    if detail.translation is not None:
        # A translation says what it translates and who or what translated it: a machine translation says so.
        original = embed_url(base_url, detail.slug, detail.translation.original_language)
        page["translationOfWork"] = {"@id": f"{original}#page"}
        credit = message(language, "card_translation").format(by=detail.translation.by)
        page["creditText"] = f"{detail.source.attribution} {credit}"
    graph = [page]
    if detail.faqs:
        graph.append(
            {
                "@type": "FAQPage",
                "@id": f"{page_url}#faq",
                "url": page_url,
                "name": message(language, "card_faq_page_name").format(name=detail.name),
                "inLanguage": language,
                "about": {"@id": condition_id},
                **review_dates,
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": faq.question,
                        "acceptedAnswer": {"@type": "Answer", "text": faq.answer},
                    }
                    for faq in detail.faqs
                ],
            }
        )
    return {"@context": "https://schema.org", "@graph": graph}
