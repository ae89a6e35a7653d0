import { mappingRow } from './mapping-rows';
import { describe, expect, it } from 'vitest';
import type { MappingRow } from '../lib/mapping-api';
import {
  basisLabel,
  countProducts,
  countStates,
  debounce,
  defaultBasis,
  describeRowError,
  filterRows,
  parseWhole,
  prepare,
  scorePercent,
  sharedNames,
  sortRows,
  windowRange,
  type ViewRow,
} from '../lib/components/mappings/model';

const row = (over: Partial<MappingRow>): MappingRow => mappingRow(over);

const mapped = (siteId: string, siteName: string, product: string, additionId: number, over: Partial<MappingRow> = {}): MappingRow =>
  row({
    siteId,
    siteName,
    product,
    productLabel: product,
    state: 'mapped',
    mapping: { siteId, product, countBasis: '', companyId: 250, agreementId: 871, additionId },
    companyName: 'Riverbend Church',
    agreementName: 'Managed Services',
    additionName: 'WEBROOT-EP · Webroot Business Endpoint Protection',
    ...over,
  });

const keys = (rows: ViewRow[]): string[] => rows.map((v) => v.key);

describe('prepare', () => {
  it('counts on the mapping’s basis, or the product’s default basis when unmapped', () => {
    const [a, b] = prepare([
      row({ siteId: 'A', siteName: 'Acme', counts: { active_without_hidden: 40, active: 44, seen_30d: 51 } }),
      mapped('B', 'Bluth', 'endpoint', 3581, {
        counts: { active_without_hidden: 20, active: 21, seen_30d: 25 },
        mapping: { siteId: 'B', product: 'endpoint', countBasis: 'seen_30d', companyId: 250, agreementId: 871, additionId: 3581 },
      }),
    ]);
    expect(a?.basis).toBe('active_without_hidden');
    expect(a?.count).toBe(40);
    expect(a?.basisLabel).toBe('Active devices (without hidden)');
    expect(b?.basis).toBe('seen_30d');
    expect(b?.count).toBe(25);
    expect(b?.basisLabel).toBe('Devices seen in the last 30 days');
  });

  it('has a default basis and a label for every product', () => {
    expect(defaultBasis('endpoint')).toBe('active_without_hidden');
    expect(defaultBasis('dns')).toBe('devices_seen');
    expect(defaultBasis('wsat')).toBe('users_seen');
    expect(basisLabel('users_seen_30d')).toBe('Training users seen in the last 30 days');
  });

  it('treats an unmapped line with a suggestion as suggested, and knows when it can be accepted as is', () => {
    const s = { companyId: 250, companyName: 'Acme Corporation', agreementId: 871, agreementName: 'MS', additionId: 3581, additionName: 'EP', countBasis: 'active', score: 0.93, reason: 'same name', kind: 'exact' };
    const [a, b, c] = prepare([
      row({ siteId: 'A', suggestion: s }),
      row({ siteId: 'B', state: 'suggested', suggestion: { ...s, agreementId: 0, additionId: 0 } }),
      row({ siteId: 'C' }),
    ]);
    expect(a?.state).toBe('suggested');
    expect(a?.acceptable).toBe(true);
    expect(b?.state).toBe('suggested');
    expect(b?.acceptable).toBe(false);
    expect(c?.state).toBe('unmapped');
    expect(scorePercent(0.93)).toBe(93);
    expect(scorePercent(87)).toBe(87);
  });

  it('marks every line of a site over its seat limit, and names the sites summed into one addition', () => {
    const rows = prepare([
      row({ siteId: 'I', siteName: 'Initech', devicesAllowed: 25, counts: { active_without_hidden: 26, active: 27 } }),
      row({ siteId: 'I', siteName: 'Initech', product: 'dns', devicesAllowed: 25, counts: { devices_seen: 3 } }),
      mapped('A1', 'Acme HQ', 'endpoint', 3581, { sharedCount: 2 }),
      mapped('A2', 'Acme Denver', 'endpoint', 3581, { sharedCount: 2 }),
      mapped('A3', 'Acme Boulder', 'endpoint', 3581, { sharedCount: 2 }),
      mapped('G', 'Globex', 'endpoint', 77),
    ]);
    expect(rows.filter((v) => v.row.siteId === 'I').map((v) => v.overSeatLimit)).toEqual([true, true]);
    const a1 = rows.find((v) => v.row.siteId === 'A1')!;
    const a2 = rows.find((v) => v.row.siteId === 'A2')!;
    expect(a1.sharedCount).toBe(2);
    expect(sharedNames(a1)).toEqual(['Acme Denver', 'Acme Boulder']);
    expect(sharedNames(a2)).toEqual(['Acme HQ', 'Acme Boulder']);
    // One list per addition, not one per row.
    expect(a1.sharedGroup).toBe(a2.sharedGroup);
    const g = rows.find((v) => v.row.siteId === 'G')!;
    expect(g.sharedCount).toBe(0);
    expect(sharedNames(g)).toEqual([]);
  });
});

