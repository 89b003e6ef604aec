"""A malformed knowledge request is a 400 problem that names the parameter and says what would be accepted."""

import httpx
import pytest

from tests.api.test_errors import assert_problem
from tests.infobutton.requests import ICD10_OID

pytestmark = pytest.mark.anyio
CODE = {"mainSearchCriteria.v.c": "M62.830"}
SERVED = "ICD-10-CM (2.16.840.1.113883.6.90), SNOMED CT (2.16.840.1.113883.6.96)"


@pytest.mark.parametrize(
    ("params", "named", "in_detail"),
    [
        ({"mainSearchCriteria.v.cs": ICD10_OID}, "mainSearchCriteria.v.c", "field required"),
        (CODE, "mainSearchCriteria.v.cs", "field required"),
        (
            {**CODE, "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.103"},
            "mainSearchCriteria.v.cs",
            f"ICD-9-CM (diagnoses) (2.16.840.1.113883.6.103) is not served here; this server answers for {SERVED}",
        ),
        (
            {**CODE, "mainSearchCriteria.v.cs": "2.16.840.1.113883.6.88"},
            "mainSearchCriteria.v.cs",
            f"RxNorm (2.16.840.1.113883.6.88) is not served here; this server answers for {SERVED}",
        ),
        (
            {**CODE, "mainSearchCriteria.v.cs": "1.2.3.4"},
            "mainSearchCriteria.v.cs",
            f"'1.2.3.4' is not a code system OID served here; this server answers for {SERVED}",
        ),
        (
            {**CODE, "mainSearchCriteria.v.cs": ICD10_OID, "knowledgeResponseType": "application/javascript"},
            "knowledgeResponseType",
            "'text/xml', 'application/atom+xml' or 'application/json'",
        ),
        (
            {**CODE, "mainSearchCriteria.v.cs": ICD10_OID, "informationRecipient": "PAYOR"},
            "informationRecipient",
            "'PAT' or 'PROV'",
        ),
        (
            {**CODE, "mainSearchCriteria.v.cs": ICD10_OID, "mainSearchCriteria.v.dn": "x" * 201},
            "mainSearchCriteria.v.dn",
            "at most 200 characters",
        ),
        # Echoed into the feed, where XML 1.0 cannot carry them: the feed would not be well formed.
        (
            {**CODE, "mainSearchCriteria.v.cs": ICD10_OID, "mainSearchCriteria.v.dn": "sci\x01atica"},
            "mainSearchCriteria.v.dn",
            "holds a control character",
        ),
        (
            {"mainSearchCriteria.v.c": "M62.830\x00", "mainSearchCriteria.v.cs": ICD10_OID},
            "mainSearchCriteria.v.c",
            "holds a control character",
        ),
        (
            {**CODE, "mainSearchCriteria.v.cs": ICD10_OID, "informationRecipient.languageCode.c": "e\ufffes"},
            "informationRecipient.languageCode.c",
            "U+FFFE",
        ),
    ],
)
async def test_a_malformed_request_is_a_400_naming_the_parameter(
    client: httpx.AsyncClient, params: dict[str, str], named: str, in_detail: str
) -> None:
    body = assert_problem(await client.get("/infobutton", params=params), 400)
    assert body["type"] == "/problems/invalid-knowledge-request"
    assert [error["name"] for error in body["errors"]] == [named]
    assert in_detail in body["detail"], body["detail"]
    kind = (await client.get(body["type"])).json()
    assert kind["status"] == 400
