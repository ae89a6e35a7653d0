// The Mappings page's logic, free of Svelte so it can be tested and timed on its own: rows
// are prepared once per load (search text, sort ranks, counts on their basis), then filtered,
// counted and sorted with plain array work, and only the rows in view are rendered.
import type { MappingRow, ProductId, RowState, Suggestion } from '../../mapping-api';

export interface ProductInfo {
  id: ProductId;
  label: string;
}

/** The product lines in display order (backend/webroot Products). */
export const PRODUCTS: ProductInfo[] = [
  { id: 'endpoint', label: 'Endpoint Protection' },
  { id: 'dns', label: 'DNS Protection' },
  { id: 'wsat', label: 'Security Awareness Training' },
];

export interface BasisInfo {
  basis: string;
  label: string;
  /** For narrow places such as a table cell (the full label goes in its tooltip). */
  short: string;
  product: ProductId;
  default: boolean;
}

/** Count bases and their labels, as backend/webroot Basis.Label words them. */
export const BASES: BasisInfo[] = [
  { basis: 'active_without_hidden', label: 'Active devices (without hidden)', short: 'Active, without hidden', product: 'endpoint', default: true },
  { basis: 'active', label: 'Active devices (including hidden)', short: 'Active, with hidden', product: 'endpoint', default: false },
  { basis: 'seen_30d', label: 'Devices seen in the last 30 days', short: 'Seen in 30 days', product: 'endpoint', default: false },
  { basis: 'not_deactivated', label: 'Devices not deactivated right now', short: 'Not deactivated', product: 'endpoint', default: false },
  { basis: 'devices_seen', label: 'DNS devices seen', short: 'Devices seen', product: 'dns', default: true },
  { basis: 'devices_seen_30d', label: 'DNS devices seen in the last 30 days', short: 'Devices seen in 30 days', product: 'dns', default: false },
  { basis: 'users_seen', label: 'Training users seen', short: 'Users seen', product: 'wsat', default: true },
  { basis: 'users_seen_30d', label: 'Training users seen in the last 30 days', short: 'Users seen in 30 days', product: 'wsat', default: false },
];

const basisByName = new Map(BASES.map((b) => [b.basis, b]));
const productOrder: Record<string, number> = { endpoint: 0, dns: 1, wsat: 2 };

export function productLabel(product: string): string {
  return PRODUCTS.find((p) => p.id === product)?.label ?? product;
}

export function basesOf(product: string): BasisInfo[] {
  return BASES.filter((b) => b.product === product);
}

export function defaultBasis(product: string): string {
  return basesOf(product).find((b) => b.default)?.basis ?? '';
}

export function basisLabel(basis: string): string {
  return basisByName.get(basis)?.label ?? basis;
}

export function basisShort(basis: string): string {
  return basisByName.get(basis)?.short ?? basis;
}

/** The part of an addition's name before " · " (its product identifier), for narrow cells. */
export function additionShort(name: string): string {
  const i = name.indexOf(' · ');
  return i > 0 ? name.slice(0, i) : name;
}

export const STATE_LABELS: Record<RowState, string> = {
  mapped: 'Mapped',
  suggested: 'Suggested',
  unmapped: 'Unmapped',
  excluded: 'Excluded',
};

/** A row made ready for the page: everything the filters, sorts and cells need. */
export interface ViewRow {
  /** siteId (lower case) / product: unique. */
  key: string;
  row: MappingRow;
  state: RowState;
  basis: string;
  basisLabel: string;
  basisShort: string;
  /** The count on the row's basis; null when the site has no figure for it. */
  count: number | null;
  overSeatLimit: boolean;
  /** How many other sites are summed into the same addition (the backend's count). */
  sharedCount: number;
  /** Every mapped site of the row's addition, this one included: one array per addition,
   * shared by its rows (sharedNames picks the others when they are shown). */
  sharedGroup: readonly SharedSite[];
  suggestion: Suggestion | null;
  /** The suggestion names a whole company → agreement → addition, so it can be accepted as is. */
  acceptable: boolean;
  /** Lower-case text the search looks in. */
  hay: string;
  /** Base order: site name, then product. */
  order: number;
  /** Rank of the company name shown (mapped, else suggested); -1 for none. */
  companyRank: number;
}

