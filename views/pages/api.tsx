import { BaseLayout } from '../layouts/base.tsx';

const who: Record<string, string> = {
  public: 'anyone',
  staff: 'signed-in staff',
  patient: 'the signed-in patient',
  'staff-or-patient': 'staff, or the patient it belongs to',
};

/** The readable list of the API's operations; the OpenAPI document has the details. */
export function ApiPage(props: {
  operations: { method: string; path: string; summary: string; access: string }[];
}) {
  return (
    <BaseLayout title="API">
      <main class="page">
        <h1>Clinicbox API</h1>
        <p>
          The machine-readable document: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI
          3.1). Errors are <code>{'{"error":{"code","message"}}'}</code> with a stable code.
        </p>
        <table class="list">
          <caption class="visually-hidden">Operations</caption>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Path</th>
              <th scope="col">What</th>
              <th scope="col">Who</th>
            </tr>
          </thead>
          <tbody>
            {props.operations.map((o) => (
              <tr>
                <td>
                  <code>{o.method.toUpperCase()}</code>
                </td>
                <td>
                  <code>{o.path}</code>
                </td>
                <td>{o.summary}</td>
                <td>{who[o.access] ?? o.access}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </BaseLayout>
  );
}
