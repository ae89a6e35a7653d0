// A list read a page at a time, newest first, the way History and Activity page through runs
// and entries: reload from the newest (keeping as many as are shown), "Load more" after the
// last one by id. Each request is numbered, and an answer to anything but the latest is
// dropped, so an older search, filter or reload can neither overwrite nor extend the list.
import { toasts } from './toast.svelte';

export interface Page<T> {
  items: T[];
  more: boolean;
}

/** fetch reads up to limit items, only those older than beforeId when it is given. */
export type PageFetch<T> = (limit: number, beforeId?: number) => Promise<Page<T>>;

export class KeysetList<T extends { id: number }> {
  items = $state<T[]>([]);
  more = $state(false);
  loaded = $state(false);
  loadingMore = $state(false);
  error = $state('');
  #request = 0;

  /** what names the items in the "could not be loaded" message: "Older runs". */
  constructor(
    private readonly fetch: PageFetch<T>,
    private readonly pageSize: number,
    private readonly what: string,
  ) {}

  /** Reads from the newest again; fresh starts from one page instead of as many as shown. */
  async reload(fresh = false): Promise<void> {
    if (fresh) {
      this.items = [];
      this.loaded = false; // no "nothing matches" while the new answer is on its way
    }
    const mine = ++this.#request;
    try {
      const page = await this.fetch(Math.max(this.pageSize, this.items.length));
      if (mine !== this.#request) return;
      this.items = page.items;
      this.more = page.more;
      this.error = '';
    } catch (e) {
      if (mine === this.#request) this.error = (e as Error).message;
    } finally {
      this.loaded = true;
    }
  }

  /** Appends the next page of older items. */
  async loadMore(): Promise<void> {
    const last = this.items[this.items.length - 1];
    if (!last) return;
    this.loadingMore = true;
    // Numbered too: a reload asked before this page (it asked for fewer items) must not
    // replace the longer list when it answers last; a newer reload drops this page.
    const mine = ++this.#request;
    try {
      const page = await this.fetch(this.pageSize, last.id);
      if (mine !== this.#request) return;
      const have = new Set(this.items.map((i) => i.id));
      this.items = [...this.items, ...page.items.filter((i) => !have.has(i.id))];
      this.more = page.more;
    } catch (e) {
      toasts.error(`${this.what} could not be loaded: ${(e as Error).message}`);
    } finally {
      this.loadingMore = false;
    }
  }
}