/** A site mapped to an addition, for naming the sites summed into it. */
export interface SharedSite {
  id: string;
  name: string;
}

/** Names of the other sites summed into the row's addition. */
export function sharedNames(v: ViewRow): string[] {
  const self = v.row.siteId.toLowerCase();
  return v.sharedGroup.filter((s) => s.id !== self).map((s) => s.name);
}

const noGroup: readonly SharedSite[] = [];

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function normalState(r: MappingRow): RowState {
  const s = r.state as RowState;
  if (s === 'unmapped' && r.suggestion) return 'suggested';
  return s === 'mapped' || s === 'suggested' || s === 'excluded' ? s : 'unmapped';
}

/** The row's count on its mapping's basis, or the product's default basis when unmapped. */
export function basisOfRow(r: MappingRow): string {
  return r.mapping?.countBasis || defaultBasis(r.product);
}

/** Ranks strings by the user's collation once, so sorting later compares numbers. */
function ranks(values: string[]): Map<string, number> {
  const uniq = [...new Set(values)].sort(collator.compare);
  return new Map(uniq.map((v, i) => [v, i]));
}

/** Prepares the backend's rows for the page; called once per load. */
export function prepare(rows: MappingRow[]): ViewRow[] {
  const seats = new Map<string, boolean>();
  const groups = new Map<number, SharedSite[]>();
  const grouped = new Set<string>();
  for (const r of rows) {
    const id = r.siteId.toLowerCase();
    if (r.mapping && (r.sharedCount ?? 0) > 0) {
      const key = `${r.mapping.additionId}/${id}`;
      if (!grouped.has(key)) {
        grouped.add(key);
        const g = groups.get(r.mapping.additionId) ?? [];
        g.push({ id, name: r.siteName });
        groups.set(r.mapping.additionId, g);
      }
    }
    if (r.product === 'endpoint' || r.overSeatLimit !== undefined) {
      const used = r.totalEndpoints ?? Math.max(r.counts?.['active'] ?? 0, r.counts?.['active_without_hidden'] ?? 0);
      const over = r.overSeatLimit ?? (r.devicesAllowed > 0 && used > r.devicesAllowed);
      seats.set(id, (seats.get(id) ?? false) || over);
    }
  }
  const siteRank = ranks(rows.map((r) => r.siteName));
  const companyName = (r: MappingRow): string => (r.mapping ? r.companyName : (r.suggestion?.companyName ?? ''));
  const companyRank = ranks(rows.map(companyName).filter(Boolean));
  // Base order: site name, then site (two sites may share a name), then product.
  const order = new Array<number>(rows.length);
  const idx = rows.map((r, i) => ({ i, n: siteRank.get(r.siteName) ?? 0, id: r.siteId.toLowerCase(), p: productOrder[r.product] ?? 3 }));
  idx.sort((a, b) => a.n - b.n || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || a.p - b.p);
  idx.forEach((x, pos) => (order[x.i] = pos));
  return rows.map((r, i) => {
    const id = r.siteId.toLowerCase();
    const basis = basisOfRow(r);
    const c = r.counts?.[basis];
    const s = r.suggestion ?? null;
    const m = r.mapping;
    const state = normalState(r);
    const hay = [
      r.siteName,
      r.comments,
      r.companyName,
      r.agreementName,
      r.additionName,
      m ? `#${m.companyId} #${m.agreementId} #${m.additionId}` : '',
      s ? `${s.companyName} ${s.agreementName} #${s.companyId}` : '',
    ]
      .join('\u0001')
      .toLowerCase();
    const co = companyName(r);
    return {
      key: `${id}/${r.product}`,
      row: r,
      state,
      basis,
      basisLabel: basisLabel(basis),
      basisShort: basisShort(basis),
      count: typeof c === 'number' ? c : null,
      overSeatLimit: seats.get(id) ?? false,
      sharedCount: r.sharedCount ?? 0,
      sharedGroup: m && (r.sharedCount ?? 0) > 0 ? (groups.get(m.additionId) ?? noGroup) : noGroup,
      suggestion: s,
      acceptable: !!s && s.agreementId > 0 && s.additionId > 0,
      hay,
      order: order[i] ?? i,
      companyRank: co ? (companyRank.get(co) ?? -1) : -1,
    };
  });
}

