// The state and the logic the Configure pages (ConnectWise, Webroot) share: the saved
// settings, the connection's status, the background job (test or refresh) as its events
// report it, and the form's save-then-test. Each page keeps its own form, its labels and its
// words, and passes them in.
import { tick } from 'svelte';
import { ApiError } from '../../api';
import { toasts } from '../../toast.svelte';
import type { Fact } from './Facts.svelte';
import { formatWhen, type ConnectionStateName, type ConnectionStep } from './connection';

export interface TestLike {
  ok: boolean;
  summary: string;
  steps: { title: string; status: string; kind?: string }[];
  /** The form label the failure points at. */
  field?: string;
  testedAt: string;
}

export interface ActivityLike {
  id: number;
  kind: string;
  running: boolean;
  phase: string;
  test?: TestLike;
  refresh?: { ok: boolean; message?: string };
  error?: string;
}

export interface StatusLike {
  state: string;
  checkedAt?: string;
}

/** A connection's API module (manageApi, webrootApi), as far as the page uses it. */
export interface ConnectionApi<
  C extends { configured: boolean },
  I,
  Sv extends { config: C; changed: string[] },
  A extends ActivityLike,
  S extends StatusLike,
> {
  config(): Promise<C>;
  save(input: I): Promise<Sv>;
  test(): Promise<A>;
  refresh(): Promise<A>;
  activity(): Promise<A>;
  status(): Promise<S>;
  onActivity(fn: (a: A) => void): () => void;
  onStatus(fn: (s: S) => void): () => void;
}

export interface PageOptions<C, I, Sv, A extends ActivityLike> {
  /** Puts saved settings into the form. */
  fill: (config: C) => void;
  /** The form as it would be saved, and whether it differs from the saved settings. */
  input: () => I;
  dirty: () => boolean;
  /** The toast after a save that changed something. */
  saved: (res: Sv) => string;
  /** The toast after a good refresh; notRefreshed starts the words for a failed one. */
  refreshed: (refresh: NonNullable<A['refresh']>) => string;
  notRefreshed: string;
  /** What a failed test asks the user to fix, by error kind, shown under the field it blames. */
  fieldHints: Record<string, string>;
  /** A backend field message as it reads under its field. */
  sentence: (message: string) => string;
  /** Called when a save is refused with field errors, before the first is focused. */
  onFieldErrors?: (errors: Record<string, string>) => void;
}

/** What SettingsCard uses of a ConnectionPage. */
export interface SettingsFormState {
  readonly config: { configured: boolean } | null;
  readonly formError: string;
  readonly saving: boolean;
  readonly running: boolean;
  readonly testRunning: boolean;
  submit(e: SubmitEvent): Promise<void>;
  discard(): void;
}

/** What ConnectionCard uses of a ConnectionPage. */
export interface ConnectionResultState {
  readonly testing: boolean;
  readonly test: { ok: boolean; summary: string; steps: ConnectionStep[] } | undefined;
  readonly failedStep: { title: string } | undefined;
  readonly activity: { error?: string } | null;
  readonly status: { state: string; summary: string; failingSince?: string; problem?: string } | null;
}

export class ConnectionPage<
  C extends { configured: boolean },
  I,
  Sv extends { config: C; changed: string[] },
  A extends ActivityLike,
  S extends StatusLike,
