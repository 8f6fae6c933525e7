import { DataTable } from '../components/table.tsx';
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
        <DataTable
          class="list"
          caption="Operations"
          rows={props.operations}
          columns={[
            { head: 'Method', cell: (o) => <code>{o.method.toUpperCase()}</code> },
            { head: 'Path', cell: (o) => <code>{o.path}</code> },
            { head: 'What', cell: (o) => o.summary },
            { head: 'Who', cell: (o) => who[o.access] ?? o.access },
          ]}
        />
      </main>
    </BaseLayout>
  );
}
