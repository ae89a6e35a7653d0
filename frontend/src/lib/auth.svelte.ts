// Who is logged in, whether the window is locked, and the idle timer that locks it.
import { accountApi, type AuthState, type User } from './account-api';
import { onEvent } from './api';
import { router } from './router.svelte';

class Auth {
  state = $state<AuthState | null>(null);
  locked = $state(false);
  /** An account link that arrived from the OS (second launch or first start). */
  incomingLink = $state('');
  loadError = $state('');
  user = $derived<User | null>(this.state?.user ?? null);
  isAdmin = $derived(this.user?.role === 'admin');

  private timer: ReturnType<typeof setTimeout> | undefined;
  private listening = false;

  async refresh(): Promise<void> {
    try {
      this.state = await accountApi.state();
      this.loadError = '';
      if (this.state.pendingLink) this.incomingLink = await accountApi.takePendingLink();
    } catch (e) {
      this.loadError = (e as Error).message;
    }
    this.armIdleTimer();
  }

  /** Starts listening for links and user activity; call once from the root component. */
  listen(): () => void {
    if (this.listening) return () => {};
    this.listening = true;
    const offLink = onEvent<string>('account:link', async (link) => {
      this.incomingLink = link;
      await accountApi.takePendingLink();
    });
    const activity = (): void => this.armIdleTimer();
    const events = ['mousemove', 'mousedown', 'keydown', 'wheel', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, activity, { passive: true });
    return () => {
      offLink();
      for (const e of events) window.removeEventListener(e, activity);
      clearTimeout(this.timer);
      this.listening = false;
    };
  }

  armIdleTimer(): void {
    clearTimeout(this.timer);
    const minutes = this.state?.idleLockMinutes ?? 0;
    if (!this.user || this.locked || minutes <= 0) return;
    this.timer = setTimeout(() => (this.locked = true), minutes * 60_000);
  }

  loggedIn(user: User): void {
    if (this.state) this.state.user = user;
    this.locked = false;
    void this.refresh();
  }

  async logout(): Promise<void> {
    await accountApi.logout();
    this.locked = false;
    // The next person starts on the dashboard, not on the page the last one left open.
    router.go('dashboard');
    await this.refresh();
  }
}

export const auth = new Auth();
