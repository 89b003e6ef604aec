"""`/v1/languages`: the languages the API answers in, with how many entries each has."""

from fastapi import APIRouter
from sqlalchemy import func
from sqlmodel import Session, select

from app.api.deps import DatabaseDep
from app.core.locales import DEFAULT_LANGUAGE, locales
from app.models import Cause, Condition, Symptom, Treatment
from app.models.base import EntryType
from app.models.public import EntryCounts, LanguageInfo, LanguageList
from app.queries import translations

router = APIRouter(prefix="/languages", tags=["languages"])
_TABLES = {
    EntryType.condition: Condition,
    EntryType.symptom: Symptom,
    EntryType.cause: Cause,
    EntryType.treatment: Treatment,
}


def language_list(session: Session) -> LanguageList:
    originals = {kind: session.exec(select(func.count()).select_from(table)).one() for kind, table in _TABLES.items()}
    translated = translations.counts(session)
    items = []
    for tag, locale in locales().items():
        counts = {
            kind.plural: originals[kind] if tag == DEFAULT_LANGUAGE else translated.get((tag, kind.value), 0)
            for kind in _TABLES
        }
        items.append(
            LanguageInfo(tag=tag, name=locale.name, default=tag == DEFAULT_LANGUAGE, entries=EntryCounts(**counts))
        )
    return LanguageList(items=items)


@router.get("", response_model=LanguageList)
async def list_languages(db: DatabaseDep) -> LanguageList:
    """List the languages the API answers in (`lang=` or `Accept-Language`), with how many entries of each kind
    are in each; an entry without a translation is given in English, saying so."""
    return await db.run(language_list)
