// Wraps the generated ManageAPI bindings: the ConnectWise Manage connection's settings, its
// test, the cached companies/agreements/additions/catalog and the dashboard state. Long work
// (test, refresh) returns at once and reports through the events below; each has a snapshot
// getter for pages opened mid-way. The private key never comes back: only privateKeySaved.
import * as Manage from '../../wailsjs/go/main/ManageAPI';
import type { manageconn } from '../../wailsjs/go/models';
import { call, onEvent } from './api';

export type ManageConfig = manageconn.ConfigView;
export type ManageConfigInput = manageconn.ConfigInput;
export type ManageSaveResult = manageconn.SaveResult;
export type ManageActivity = manageconn.Activity;
export type ManageTestOutcome = manageconn.TestOutcome;
export type ManageRefreshOutcome = manageconn.RefreshOutcome;
export type ManageStatus = manageconn.Status;
export type ManageCacheSummary = manageconn.CacheSummary;
export type ManageCounts = manageconn.Counts;
export type ManageCompany = manageconn.Company;
export type ManageAgreement = manageconn.Agreement;
export type ManageAddition = manageconn.Addition;
export type ManageCatalogItem = manageconn.CatalogItem;

export const manageEvents = {
  activity: 'manage:activity',
  status: 'manage:status',
  cache: 'manage:cache',
} as const;

export const manageApi = {
  config: (): Promise<ManageConfig> => call(() => Manage.GetConfig()),
  /** Validates and saves; an empty Private Key keeps the saved one, an empty Client ID means the default. */
  save: (input: ManageConfigInput): Promise<ManageSaveResult> => call(() => Manage.SaveConfig(input)),
  /** Starts the connection test (then a cache refresh when it passes); returns at once. */
  test: (): Promise<ManageActivity> => call(() => Manage.TestConnection()),
  /** Starts re-reading companies, agreements, additions and the catalog; returns at once. */
  refresh: (): Promise<ManageActivity> => call(() => Manage.Refresh()),
  activity: (): Promise<ManageActivity> => call(() => Manage.Activity()),
  status: (): Promise<ManageStatus> => call(() => Manage.Status()),
  cache: (): Promise<ManageCacheSummary> => call(() => Manage.CacheSummary()),

  // Readers of the cache, for the mapping pickers.
  companies: (search = ''): Promise<ManageCompany[]> => call(() => Manage.Companies(search)),
  agreements: (companyId: number, includeBlocked = false): Promise<ManageAgreement[]> =>
    call(() => Manage.Agreements(companyId, includeBlocked)),
  additions: (agreementId: number): Promise<ManageAddition[]> => call(() => Manage.Additions(agreementId)),
  catalog: (includeInactive = false): Promise<ManageCatalogItem[]> => call(() => Manage.Catalog(includeInactive)),
  /** Opt-in: adds a catalog product (quantity 0) to an agreement so a site can be mapped to it. */
  createAddition: (agreementId: number, catalogId: number): Promise<ManageAddition> => call(() => Manage.CreateAddition(agreementId, catalogId)),

  onActivity: (fn: (a: ManageActivity) => void): (() => void) => onEvent(manageEvents.activity, fn),
  onStatus: (fn: (s: ManageStatus) => void): (() => void) => onEvent(manageEvents.status, fn),
  onCache: (fn: (c: ManageCacheSummary) => void): (() => void) => onEvent(manageEvents.cache, fn),
};
