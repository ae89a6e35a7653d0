// Wraps the generated SyncAPI bindings: starting a sync or a dry run, its progress (the
// sync:progress and sync:done events, with progress() as the snapshot), reviewing held
// changes, history and the sync settings.
import * as Sync from '../../wailsjs/go/main/SyncAPI';
import type { syncer } from '../../wailsjs/go/models';
import { call, onEvent } from './api';

export type SyncChange = syncer.Change;
export type SyncRun = syncer.Run;
export type SyncCounts = syncer.Counts;
export type SyncProgress = syncer.Progress;
export type SyncSettings = syncer.Settings;

export interface SyncResult {
  run: SyncRun;
  changes: SyncChange[];
}

export interface Started {
  started: boolean;
  message: string;
}

export interface RunQuery {
  search?: string;
  trigger?: string;
  status?: string;
  /** Leave dry runs out. */
  realOnly?: boolean;
  limit?: number;
  offset?: number;
  /** Only runs older than this one: the page after a page that ended with it. */
  beforeId?: number;
}

export interface RunPage {
  runs: SyncRun[];
  /** Older runs follow. */
  more: boolean;
}

export interface ChangeQuery {
  runId?: number;
  additionId?: number;
  search?: string;
  state?: string;
  limit?: number;
  offset?: number;
}

export const syncEvents = { progress: 'sync:progress', done: 'sync:done' } as const;

/** Labels of the settings fields, as validation errors name them. */
export const SETTINGS_FIELDS = {
  autoApply: 'Apply automatically',
  reviewShare: 'Review threshold',
  requestsPerMinute: 'Requests per minute',
} as const;

function runQuery(q: RunQuery): syncer.RunQuery {
  return { search: '', trigger: '', status: '', realOnly: false, limit: 0, offset: 0, beforeId: 0, ...q } as syncer.RunQuery;
}

function result(r: { run: SyncRun; changes?: SyncChange[] | null }): SyncResult {
  return { run: r.run, changes: r.changes ?? [] };
}

export const syncApi = {
  start: (dryRun: boolean): Promise<Started> => call(() => Sync.Start(dryRun)),
  progress: (): Promise<SyncProgress> => call(() => Sync.Progress()),
  lastError: (): Promise<string> => call(() => Sync.LastError()),
  /** The newest run with its changes; null before the first sync. */
  latestRun: (): Promise<SyncResult | null> =>
    call(() => Sync.LatestRun()).then((l) => (l?.found ? result(l.result) : null)),
  getRun: (runId: number): Promise<SyncResult> => call(() => Sync.GetRun(runId)).then(result),
  approve: (runId: number, additionId: number): Promise<SyncChange> => call(() => Sync.Approve(runId, additionId)),
  adjust: (runId: number, additionId: number, quantity: number): Promise<SyncChange> =>
    call(() => Sync.Adjust(runId, additionId, quantity)),
  skip: (runId: number, additionId: number): Promise<SyncChange> => call(() => Sync.Skip(runId, additionId)),
  approveAll: (runId: number): Promise<number> => call(() => Sync.ApproveAll(runId)),
  applyApproved: (runId: number): Promise<Started> => call(() => Sync.ApplyApproved(runId)),
  runs: (q: RunQuery = {}): Promise<SyncRun[]> =>
    call(() => Sync.Runs(runQuery(q))).then((r) => r ?? []),
  /** One page of runs, newest first (q.limit of them), and whether older ones follow. */
  runsPage: (q: RunQuery = {}): Promise<RunPage> =>
    call(() => Sync.RunsPage(runQuery(q))).then((p) => ({ runs: p?.runs ?? [], more: !!p?.more })),
  changes: (q: ChangeQuery = {}): Promise<SyncChange[]> =>
    call(() =>
      Sync.Changes({ runId: 0, additionId: 0, search: '', state: '', limit: 0, offset: 0, ...q } as syncer.ChangeQuery),
    ).then((r) => r ?? []),
  timeline: (additionId: number): Promise<SyncChange[]> => call(() => Sync.Timeline(additionId)).then((r) => r ?? []),
  exportCSV: (): Promise<string> => call(() => Sync.ExportHistoryCSV()),
  /** Saves the history's CSV where the user chooses (native dialog); "" when cancelled. */
  saveHistoryExport: (): Promise<string> => call(() => Sync.SaveHistoryExport()),
  settings: (): Promise<SyncSettings> => call(() => Sync.Settings()),
  saveSettings: (s: SyncSettings): Promise<SyncSettings> =>
    call(() => Sync.SaveSettings(s.autoApply, s.reviewShare, s.requestsPerMinute)),
  onProgress: (fn: (p: SyncProgress) => void): (() => void) => onEvent(syncEvents.progress, fn),
  onDone: (fn: (p: SyncProgress) => void): (() => void) => onEvent(syncEvents.done, fn),
};