> {
  config = $state<C | null>(null);
  status = $state<S | null>(null);
  activity = $state<A | null>(null);
  /** Validation errors of the last save, by form label. */
  fieldErrors = $state<Record<string, string>>({});
  formError = $state('');
  loadError = $state('');
  saving = $state(false);

  readonly running = $derived(this.activity?.running ?? false);
  /** A test job is running (a test, then the refresh after it when it passes). */
  readonly testRunning = $derived(this.running && this.activity?.kind === 'test');
  /** A test is running and has not passed yet (the refresh after it has not begun). */
  readonly testing = $derived(this.running && this.activity?.phase === 'testing');
  readonly test = $derived(this.activity?.kind === 'test' ? (this.activity.test as A['test']) : undefined);
  readonly refresh = $derived(this.activity?.refresh as A['refresh']);
  readonly pillState = $derived<ConnectionStateName | string>(this.testing ? 'testing' : (this.status?.state ?? 'not_configured'));
  readonly failedStep = $derived(this.test && !this.test.ok ? this.test.steps.find((s) => s.status === 'failed') : undefined);

  private readonly api: ConnectionApi<C, I, Sv, A, S>;
  private readonly opts: PageOptions<C, I, Sv, A>;

  constructor(api: ConnectionApi<C, I, Sv, A, S>, opts: PageOptions<C, I, Sv, A>) {
    this.api = api;
    this.opts = opts;
  }

  /** Subscribes to the connection's events and loads the page; returns what onMount returns.
   * subscriptions are the page's own; loaded receives the first status. */
  mount(more: { subscriptions?: (() => void)[]; loaded?: (status: S) => void } = {}): () => void {
    const stops = [
      this.api.onActivity((a) => this.accept(a)),
      this.api.onStatus((s) => (this.status = s)),
      ...(more.subscriptions ?? []),
    ];
    Promise.all([this.api.config(), this.api.status(), this.api.activity()]).then(
      ([c, s, a]) => {
        this.load(c);
        this.status = s;
        more.loaded?.(s);
        if (a.id > 0) this.accept(a);
      },
      (e: Error) => (this.loadError = e.message),
    );
    return () => stops.forEach((stop) => stop());
  }

  /** Takes saved settings, into the form too. */
  load(c: C): void {
    this.config = c;
    this.opts.fill(c);
  }

  /** Puts the saved settings back into the form. */
  discard(): void {
    if (!this.config) return;
    this.fieldErrors = {};
    this.load(this.config);
  }

  /** Takes an activity snapshot or event, never letting an older one replace a newer one. */
  accept(a: A): void {
    const cur = this.activity;
    if (cur && (a.id < cur.id || (a.id === cur.id && !cur.running && a.running))) return;
    const finished = cur?.running && cur.id === a.id && !a.running;
    this.activity = a;
    if (finished) this.announce(a);
  }

  private announce(a: A): void {
    if (a.error) {
      toasts.error(a.error);
      return;
    }
    if (a.kind === 'test' && a.test && !a.test.ok) return; // shown beside the form
    const refresh = a.refresh as A['refresh'];
    if (refresh?.ok) {
      toasts.success(this.opts.refreshed(refresh));
    } else if (refresh) {
      toasts.error(this.notRefreshed(refresh));
    }
  }

  /** The words for a failed refresh. */
  notRefreshed(refresh: { message?: string }): string {
    return `${this.opts.notRefreshed}: ${refresh.message}`;
  }

  /** The error to show under a field: the save's, or the failed test's while it blames it. */
  errorFor(label: string): string | undefined {
    if (this.fieldErrors[label]) return this.opts.sentence(this.fieldErrors[label]);
    // Point at the field a failed test blames, until the user edits the form.
    const test = this.test;
    if (!this.opts.dirty() && !this.running && test && !test.ok && test.field === label) {
      return (this.failedStep?.kind && this.opts.fieldHints[this.failedStep.kind]) || test.summary;
    }
    return undefined;
  }

  /** The form's submit: saves what changed, then starts the test. */
  async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.running || this.saving) return;
    this.fieldErrors = {};
    this.formError = '';
    this.saving = true;
    try {
      if (this.opts.dirty()) {
        const res = await this.api.save(this.opts.input());
        this.load(res.config);
        if (res.changed.length > 0) toasts.success(this.opts.saved(res));
      }
      this.accept(await this.api.test());
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError((err as Error).message);
      if (apiErr.fields.length > 0) {
        this.fieldErrors = Object.fromEntries(apiErr.fields.map((f) => [f.field, f.message]));
        this.opts.onFieldErrors?.(this.fieldErrors);
        await tick();
        document.querySelector<HTMLElement>('form [aria-invalid="true"]')?.focus();
      } else {
        this.formError = apiErr.message;
      }
    } finally {
      this.saving = false;
    }
  }

  /** Starts a refresh of the cached data. */
  async startRefresh(): Promise<void> {
    try {
      this.accept(await this.api.refresh());
    } catch (e) {
      toasts.error((e as Error).message);
    }
  }

  /** What the connection proved, from a passing test, else from the status while connected
   * or failing, with when it was last checked. describe lists the facts of one source, none
   * when it says too little. */
  facts(describe: (src: NonNullable<A['test']> | S) => Fact[]): Fact[] {
    const test = this.test;
    const status = this.status;
    const src = test?.ok ? test : status?.state === 'connected' || status?.state === 'failing' ? status : undefined;
    if (!src) return [];
    const out = describe(src);
    if (out.length === 0) return out;
    const checked = test?.testedAt ?? status?.checkedAt;
    if (checked) out.push({ label: 'Last checked', value: formatWhen(checked) });
    return out;
  }
}
