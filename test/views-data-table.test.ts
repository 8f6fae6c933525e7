import { jsx } from 'hono/jsx';
import { describe, expect, it } from 'vitest';
import { DataTable } from '../views/components/table.tsx';

/**
 * `<DataTable scroll …>` is the markup the staff pages wrote by hand before it:
 * `<div class="table-scroll"><DataTable …/></div>`, with rows and with its `empty` stand-in.
 */
describe('DataTable with scroll', () => {
  const html = async (node: unknown) => String(await node);
  const columns = [{ head: 'Name', cell: (r: { name: string }) => r.name }];
  const cases = {
    rows: { rows: [{ name: 'Ana' }, { name: 'Ben' }], columns, class: 'list', caption: 'People' },
    empty: { rows: [], columns, caption: 'People', empty: jsx('p', { class: 'muted' }, 'Nobody.') },
  };

  for (const [name, props] of Object.entries(cases))
    it(`renders the hand-written wrapper (${name})`, async () => {
      const byHand = await html(jsx('div', { class: 'table-scroll' }, jsx(DataTable, props)));
      expect(byHand).toContain('<div class="table-scroll">');
      expect(await html(jsx(DataTable, { ...props, scroll: true }))).toBe(byHand);
    });
});