describe('filter and counts', () => {
  const all = prepare([
    row({ siteId: 'A', siteName: 'Acme Corp', new: true }),
    row({ siteId: 'A', siteName: 'Acme Corp', product: 'dns' }),
    mapped('G', 'Globex Inc.', 'endpoint', 1, { companyName: 'Globex Corporation', agreementName: 'Security Bundle' }),
    mapped('H', 'Hooli', 'wsat', 2, { problem: 'agreement 871 is cancelled' }),
    row({ siteId: 'V', siteName: 'Vandelay Industries', state: 'excluded' }),
    row({
      siteId: 'N',
      siteName: 'Northwind',
      suggestion: { companyId: 264, companyName: 'Northwind Traders', agreementId: 1, agreementName: 'MS', additionId: 2, additionName: 'EP', countBasis: 'active_without_hidden', score: 100, reason: 'cwm-id hint', kind: 'hint' },
    }),
  ]);

  it('searches site, company and agreement names; every word must match', () => {
    expect(keys(filterRows(all, { query: 'acme', state: 'all', product: 'all' }))).toEqual(['a/endpoint', 'a/dns']);
    expect(keys(filterRows(all, { query: 'GLOBEX corporation', state: 'all', product: 'all' }))).toEqual(['g/endpoint']);
    expect(keys(filterRows(all, { query: 'security bundle', state: 'all', product: 'all' }))).toEqual(['g/endpoint']);
    expect(keys(filterRows(all, { query: 'northwind traders', state: 'all', product: 'all' }))).toEqual(['n/endpoint']);
    expect(filterRows(all, { query: 'acme globex', state: 'all', product: 'all' })).toEqual([]);
  });

  it('filters by state (unmapped includes suggested) and product', () => {
    expect(keys(filterRows(all, { query: '', state: 'unmapped', product: 'all' }))).toEqual(['a/endpoint', 'a/dns', 'n/endpoint']);
    expect(keys(filterRows(all, { query: '', state: 'suggested', product: 'all' }))).toEqual(['n/endpoint']);
    expect(keys(filterRows(all, { query: '', state: 'new', product: 'all' }))).toEqual(['a/endpoint']);
    expect(keys(filterRows(all, { query: '', state: 'problems', product: 'all' }))).toEqual(['h/wsat']);
    expect(keys(filterRows(all, { query: '', state: 'excluded', product: 'all' }))).toEqual(['v/endpoint']);
    expect(keys(filterRows(all, { query: '', state: 'unmapped', product: 'dns' }))).toEqual(['a/dns']);
  });

  it('counts each chip under the current search and product', () => {
    expect(countStates(all, '', 'all')).toEqual({ all: 6, unmapped: 3, suggested: 1, mapped: 2, excluded: 1, new: 1, problems: 1 });
    expect(countStates(all, 'acme', 'all')).toEqual({ all: 2, unmapped: 2, suggested: 0, mapped: 0, excluded: 0, new: 1, problems: 0 });
    expect(countProducts(all, '', 'unmapped')).toEqual({ all: 3, endpoint: 2, dns: 1, wsat: 0 });
  });
});

