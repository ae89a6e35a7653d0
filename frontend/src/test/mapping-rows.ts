// One unmapped Endpoint Protection row as MappingAPI.Rows() returns it; tests override what
// they are about.
import type { MappingRow } from '../lib/mapping-api';

export function mappingRow(over: Partial<MappingRow> = {}): MappingRow {
  return {
    siteId: 'S1',
    siteName: 'Site',
    comments: '',
    product: 'endpoint',
    productLabel: 'Endpoint Protection',
    counts: {},
    devicesAllowed: 0,
    suspended: false,
    deactivated: false,
    new: false,
    state: 'unmapped',
    mapping: null,
    companyName: '',
    agreementName: '',
    additionName: '',
    sharedCount: 0,
    problem: '',
    ...over,
  } as MappingRow;
}