export type StateFilter = 'all' | 'unmapped' | 'suggested' | 'mapped' | 'excluded' | 'new' | 'problems';

export const STATE_FILTERS: { id: StateFilter; label: string; hint: string }[] = [
  { id: 'all', label: 'All', hint: 'Every site and product line' },
  { id: 'unmapped', label: 'Unmapped', hint: 'Waiting for a decision, suggestions included' },
  { id: 'suggested', label: 'Suggested', hint: 'A name match or cwm-id hint proposes a mapping' },
  { id: 'mapped', label: 'Mapped', hint: 'Billed through an agreement addition' },
  { id: 'excluded', label: 'Excluded', hint: 'Left out of billing on purpose' },
  { id: 'new', label: 'New', hint: 'Sites that appeared since the first refresh' },
  { id: 'problems', label: 'Problems', hint: 'Mappings that cannot be synced as they stand' },
];

export interface Filter {
  query: string;
  state: StateFilter;
  product: ProductId | 'all';
}

export function matchesState(v: ViewRow, f: StateFilter): boolean {
  switch (f) {
    case 'all':
      return true;
    case 'unmapped':
      return v.state === 'unmapped' || v.state === 'suggested';
    case 'new':
      return v.row.new;
    case 'problems':
      return !!v.row.problem;
    default:
      return v.state === f;
  }
}

/** The search words: every one must appear somewhere in the row. */
export function searchTerms(query: string): string[] {
  return query.trim().toLowerCase().split(/\s+/).filter(Boolean);
}

function matchesTerms(v: ViewRow, terms: string[]): boolean {
  for (const t of terms) if (!v.hay.includes(t)) return false;
  return true;
}

export function filterRows(rows: ViewRow[], f: Filter): ViewRow[] {
  const terms = searchTerms(f.query);
  if (!terms.length && f.state === 'all' && f.product === 'all') return rows;
  const out: ViewRow[] = [];
  for (const v of rows) {
    if (f.product !== 'all' && v.row.product !== f.product) continue;
    if (f.state !== 'all' && !matchesState(v, f.state)) continue;
    if (terms.length && !matchesTerms(v, terms)) continue;
    out.push(v);
  }
  return out;
}

/** How many rows each state chip would show with the current search and product. */
export function countStates(rows: ViewRow[], query: string, product: ProductId | 'all'): Record<StateFilter, number> {
  const n: Record<StateFilter, number> = { all: 0, unmapped: 0, suggested: 0, mapped: 0, excluded: 0, new: 0, problems: 0 };
  const terms = searchTerms(query);
  for (const v of rows) {
    if (product !== 'all' && v.row.product !== product) continue;
    if (terms.length && !matchesTerms(v, terms)) continue;
    n.all++;
    if (v.state === 'unmapped' || v.state === 'suggested') n.unmapped++;
    if (v.state === 'suggested') n.suggested++;
    else if (v.state === 'mapped') n.mapped++;
    else if (v.state === 'excluded') n.excluded++;
    if (v.row.new) n.new++;
    if (v.row.problem) n.problems++;
  }
  return n;
}

