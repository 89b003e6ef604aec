"""Relevance: queries a patient would type, each with the entry that must come first or in the top 3.

The test prints hit@1 and hit@3 (run pytest with -s, or read the captured output) and asserts floors; a
ranking change that loses these queries fails here.
"""

import sys

import httpx
import pytest

pytestmark = pytest.mark.anyio

# (query, expected "type:slug")
CASES = [
    ("back knot", "condition:lumbar-muscle-spasm"),
    ("lower back cramp", "condition:lumbar-muscle-spasm"),
    ("lumbr spasm", "condition:lumbar-muscle-spasm"),
    ("spasms", "condition:lumbar-muscle-spasm"),
    ("back spasm", "condition:lumbar-muscle-spasm"),
    ("slipped disc", "condition:herniated-disc"),
    ("herniated disk", "condition:herniated-disc"),
    ("sciatica", "condition:sciatica"),
    ("sciatic nerv", "condition:sciatica"),
    ("pain down my leg", "condition:sciatica"),
    ("stenossis", "condition:lumbar-spinal-stenosis"),
    ("narrowing of the spinal canal", "condition:lumbar-spinal-stenosis"),
    ("pulled back muscle", "condition:lumbar-strain"),
    ("back strain", "condition:lumbar-strain"),
    ("whiplash", "condition:whiplash"),
    ("neck injury car accident", "condition:whiplash"),
    ("stiff neck", "condition:cervical-muscle-strain"),
    ("crick in the neck", "condition:cervical-muscle-strain"),
    ("pinched nerve in neck", "condition:cervical-radiculopathy"),
    ("arm tingling neck", "condition:cervical-radiculopathy"),
    ("cauda equina", "condition:cauda-equina-syndrome"),
    ("saddle numbness", "condition:cauda-equina-syndrome"),
    ("loss of bladder control back pain", "condition:cauda-equina-syndrome"),
    ("piriformis", "condition:piriformis-syndrome"),
    ("buttock pain sitting", "condition:piriformis-syndrome"),
    ("si joint pain", "condition:sacroiliac-joint-dysfunction"),
    ("spondylolisthesis", "condition:spondylolisthesis"),
    ("vertebra slipped forward", "condition:spondylolisthesis"),
    ("compression fracture", "condition:osteoporotic-vertebral-compression-fracture"),
    ("osteoporosis back", "condition:osteoporotic-vertebral-compression-fracture"),
    ("facet arthritis", "condition:facet-joint-osteoarthritis"),
    ("worn discs", "condition:degenerative-disc-disease"),
    ("ddd", "condition:degenerative-disc-disease"),
    ("lumbago", "symptom:low-back-pain"),
    ("ice pack", "treatment:cold-therapy"),
    ("muscle relaxers", "treatment:muscle-relaxants"),
    # Added with the search engine change (issue 14): typos, other word forms, lay words, two-word phrases.
    ("sciatca", "condition:sciatica"),
    ("herniatd disc", "condition:herniated-disc"),
    ("whiplesh", "condition:whiplash"),
    ("spondilolisthesis", "condition:spondylolisthesis"),
    ("piriformus", "condition:piriformis-syndrome"),
    ("herniated discs", "condition:herniated-disc"),
    ("lower back spasms", "condition:lumbar-muscle-spasm"),
    ("compression fractures", "condition:osteoporotic-vertebral-compression-fracture"),
    ("stretching exercise", "treatment:stretching-exercises"),
    ("degenerated discs", "condition:degenerative-disc-disease"),
    ("trapped nerve neck", "condition:cervical-radiculopathy"),
    ("ruptured disc", "condition:herniated-disc"),
    ("collapsed vertebra", "condition:osteoporotic-vertebral-compression-fracture"),
    ("arthritis in my back", "condition:facet-joint-osteoarthritis"),
    ("anti inflammatory cream", "treatment:topical-anti-inflammatories"),
    ("spinal stenosis", "condition:lumbar-spinal-stenosis"),
    ("heat therapy", "treatment:heat-therapy"),
    ("neck sprain", "condition:whiplash"),
    ("sacroiliac pain", "condition:sacroiliac-joint-dysfunction"),
    ("spinal fusion", "treatment:spinal-fusion"),
]


async def test_relevance(client: httpx.AsyncClient) -> None:
    ranks: dict[str, int | None] = {}
    for query, expected in CASES:
        body = (await client.get("/v1/search", params={"q": query, "limit": "10"})).json()
        found = [f"{item['type']}:{item['slug']}" for item in body["items"]]
        ranks[query] = found.index(expected) + 1 if expected in found else None
    hit1 = sum(rank == 1 for rank in ranks.values()) / len(CASES)
    hit3 = sum(rank is not None and rank <= 3 for rank in ranks.values()) / len(CASES)
    misses = {query: rank for query, rank in ranks.items() if rank != 1}
    sys.stdout.write(
        f"\nsearch relevance over {len(CASES)} queries: hit@1 {hit1:.2f}, hit@3 {hit3:.2f}; not first: {misses}\n"
    )
    assert len(CASES) >= 56
    # FTS5 measured 0.94 and 1.00 over the first 36 on 2026-11-25; Tantivy 0.97 and 1.00 over those, 0.98 over
    # all 56 (2026-11-29). The floors (issue 14) allow three first places to slip to second as content grows,
    # but not a query to drop out of the top 3.
    assert hit1 >= 0.94
    assert hit3 == 1.0