describe('sort', () => {
  const all = prepare([
    row({ siteId: 'B', siteName: 'bluth', counts: { active_without_hidden: 5 } }),
    row({ siteId: 'A', siteName: 'Acme', product: 'dns', counts: { devices_seen: 50 } }),
    row({ siteId: 'A', siteName: 'Acme', counts: { active_without_hidden: 50 } }),
    row({ siteId: 'C', siteName: 'Cyberdyne', counts: {} }),
    mapped('D', 'Dunder', 'endpoint', 7, { companyName: 'Zenith', counts: { active_without_hidden: 9 } }),
    mapped('E', 'Ewing', 'endpoint', 8, { companyName: 'Brightside', counts: { active_without_hidden: 9 }, problem: 'gone' }),
  ]);

  it('sorts by site name (case-insensitive), then product', () => {
    expect(keys(sortRows(all, { key: 'site', dir: 'asc' }))).toEqual(['a/endpoint', 'a/dns', 'b/endpoint', 'c/endpoint', 'd/endpoint', 'e/endpoint']);
    expect(keys(sortRows(all, { key: 'site', dir: 'desc' }))).toEqual(['e/endpoint', 'd/endpoint', 'c/endpoint', 'b/endpoint', 'a/dns', 'a/endpoint']);
  });

  it('sorts counts with rows without a figure last in both directions, ties by site', () => {
    expect(keys(sortRows(all, { key: 'count', dir: 'desc' }))).toEqual(['a/endpoint', 'a/dns', 'd/endpoint', 'e/endpoint', 'b/endpoint', 'c/endpoint']);
    expect(keys(sortRows(all, { key: 'count', dir: 'asc' })).at(-1)).toBe('c/endpoint');
  });

  it('sorts by company with unmapped rows last, and by state with problems before other mapped rows', () => {
    expect(keys(sortRows(all, { key: 'company', dir: 'asc' })).slice(0, 2)).toEqual(['e/endpoint', 'd/endpoint']);
    expect(keys(sortRows(all, { key: 'company', dir: 'desc' })).slice(0, 2)).toEqual(['d/endpoint', 'e/endpoint']);
    expect(keys(sortRows(all, { key: 'state', dir: 'asc' })).slice(-2)).toEqual(['e/endpoint', 'd/endpoint']);
  });

  it('does not change the array it sorts', () => {
    const before = keys(all);
    sortRows(all, { key: 'count', dir: 'asc' });
    expect(keys(all)).toEqual(before);
  });
});

