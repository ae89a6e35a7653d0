// Applies the chosen theme to <html data-theme>; "system" follows the OS setting live.
import type { Theme } from './api';

const media = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

class ThemeState {
  choice = $state<Theme>('system');
  systemDark = $state(media?.matches ?? false);
  effective = $derived<'light' | 'dark'>(this.choice === 'system' ? (this.systemDark ? 'dark' : 'light') : this.choice);

  constructor() {
    media?.addEventListener('change', (e) => {
      this.systemDark = e.matches;
      this.apply();
    });
  }

  set(choice: Theme): void {
    this.choice = choice;
    this.apply();
  }

  apply(): void {
    if (typeof document !== 'undefined') document.documentElement.dataset.theme = this.effective;
  }
}

export const theme = new ThemeState();
