// Saving an export (a CSV, the diagnostics report) through the native save dialog (a download does not work in the
// app's webview): the backend makes the file, asks where to save it and writes it; the page
// only says how it went.
import { toasts } from './toast.svelte';

export interface ExportWords {
  /** What the success toast says, with the file's path. */
  saved: (path: string) => string;
  /** What failed, before the reason: "The mappings were not exported". */
  failed: string;
}

/** Runs save (a SaveExport-style binding: the path, or "" when the user cancels) and
 * toasts the outcome; a cancel says nothing. Returns the path, "" when none. */
export async function saveExport(save: () => Promise<string>, words: ExportWords): Promise<string> {
  try {
    const path = await save();
    if (path) toasts.show('success', words.saved(path), 10000);
    return path;
  } catch (e) {
    toasts.error(`${words.failed}: ${(e as Error).message}`);
    return '';
  }
}
