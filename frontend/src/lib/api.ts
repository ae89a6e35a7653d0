// The only module that talks to the Go backend. Pages import from here, never from wailsjs,
// so the bindings can be mocked in unit tests and errors always arrive in one shape.
import * as App from '../../wailsjs/go/main/App';
import { EventsOn } from '../../wailsjs/runtime/runtime';
import type { backup, install, settings } from '../../wailsjs/go/models';

export type About = install.About;
export type BackupInfo = backup.Info;
export type Preferences = settings.Preferences;
export type Theme = 'system' | 'light' | 'dark';

export interface FieldError {
  field: string;
  message: string;
}

/** A failed backend call: a message for a toast or banner, and per-field problems for forms. */
export class ApiError extends Error {
  readonly fields: FieldError[];
  constructor(message: string, fields: FieldError[] = []) {
    super(message);
    this.name = 'ApiError';
    this.fields = fields;
  }
  /** The message for one form field, by its label, if the backend named it. */
  field(label: string): string | undefined {
    return this.fields.find((f) => f.field === label)?.message;
  }
}

/** Turns whatever a binding rejected with (the ErrorFormatter payload, a string) into ApiError. */
export function toApiError(raw: unknown): ApiError {
  if (raw instanceof ApiError) return raw;
  if (raw && typeof raw === 'object' && 'message' in raw) {
    const r = raw as { message: unknown; fields?: unknown };
    const fields = Array.isArray(r.fields) ? (r.fields as FieldError[]) : [];
    return new ApiError(String(r.message), fields);
  }
  if (typeof raw === 'string') {
    try {
      return toApiError(JSON.parse(raw));
    } catch {
      return new ApiError(raw);
    }
  }
  if (raw instanceof Error) return new ApiError(raw.message);
  return new ApiError('Something went wrong. Please try again.');
}

export async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toApiError(e);
  }
}

export const api = {
  about: (): Promise<About> => call(() => App.About()),
  preferences: (): Promise<Preferences> => call(() => App.GetPreferences()),
  setTheme: (theme: Theme): Promise<void> => call(() => App.SetTheme(theme)),
  launchDemo: (): Promise<void> => call(() => App.LaunchDemo()),
  /** Backs the database up to a file the admin chooses (path "" when cancelled). */
  backUpData: (): Promise<BackupInfo> => call(() => App.BackUpData()),
  /** Saves a support report where the user chooses: the path, or "" when cancelled. */
  saveDiagnostics: (): Promise<string> => call(() => App.SaveDiagnostics()),
};

/** Subscribes to a backend event; returns the unsubscribe function. */
export function onEvent<T>(name: string, handler: (payload: T) => void): () => void {
  return EventsOn(name, (payload: T) => handler(payload));
}
