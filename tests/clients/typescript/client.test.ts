// Runs client.ts against the real server (API_BASE_URL), under node's own test runner.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiProblem, conditionsClient, getCondition, getFields, listAll, match, search } from "./client.js";

const base = process.env["API_BASE_URL"];
if (base === undefined) throw new Error("API_BASE_URL is not set");
const client = conditionsClient(base);

test("the list, followed to its end, is every condition once, in slug order", async () => {
  const all = await listAll(client);
  const slugs = all.map((condition) => condition.slug);
  assert.ok(slugs.length > 5, "more than one page");
  assert.deepEqual(slugs, [...slugs].sort());
  assert.equal(new Set(slugs).size, slugs.length);
});

test("a detail reads as a typed record", async () => {
  const record = await getCondition(client, "lumbar-muscle-spasm");
  assert.equal(record.name, "Lumbar muscle spasm");
  assert.equal(record.duration?.min_days, 21);
  assert.equal(record.codes[0]?.code, "M62.830");
  assert.ok(record.faqs.length > 0 && record.symptoms.items.length > 0);
});

test("fields= answers only the fields asked for", async () => {
  const partial = await getFields(client, "lumbar-muscle-spasm", "name,duration");
  assert.deepEqual(Object.keys(partial).sort(), ["duration", "name"]);
  assert.equal(partial.slug, undefined);
});

test("an unknown slug is a problem the client can read", async () => {
  await assert.rejects(getCondition(client, "no-such-condition"), (error: unknown) => {
    assert.ok(error instanceof ApiProblem);
    assert.equal(error.problem.status, 404);
    return true;
  });
});

test("search ranks and carries its notice", async () => {
  const page = await search(client, "lumbar spasm");
  assert.ok(page.items.length > 0 && page.notice.length > 0);
  assert.equal(page.items[0]?.type, "condition");
});

test("match ranks conditions and carries its notice", async () => {
  const result = await match(client, ["low-back-pain", "muscle spasm"]);
  assert.ok(result.items.length > 0 && result.notice.length > 0);
  assert.ok(result.given.some((given) => given.resolved_by === "search"));
});