/** How many rows each product chip would show with the current search and state. */
export function countProducts(rows: ViewRow[], query: string, state: StateFilter): Record<ProductId | 'all', number> {
  const n: Record<ProductId | 'all', number> = { all: 0, endpoint: 0, dns: 0, wsat: 0 };
  const terms = searchTerms(query);
  for (const v of rows) {
    if (state !== 'all' && !matchesState(v, state)) continue;
    if (terms.length && !matchesTerms(v, terms)) continue;
    n.all++;
    const p = v.row.product as ProductId;
    if (p in n) n[p]++;
  }
  return n;
}

export type SortKey = 'site' | 'product' | 'count' | 'state' | 'company';
export type SortDir = 'asc' | 'desc';
export interface Sort {
  key: SortKey;
  dir: SortDir;
}

const stateRank: Record<RowState, number> = { unmapped: 0, suggested: 1, mapped: 2, excluded: 3 };

/** The number a row sorts by for a key; null sorts last whatever the direction. */
function sortValue(v: ViewRow, key: SortKey): number | null {
  switch (key) {
    case 'site':
      return v.order;
    case 'product':
      return productOrder[v.row.product] ?? 3;
    case 'count':
      return v.count;
    case 'state':
      // Problems first among the mapped, so broken mappings stand out.
      return stateRank[v.state] * 2 + (v.state === 'mapped' && !v.row.problem ? 1 : 0);
    case 'company':
      return v.companyRank < 0 ? null : v.companyRank;
  }
}

/** A sorted copy; ties keep site-then-product order. */
export function sortRows(rows: ViewRow[], sort: Sort): ViewRow[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  const keyed = rows.map((v) => ({ v, k: sortValue(v, sort.key) }));
  keyed.sort((a, b) => {
    if (a.k !== b.k) {
      if (a.k === null) return 1;
      if (b.k === null) return -1;
      return (a.k - b.k) * sign;
    }
    return a.v.order - b.v.order;
  });
  return keyed.map((x) => x.v);
}

export interface WindowRange {
  /** Index of the first row rendered. */
  start: number;
  /** One past the last row rendered. */
  end: number;
  /** Heights of the spacers above and below the rendered rows, in pixels. */
  before: number;
  after: number;
}

/** Which rows of a fixed-height list to render for a scroll position, with some overscan so
 * fast scrolling does not show blank space. */
export function windowRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 6): WindowRange {
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const top = Math.max(0, Math.min(scrollTop, total * rowHeight));
  const start = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((top + Math.max(viewport, 0)) / rowHeight) + overscan);
  return { start, end: Math.max(start, end), before: start * rowHeight, after: (total - Math.max(start, end)) * rowHeight };
}

/** Reads an optional whole number ("Less Included", "Minimum"): empty means none. */
export function parseWhole(text: string): { value: number | undefined; error?: string } {
  const t = text.trim();
  if (t === '') return { value: undefined };
  if (!/^\d+$/.test(t)) return { value: undefined, error: 'Enter a whole number, 0 or more, or leave it empty.' };
  const n = Number(t);
  if (!Number.isSafeInteger(n)) return { value: undefined, error: 'This number is too large.' };
  return { value: n };
}

/** A score from the backend (0–1 or 0–100) as a whole percentage. */
export function scorePercent(score: number): number {
  const s = score <= 1 ? score * 100 : score;
  return Math.round(Math.max(0, Math.min(100, s)));
}

export const SUGGESTION_KINDS: Record<string, string> = {
  hint: 'cwm-id hint',
  exact: 'Same name',
  similar: 'Similar name',
};

/** "Line 3, Company: …": one bad line of an imported file. */
export function describeRowError(e: { line: number; field: string; message: string }): string {
  return `Line ${e.line}${e.field ? `, ${e.field}` : ''}: ${e.message}`;
}

/** Calls fn after ms of quiet; cancel() drops a pending call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { cancel: () => void } {
  let t: ReturnType<typeof setTimeout> | undefined;
  const d = (...args: A): void => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(t);
  return d;
}
