import type { ActionFunctionArgs, AppLoadContext } from "@remix-run/node";
import type { Database } from "#db/client";
import { links } from "./factories";

/** What a route's action answers, as the client sees it: status, headers and body. */
export type RouteAnswer = { status: number; headers: [string, string][]; body: unknown };

/**
 * Posts a form to a route's action as a signed-out visitor from the IP, and reads the answer
 * whether the action returned a Response, data() or a plain object.
 */
export async function postForm(
  db: Database,
  action: (args: ActionFunctionArgs) => Promise<unknown>,
  path: string,
  form: Record<string, string>,
  ip: string,
): Promise<RouteAnswer> {
  const request = new Request(`${links.appUrl}${path}`, { method: "POST", body: new URLSearchParams(form) });
  const context = { db, clientIp: ip, config: { APP_URL: links.appUrl }, auth: null } as unknown as AppLoadContext;
  const answer = await action({ request, context, params: {} });
  if (answer instanceof Response) return { status: answer.status, headers: [...answer.headers], body: await answer.text() };
  if (isData(answer)) return { status: answer.init?.status ?? 200, headers: [...new Headers(answer.init?.headers)], body: answer.data };
  return { status: 200, headers: [], body: answer };
}

function isData(value: unknown): value is { data: unknown; init?: ResponseInit } {
  return typeof value === "object" && value !== null && (value as { type?: unknown }).type === "DataWithResponseInit";
}
