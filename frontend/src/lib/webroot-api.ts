// Wraps the generated WebrootAPI bindings: the Webroot GSM connection's settings, its test,
// the cached sites and the dashboard state. Long work (test, refresh) returns at once and
// reports through the events below; each has a snapshot getter for pages opened mid-way.
import * as Webroot from '../../wailsjs/go/main/WebrootAPI';
import type { webrootconn } from '../../wailsjs/go/models';
import { call, onEvent } from './api';

export type WebrootConfig = webrootconn.ConfigView;
export type WebrootConfigInput = webrootconn.ConfigInput;
export type WebrootSaveResult = webrootconn.SaveResult;
export type WebrootActivity = webrootconn.Activity;
export type WebrootTestOutcome = webrootconn.TestOutcome;
export type WebrootRefreshOutcome = webrootconn.RefreshOutcome;
export type WebrootStatus = webrootconn.Status;
export type WebrootSiteList = webrootconn.SiteList;
export type WebrootSite = webrootconn.Site;
export type WebrootBasis = webrootconn.BasisInfo;

/** Payload of webroot:sites. */
export interface WebrootSitesChanged {
  refreshedAt: string;
  siteCount: number;
  newSites: number;
}

export const webrootEvents = {
  activity: 'webroot:activity',
  status: 'webroot:status',
  sites: 'webroot:sites',
} as const;

export const webrootApi = {
  config: (): Promise<WebrootConfig> => call(() => Webroot.GetConfig()),
  /** Validates and saves; an empty Client Secret or Admin Password keeps the saved one. */
  save: (input: WebrootConfigInput): Promise<WebrootSaveResult> => call(() => Webroot.SaveConfig(input)),
  /** Starts the connection test (then a site refresh when it passes); returns at once. */
  test: (): Promise<WebrootActivity> => call(() => Webroot.TestConnection()),
  /** Starts re-reading the sites and their counts; returns at once. */
  refresh: (): Promise<WebrootActivity> => call(() => Webroot.RefreshSites()),
  activity: (): Promise<WebrootActivity> => call(() => Webroot.Activity()),
  sites: (): Promise<WebrootSiteList> => call(() => Webroot.Sites()),
  status: (): Promise<WebrootStatus> => call(() => Webroot.Status()),
  /** Reads a site's device list (every endpoint) and saves it as CSV through the native
   * save dialog: the path, or "" when the user cancels. */
  saveDeviceList: (siteId: string): Promise<string> => call(() => Webroot.SaveDeviceList(siteId)),

  onActivity: (fn: (a: WebrootActivity) => void): (() => void) => onEvent(webrootEvents.activity, fn),
  onStatus: (fn: (s: WebrootStatus) => void): (() => void) => onEvent(webrootEvents.status, fn),
  onSites: (fn: (s: WebrootSitesChanged) => void): (() => void) => onEvent(webrootEvents.sites, fn),
};
