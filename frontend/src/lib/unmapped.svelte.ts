// The number on the sidebar's Mappings badge: site product lines waiting for a decision
// (unmapped, suggestions included). It reloads when mappings change and when either vendor's
// data is refreshed, since new GSM sites or changed agreements move it.
import { onEvent } from './api';
import { mappingApi, mappingEvents } from './mapping-api';

const reloadOn = [mappingEvents.changed, 'webroot:sites', 'manage:cache'] as const;

class Unmapped {
  /** null until known (or when it cannot be read, e.g. before both connections exist). */
  count = $state<number | null>(null);

  private timer: ReturnType<typeof setTimeout> | undefined;
  private users = 0;
  private providers = 0;
  private stops: (() => void)[] = [];
  private seq = 0;

  async refresh(): Promise<void> {
    const mine = ++this.seq;
    try {
      const n = await mappingApi.unmappedCount();
      if (mine === this.seq) this.count = n;
    } catch {
      if (mine === this.seq) this.count = null;
    }
  }

  /** A count the Mappings page just worked out from the rows it loaded. */
  set(n: number): void {
    this.seq++;
    clearTimeout(this.timer);
    this.count = n;
  }

  /** Reloads a moment after a burst of events (an import or bulk accept sends one per change).
   * Not while a provider (the Mappings page) is open: it reloads the rows anyway and sets the
   * count from them, so the backend is not asked twice. */
  schedule(ms = 250): void {
    clearTimeout(this.timer);
    if (this.providers > 0) return;
    this.timer = setTimeout(() => void this.refresh(), ms);
  }

  /** Called by a page that will set() the count after every change; returns the release. */
  provide(): () => void {
    this.providers++;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.providers--;
      }
    };
  }

  /** Starts following the events; returns the stop function. Safe to call more than once. */
  listen(): () => void {
    if (this.users++ === 0) {
      try {
        this.stops = reloadOn.map((name) => onEvent(name, () => this.schedule()));
      } catch {
        this.stops = []; // no runtime (unit tests): the count stays as last read
      }
      void this.refresh();
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--this.users === 0) {
        this.stops.forEach((s) => s());
        this.stops = [];
        clearTimeout(this.timer);
      }
    };
  }
}

export const unmapped = new Unmapped();
