// Wraps the generated MappingAPI bindings: the Mappings page's rows (every GSM site × product
// line with its counts, state, mapping or suggestion), saving and removing mappings,
// exclusions, CSV import/export and accepting name-match suggestions. Every change is followed by the
// mappings:changed event, which the page and the sidebar badge reload on.
import * as Mapping from '../../wailsjs/go/main/MappingAPI';
import type { mapping } from '../../wailsjs/go/models';
import { call, onEvent } from './api';

export type ProductId = 'endpoint' | 'dns' | 'wsat';
export type RowState = 'mapped' | 'suggested' | 'unmapped' | 'excluded';

/** A proposed mapping for an unmapped line (normalised name match or a cwm-id hint):
 * mapping.Proposal's data. */
export interface Suggestion {
  companyId: number;
  companyName: string;
  /** 0 when the company has no single matching addition: accepting opens the picker. */
  agreementId: number;
  agreementName: string;
  additionId: number;
  additionName: string;
  countBasis: string;
  /** 0–1. */
  score: number;
  reason: string;
  kind: 'hint' | 'exact' | 'similar' | string;
}

export type MappingInput = mapping.Mapping;

/** One GSM site × product line as the page lists it (mapping.Row's data). The seat fields
 * are optional: the page works them out from the counts when the backend does not send them. */
export interface MappingRow {
  siteId: string;
  siteName: string;
  comments: string;
  product: string;
  productLabel: string;
  /** basis → count, for this product's bases */
  counts: Record<string, number>;
  devicesAllowed: number;
  suspended: boolean;
  deactivated: boolean;
  /** The site has this product line on a trial licence in Webroot. */
  trial?: boolean;
  new: boolean;
  state: RowState | string;
  mapping?: MappingInput | null;
  companyName: string;
  agreementName: string;
  additionName: string;
  /** How many other sites' counts are summed into the same addition. */
  sharedCount?: number;
  /** Why the mapping cannot be synced as it stands; "" when it can. */
  problem: string;
  suggestion?: Suggestion | null;
  totalEndpoints?: number;
  overSeatLimit?: boolean;
}

export interface ImportRowError {
  line: number;
  field: string;
  message: string;
}

export interface ImportResult {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportOutcome {
  result: ImportResult;
  errors: ImportRowError[];
}

export interface AcceptItem {
  siteId: string;
  product: string;
}

export interface AcceptFailure {
  siteId: string;
  product: string;
  message: string;
}

export interface AcceptOutcome {
  accepted: number;
  failed: AcceptFailure[];
}

export const mappingEvents = { changed: 'mappings:changed' } as const;

export const mappingApi = {
  rows: (): Promise<MappingRow[]> => call(() => Mapping.Rows()).then((r) => (r ?? []) as unknown as MappingRow[]),
  unmappedCount: (): Promise<number> => call(() => Mapping.UnmappedCount()),
  /** Checks the rules and saves; rule errors come back in ApiError.fields by field label. */
  save: (m: MappingInput): Promise<void> => call(() => Mapping.Save(m)),
  remove: (siteId: string, product: string): Promise<void> => call(() => Mapping.Delete(siteId, product)),
  setExcluded: (siteId: string, product: string, excluded: boolean): Promise<void> =>
    call(() => Mapping.SetExcluded(siteId, product, excluded)),
  /** All rows or none: errors lists every bad line, and then nothing was changed. */
  importCSV: (text: string): Promise<ImportOutcome> =>
    call(() => Mapping.ImportCSV(text)).then(
      (o): ImportOutcome => ({ result: o?.result ?? { created: 0, updated: 0, unchanged: 0 }, errors: o?.errors ?? [] }),
    ),
  exportCSV: (): Promise<string> => call(() => Mapping.ExportCSV()),
  /** Asks where to save the file and writes it; "" when the user cancels the dialog. */
  saveExport: (): Promise<string> => call(() => Mapping.SaveExport()),
  /** Maps the given suggested lines as their suggestions propose; each line that cannot be
   * (no single addition, a rule fails) is reported in failed, the others are saved. */
  acceptSuggestions: (items: AcceptItem[]): Promise<AcceptOutcome> =>
    call(() => Mapping.AcceptSuggestions(items)).then((o) => ({ accepted: o?.accepted ?? 0, failed: o?.failed ?? [] })),
  onChanged: (fn: () => void): (() => void) => onEvent(mappingEvents.changed, () => fn()),
};
