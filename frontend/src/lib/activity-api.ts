// Wraps the generated ActivityAPI bindings: the activity log (who changed what), for admins.
import * as Activity from '../../wailsjs/go/main/ActivityAPI';
import type { activity, store } from '../../wailsjs/go/models';
import { call } from './api';

export type ActivityEntry = activity.Entry;
export type ActivityPage = activity.Page;

export const activityApi = {
  page: (q: Partial<store.AuditQuery>): Promise<ActivityPage> =>
    call(() => Activity.Page({ search: '', beforeId: 0, limit: 0, ...q } as store.AuditQuery)),
  /** Saves the entries matching search as CSV where the user chooses: the path, or "" when cancelled. */
  saveExport: (search: string): Promise<string> => call(() => Activity.SaveExport(search)),
};

/** The areas of the log, as the filter chips name them. */
export const AREA_LABELS: Record<string, string> = {
  account: 'Users',
  connections: 'Connections',
  mappings: 'Mappings',
  sync: 'Review',
  settings: 'Settings',
  other: 'Other',
};
