// Wraps the generated DesktopAPI bindings: the sync schedule, start at login, and the
// app:navigate / schedule:changed events from the tray and the scheduler.
import * as Desktop from '../../wailsjs/go/main/DesktopAPI';
import type { attention, main, notify, scheduler, syncer } from '../../wailsjs/go/models';
import { call, onEvent } from './api';
import { formatSoon } from './format';

export type Schedule = scheduler.Schedule;
export type ScheduleStatus = scheduler.Status;
export type ScheduleView = main.ScheduleView;
export type StartAtLoginStatus = main.StartAtLoginStatus;
export type NotificationPreferences = notify.Preferences;
export type NotificationsView = main.NotificationsView;
export type AttentionItem = attention.Item;

/** Labels of the notification preferences, as validation errors name them. */
export const NOTIFY_FIELDS = {
  syncFailed: 'Failed syncs',
  heldChanges: 'Changes awaiting review',
  credentialsRejected: 'Rejected credentials',
  newUnmappedSites: 'New unmapped sites',
  overSeatLimit: 'Sites over their seat limit',
  staleSync: 'No successful sync',
  staleDays: 'Days without a successful sync',
  digestEnabled: 'Email digest',
  digestRecipients: 'Digest recipients',
} as const;

/** Labels of the schedule's fields, as validation errors name them. */
export const SCHEDULE_FIELDS = {
  kind: 'Frequency',
  time: 'Time',
  weekday: 'Day of week',
  monthDay: 'Day of month',
} as const;

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export const desktopEvents = { navigate: 'app:navigate', schedule: 'schedule:changed', confirmQuit: 'app:confirm-quit' } as const;

/** The tray's Quit (or closing the window without a tray) while a sync runs: the sync's
 * progress comes with it (main.QuitPrompt). */
export interface QuitPrompt {
  progress: syncer.Progress;
}

export const desktopApi = {
  schedule: (): Promise<ScheduleView> => call(() => Desktop.Schedule()),
  saveSchedule: (s: Schedule): Promise<ScheduleView> => call(() => Desktop.SaveSchedule(s)),
  setPaused: (paused: boolean): Promise<ScheduleView> => call(() => Desktop.SetSchedulePaused(paused)),
  startAtLogin: (): Promise<StartAtLoginStatus> => call(() => Desktop.StartAtLogin()),
  setStartAtLogin: (on: boolean): Promise<StartAtLoginStatus> => call(() => Desktop.SetStartAtLogin(on)),
  notifications: (): Promise<NotificationsView> => call(() => Desktop.Notifications()),
  saveNotifications: (p: NotificationPreferences): Promise<NotificationsView> => call(() => Desktop.SaveNotifications(p)),
  testNotification: (): Promise<void> => call(() => Desktop.TestNotification()),
  attention: (): Promise<AttentionItem[]> => call(() => Desktop.Attention()).then((a) => a ?? []),
  /** Quits, unless a sync runs: then app:confirm-quit asks first and this returns true. */
  quit: (): Promise<boolean> => call(() => Desktop.Quit()),
  quitNow: (): Promise<void> => call(() => Desktop.QuitNow()),
  /** Quits once the running sync has finished; false when it quit at once. */
  quitAfterSync: (): Promise<boolean> => call(() => Desktop.QuitAfterSync()),
  keepRunning: (): Promise<void> => call(() => Desktop.KeepRunning()),
  onConfirmQuit: (fn: (p: QuitPrompt) => void): (() => void) => onEvent(desktopEvents.confirmQuit, fn),
  onNavigate: (fn: (page: string) => void): (() => void) => onEvent(desktopEvents.navigate, fn),
  onSchedule: (fn: (s: ScheduleStatus) => void): (() => void) => onEvent(desktopEvents.schedule, fn),
};

/** "Fri 4 Dec, 06:00" in the company's zone, or "" for no time. */
export function formatWhen(iso: string | undefined, timeZone: string): string {
  return formatSoon(iso, timeZone);
}