describe('windowRange', () => {
  it('renders the rows in view plus the overscan, with spacers for the rest', () => {
    expect(windowRange(0, 560, 56, 8000, 6)).toEqual({ start: 0, end: 16, before: 0, after: (8000 - 16) * 56 });
    const mid = windowRange(56 * 1000, 560, 56, 8000, 6);
    expect(mid).toEqual({ start: 994, end: 1016, before: 994 * 56, after: (8000 - 1016) * 56 });
    expect(mid.before + (mid.end - mid.start) * 56 + mid.after).toBe(8000 * 56);
  });

  it('clamps at the end and handles short and empty lists', () => {
    const end = windowRange(56 * 9000, 560, 56, 8000, 6);
    expect(end.end).toBe(8000);
    expect(end.after).toBe(0);
    expect(windowRange(0, 560, 56, 3, 6)).toEqual({ start: 0, end: 3, before: 0, after: 0 });
    expect(windowRange(100, 560, 56, 0, 6)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
});

describe('helpers', () => {
  it('reads optional whole numbers', () => {
    expect(parseWhole('')).toEqual({ value: undefined });
    expect(parseWhole(' 5 ')).toEqual({ value: 5 });
    expect(parseWhole('0')).toEqual({ value: 0 });
    expect(parseWhole('-1').error).toMatch(/whole number/);
    expect(parseWhole('2.5').error).toMatch(/whole number/);
    expect(parseWhole('ten').error).toMatch(/whole number/);
  });

  it('names a bad CSV line by number and field', () => {
    expect(describeRowError({ line: 3, field: 'agreement_id', message: 'agreement 9 is cancelled' })).toBe('Line 3, agreement_id: agreement 9 is cancelled');
    expect(describeRowError({ line: 1, field: '', message: 'the header must be …' })).toBe('Line 1: the header must be …');
  });

  it('debounces', async () => {
    const calls: number[] = [];
    const d = debounce((n: number) => calls.push(n), 10);
    d(1);
    d(2);
    d(3);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toEqual([3]);
    d(4);
    d.cancel();
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toEqual([3]);
  });
});

/** A large MSP: n sites, most with DNS or training too; a third mapped, some suggested. */
function bigBook(n: number): MappingRow[] {
  const words = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Wonka', 'Hooli', 'Pied Piper', 'Soylent', 'Cyberdyne', 'Tyrell'];
  const out: MappingRow[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${words[i % words.length]} ${['Dental', 'Legal', 'Clinic', 'Builders', 'Labs'][i % 5]} ${i}`;
    const id = `site-${i.toString(16).padStart(8, '0')}`;
    const products = i % 5 === 0 ? ['endpoint', 'dns', 'wsat'] : i % 4 === 0 ? ['endpoint', 'dns'] : ['endpoint'];
    for (const p of products) {
      const isMapped = i % 3 === 1;
      const counts: Record<string, number> =
        p === 'endpoint'
          ? { active_without_hidden: (i * 7) % 300, active: (i * 7) % 300 + 2, seen_30d: (i * 5) % 320, not_deactivated: (i * 7) % 300 + 1 }
          : p === 'dns'
            ? { devices_seen: (i * 3) % 200, devices_seen_30d: (i * 3) % 210 }
            : { users_seen: i % 90, users_seen_30d: i % 95 };
      out.push(
        row({
          siteId: id,
          siteName: name,
          product: p,
          productLabel: p,
          counts,
          devicesAllowed: 250,
          new: i % 97 === 0,
          state: isMapped ? 'mapped' : i % 11 === 0 ? 'excluded' : i % 5 === 0 ? 'suggested' : 'unmapped',
          mapping: isMapped ? { siteId: id, product: p, countBasis: '', companyId: 1000 + i, agreementId: 5000 + i, additionId: 9000 + i } : null,
          companyName: isMapped ? `${words[(i + 3) % words.length]} Holdings ${i}` : '',
          agreementName: isMapped ? 'Managed Services' : '',
          additionName: isMapped ? 'WEBROOT-EP · Webroot Business Endpoint Protection' : '',
          problem: isMapped && i % 50 === 1 ? 'agreement is cancelled' : '',
          suggestion:
            !isMapped && i % 5 === 0
              ? { companyId: 1000 + i, companyName: `${words[i % words.length]} Co`, agreementId: 1, agreementName: 'MS', additionId: 2, additionName: 'EP', countBasis: '', score: 0.9, reason: 'same name', kind: 'exact' }
              : null,
        }),
      );
    }
  }
  return out;
}

describe('5,000 sites', () => {
  it('prepares, filters and sorts about 8,000 rows (timings printed, not asserted)', () => {
    const rows = bigBook(5000);
    expect(rows.length).toBeGreaterThan(7500);
    const t = (fn: () => unknown): [number, unknown] => {
      const s = performance.now();
      const r = fn();
      return [performance.now() - s, r];
    };
    const [tPrepare, prepared] = t(() => prepare(rows));
    const all = prepared as ViewRow[];
    const [tFilter, found] = t(() => filterRows(all, { query: 'acme dental', state: 'all', product: 'all' }));
    const [tFilterState] = t(() => filterRows(all, { query: '', state: 'unmapped', product: 'endpoint' }));
    const [tCounts] = t(() => (countStates(all, 'acme', 'all'), countProducts(all, 'acme', 'all')));
    const [tSortSite] = t(() => sortRows(all, { key: 'site', dir: 'desc' }));
    const [tSortCount, byCount] = t(() => sortRows(all, { key: 'count', dir: 'desc' }));
    const [tSortCompany] = t(() => sortRows(all, { key: 'company', dir: 'asc' }));
    const [tBoth] = t(() => sortRows(filterRows(all, { query: 'labs', state: 'unmapped', product: 'all' }), { key: 'count', dir: 'desc' }));
    expect((found as ViewRow[]).every((v) => v.hay.includes('acme') && v.hay.includes('dental'))).toBe(true);
    const counts = (byCount as ViewRow[]).map((v) => v.count ?? -1);
    expect(counts.every((c, i) => i === 0 || c <= (counts[i - 1] ?? Infinity))).toBe(true);
    const ms = (n: number): string => `${n.toFixed(1)} ms`;
    console.log(
      `[perf] ${rows.length} rows from 5,000 sites: prepare ${ms(tPrepare)} · search ${ms(tFilter)} · state+product filter ${ms(tFilterState)} · chip counts ${ms(tCounts)} · ` +
        `sort by site ${ms(tSortSite)} · by count ${ms(tSortCount)} · by company ${ms(tSortCompany)} · filter+sort ${ms(tBoth)}`,
    );
  });
});
