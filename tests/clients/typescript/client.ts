// A small typed client of conditions-api, as a mobile or web app would write it: the types come from the
// served OpenAPI document (openapi-typescript), the calls from openapi-fetch. No casts: if the document and
// the answers disagree, this does not compile or the tests fail.
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/schema.js";

export type ConditionSummary = components["schemas"]["ConditionListItem"];
export type ConditionDetail = components["schemas"]["ConditionDetail"];
export type ConditionFields = components["schemas"]["ConditionFields"];
export type Problem = components["schemas"]["Problem"];

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.status} ${problem.title}: ${problem.detail}`);
  }
}

export function conditionsClient(baseUrl: string) {
  return createClient<paths>({ baseUrl });
}
type Client = ReturnType<typeof conditionsClient>;

/** Every condition, following `next_cursor` to the end of the list. */
export async function listAll(client: Client, pageSize = 5): Promise<ConditionSummary[]> {
  const all: ConditionSummary[] = [];
  let cursor: string | undefined;
  for (;;) {
    const query = cursor === undefined ? { limit: pageSize } : { limit: pageSize, cursor };
    const { data, error } = await client.GET("/v1/conditions", { params: { query } });
    if (error) throw new ApiProblem(error);
    all.push(...data.items);
    if (data.next_cursor === null) return all;
    cursor = data.next_cursor;
  }
}

/** A full record has every field; a `fields=` answer has only those asked for. */
export function isFullRecord(record: ConditionDetail | ConditionFields): record is ConditionDetail {
  return typeof record.slug === "string" && record.review !== undefined && record.created_at !== undefined;
}

export async function getCondition(client: Client, slug: string): Promise<ConditionDetail> {
  const { data, error } = await client.GET("/v1/conditions/{slug}", { params: { path: { slug } } });
  if (error) throw new ApiProblem(error);
  if (!isFullRecord(data)) throw new Error(`${slug}: the record lacks fields`);
  return data;
}

export async function getFields(client: Client, slug: string, fields: string): Promise<ConditionFields> {
  const { data, error } = await client.GET("/v1/conditions/{slug}", { params: { path: { slug }, query: { fields } } });
  if (error) throw new ApiProblem(error);
  return data;
}

export async function search(client: Client, q: string) {
  const { data, error } = await client.GET("/v1/search", { params: { query: { q } } });
  if (error) throw new ApiProblem(error);
  return data;
}

export async function match(client: Client, symptoms: string[]) {
  const { data, error } = await client.GET("/v1/conditions/match", { params: { query: { symptom: symptoms } } });
  if (error) throw new ApiProblem(error);
  return data;
}
