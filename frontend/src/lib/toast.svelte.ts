// Transient messages in the corner: confirmations and errors that are not tied to a field.
export type ToastKind = 'success' | 'error' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

class Toasts {
  items = $state<Toast[]>([]);
  private next = 1;

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
