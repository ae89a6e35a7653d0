// Transient messages in the corner: confirmations and errors that are not tied to a field.
export type ToastKind = 'success' | 'error' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

class Toasts {
  items = $state<Toast[]>([]);
  /**
   * The open modal dialogs, innermost last. A modal <dialog> sits in the browser's top
   * layer, above any z-index, and makes the rest of the page inert; so while one is open
   * the toasts are shown inside it (see Dialog), where they are seen and can be dismissed.
   */
  modals = $state<string[]>([]);
  private next = 1;

  /** Where the toasts are shown: the innermost open dialog's id, or null for the page. */
  get host(): string | null {
    return this.modals.at(-1) ?? null;
  }

  /** A modal dialog opened: the toasts move into it. */
  enterModal(id: string): void {
    this.modals = [...this.modals.filter((m) => m !== id), id];
  }

  /** A modal dialog closed: the toasts go back where they were. */
  leaveModal(id: string): void {
    if (this.modals.includes(id)) this.modals = this.modals.filter((m) => m !== id);
  }

  show(kind: ToastKind, message: string, timeoutMs = kind === 'error' ? 8000 : 4000): number {
    const id = this.next++;
    this.items.push({ id, kind, message });
    if (timeoutMs > 0) setTimeout(() => this.dismiss(id), timeoutMs);
    return id;
  }

  success(message: string): number {
    return this.show('success', message);
  }

  error(message: string): number {
    return this.show('error', message);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
