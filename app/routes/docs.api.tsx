import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, PageHeader, Table } from "~/components/ui";
import { apiReference } from "~/modules/api/reference.server";

export const meta: MetaFunction = () => [{ title: "REST API reference · Switchboard" }];

export async function loader({ context }: LoaderFunctionArgs) {
  return apiReference(context.config.APP_URL);
}

export default function ApiReferencePage() {
  const { intro, baseUrl, operations, schemas, errorCodes } = useLoaderData<typeof loader>();
  return (
    <main className="mx-auto max-w-5xl space-y-6 px-4 py-8 sm:px-6">
      <PageHeader title="REST API reference" description={`Base URL ${baseUrl}. The OpenAPI 3.1 document: ${baseUrl}/openapi.json.`} />
      <Card title="Using the API">
        <div className="space-y-2 text-sm text-zinc-700">
          {intro.map((paragraph) => (
            <p key={paragraph}>{paragraph}</p>
          ))}
          <p>
            Keys are made on the{" "}
            <Link to="/app/api-keys" className="text-indigo-600 underline">
              API keys
            </Link>{" "}
            page.
          </p>
        </div>
      </Card>
      <Card title="Endpoints">
        <ul className="space-y-1 text-sm">
          {operations.map((op) => (
            <li key={op.id}>
              <a href={`#${op.id}`} className="font-mono text-indigo-600">
                {op.method} {op.path}
              </a>{" "}
              <span className="text-zinc-600">— {op.summary}</span>
            </li>
          ))}
        </ul>
      </Card>
      {operations.map((op) => (
        <section key={op.id} id={op.id}>
          <Card title={`${op.method} ${op.path}`}>
            <div className="space-y-3 text-sm">
              <p className="font-semibold">
                {op.summary} <span className="font-normal text-zinc-500">· for {op.audience}</span>
              </p>
              <p className="text-zinc-700">{op.description}</p>
              {op.parameters.length ? (
                <Table columns={["Parameter", "In", "Type", "Notes"]}>
                  {op.parameters.map((p) => (
                    <tr key={`${p.in}-${p.name}`}>
                      <td className="py-2 font-mono">
                        {p.name}
                        {p.required ? " *" : ""}
                      </td>
                      <td className="py-2">{p.in}</td>
                      <td className="py-2">{p.type}</td>
                      <td className="py-2 text-zinc-600">{p.description ?? ""}</td>
                    </tr>
                  ))}
                </Table>
              ) : null}
              {op.body ? (
                <p>
                  Body:{" "}
                  <a href={`#schema-${op.body.name}`} className="font-mono text-indigo-600">
                    {op.body.name}
                  </a>{" "}
                  (JSON)
                </p>
              ) : null}
              <p>
                Answers {op.response.status} with <span className="font-mono">{op.response.type}</span>; errors {op.errors.join(", ")}.
              </p>
            </div>
          </Card>
        </section>
      ))}
      <Card title="Schemas">
        <div className="space-y-6">
          {schemas.map((schema) => (
            <div key={schema.name} id={`schema-${schema.name}`}>
              <h3 className="font-mono font-semibold">{schema.name}</h3>
              <Table columns={["Field", "Type", "Notes"]}>
                {schema.fields.map((f) => (
                  <tr key={f.name}>
                    <td className="py-2 font-mono">
                      {f.name}
                      {f.required ? " *" : ""}
                    </td>
                    <td className="py-2">{f.type}</td>
                    <td className="py-2 text-zinc-600">{f.description ?? ""}</td>
                  </tr>
                ))}
              </Table>
            </div>
          ))}
        </div>
      </Card>
      <Card title="Error codes">
        <Table columns={["Code", "Status", "When"]}>
          {errorCodes.map((e) => (
            <tr key={e.code}>
              <td className="py-2 font-mono">{e.code}</td>
              <td className="py-2">{e.status}</td>
              <td className="py-2 text-zinc-600">{e.when}</td>
            </tr>
          ))}
        </Table>
      </Card>
    </main>
  );
}
