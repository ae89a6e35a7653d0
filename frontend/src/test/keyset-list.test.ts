import { describe, expect, it } from 'vitest';
import { KeysetList, type Page } from '../lib/keyset-list.svelte';

interface Item {
  id: number;
}

/** A fetch whose answers the test releases one by one. */
function controlled() {
  const calls: { limit: number; beforeId?: number; answer: (p: Page<Item>) => void }[] = [];
  const fetch = (limit: number, beforeId?: number) => new Promise<Page<Item>>((answer) => calls.push({ limit, beforeId, answer }));
  return { calls, fetch };
}

const ids = (from: number, n: number): Item[] => Array.from({ length: n }, (_, i) => ({ id: from - i }));

describe('KeysetList', () => {
  it('loads more after the last item, and an older reload answering late does not take the page away', async () => {
    const { calls, fetch } = controlled();
    const list = new KeysetList<Item>(fetch, 3, 'Older runs');
    const first = list.reload();
    calls[0]!.answer({ items: ids(10, 3), more: true });
    await first;
    expect(list.items.map((i) => i.id)).toEqual([10, 9, 8]);

    const slowReload = list.reload(); // e.g. after a sync, asks for 3
    const more = list.loadMore();
    expect(calls[2]).toMatchObject({ limit: 3, beforeId: 8 });
    calls[2]!.answer({ items: ids(7, 3), more: true });
    await more;
    calls[1]!.answer({ items: ids(11, 3), more: true }); // the reload answers last
    await slowReload;
    expect(list.items.map((i) => i.id)).toEqual([10, 9, 8, 7, 6, 5]);
  });

  it('a fresh reload shows no "nothing matches" until its answer, and drops answers to older requests', async () => {
    const { calls, fetch } = controlled();
    const list = new KeysetList<Item>(fetch, 3, 'Older entries');
    const a = list.reload(true);
    const b = list.reload(true);
    expect(list.loaded).toBe(false);
    calls[1]!.answer({ items: ids(3, 1), more: false });
    await b;
    calls[0]!.answer({ items: ids(50, 3), more: true }); // an older search answering late
    await a;
    expect(list.items.map((i) => i.id)).toEqual([3]);
    expect(list.loaded).toBe(true);
    expect(list.more).toBe(false);
  });
});
