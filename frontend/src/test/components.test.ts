import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import FieldHarness from './FieldHarness.svelte';
import TableHarness from './TableHarness.svelte';
import DialogHarness from './DialogHarness.svelte';
import { toasts } from '../lib/toast.svelte';
import Toaster from '../lib/components/ui/Toaster.svelte';

describe('Field', () => {
  it('ties the label to the input and announces the error', () => {
    render(FieldHarness, { label: 'Company Name', error: 'Enter your company name.' });
    const input = screen.getByLabelText(/Company Name/);
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('Enter your company name.');
    expect(screen.getByRole('alert')).toHaveTextContent('Enter your company name.');
  });

  it('shows the hint when there is no error', () => {
    render(FieldHarness, { label: 'Site', hint: 'For example na.myconnectwise.net' });
    expect(screen.getByLabelText('Site')).toHaveAccessibleDescription('For example na.myconnectwise.net');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('DataTable', () => {
  it('sorts by a column, numbers numerically, and toggles direction', async () => {
    const user = userEvent.setup();
    render(TableHarness);
    const names = () => screen.getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell')[0]?.textContent);
    expect(names()).toEqual(['Contoso', 'acme', 'Beta']);
    await user.click(screen.getByRole('button', { name: /Seats/ }));
    expect(names()).toEqual(['Beta', 'Contoso', 'acme']);
    expect(screen.getByRole('columnheader', { name: /Seats/ })).toHaveAttribute('aria-sort', 'ascending');
    await user.click(screen.getByRole('button', { name: /Seats/ }));
    expect(names()).toEqual(['acme', 'Contoso', 'Beta']);
    await user.click(screen.getByRole('button', { name: /Name/ }));
    expect(names()).toEqual(['acme', 'Beta', 'Contoso']);
  });

  it('shows the empty state when there are no rows', () => {
    render(TableHarness, { empty: true });
    expect(screen.getByText('No sites yet.')).toBeInTheDocument();
  });
});

describe('Dialog', () => {
  it('opens with its title and closes from the close button', async () => {
    const user = userEvent.setup();
    render(DialogHarness);
    await user.click(screen.getByRole('button', { name: 'Open' }));
    expect(screen.getByRole('dialog', { name: 'Confirm' })).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Close' }));
    expect(screen.getByTestId('state')).toHaveTextContent('closed');
  });
});

describe('Toaster', () => {
  it('shows errors as alerts and dismisses them', async () => {
    const user = userEvent.setup();
    render(Toaster);
    toasts.error('The theme was not saved');
    expect(await screen.findByRole('alert')).toHaveTextContent('The theme was not saved');
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows the toasts inside an open dialog (the top layer) and back on the page after', async () => {
    const user = userEvent.setup();
    render(Toaster);
    render(DialogHarness);
    toasts.success('Saved before');
    const onPage = await screen.findByRole('status');
    expect(onPage.closest('dialog')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Open' }));
    const dialog = screen.getByRole('dialog', { name: 'Confirm' });
    toasts.error('Saved inside');
    // One toaster at a time, the dialog's: both toasts are in it.
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Saved inside');
    expect(within(dialog).getByRole('status')).toHaveTextContent('Saved before');
    expect(screen.getAllByTestId('toaster')).toHaveLength(1);
    await user.click(within(dialog).getAllByRole('button', { name: 'Dismiss' })[1]!);
    expect(screen.queryByRole('alert')).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Close' }));
    const back = screen.getByRole('status');
    expect(back).toHaveTextContent('Saved before');
    expect(back.closest('dialog')).toBeNull();
    toasts.items = [];
  });
});
