import { describe, expect, it, vi } from 'vitest';

vi.mock('../../wailsjs/go/main/App', () => ({
  About: vi.fn(),
  GetPreferences: vi.fn(),
  SetTheme: vi.fn(),
}));
vi.mock('../../wailsjs/runtime/runtime', () => ({ EventsOn: vi.fn(() => () => {}) }));

import * as App from '../../wailsjs/go/main/App';
import { api, ApiError, toApiError } from '../lib/api';

describe('toApiError', () => {
  it('keeps field errors from the backend ErrorFormatter payload', () => {
    const e = toApiError({ message: 'Please correct the highlighted fields.', fields: [{ field: 'Company Name', message: 'is required' }] });
    expect(e).toBeInstanceOf(ApiError);
    expect(e.message).toBe('Please correct the highlighted fields.');
    expect(e.field('Company Name')).toBe('is required');
    expect(e.field('Your Name')).toBeUndefined();
  });

  it('parses a JSON string and falls back to plain text', () => {
    expect(toApiError('{"message":"boom"}').message).toBe('boom');
    expect(toApiError('plain failure').message).toBe('plain failure');
    expect(toApiError(new Error('native')).message).toBe('native');
    expect(toApiError(undefined).message).toMatch(/try again/);
  });
});

describe('api wrapper', () => {
  it('rejects with ApiError when a binding fails', async () => {
    vi.mocked(App.SetTheme).mockRejectedValueOnce({ message: 'Theme: "x" is not a theme', fields: [{ field: 'Theme', message: 'bad' }] });
    await expect(api.setTheme('dark')).rejects.toMatchObject({ name: 'ApiError', fields: [{ field: 'Theme', message: 'bad' }] });
  });

  it('passes results through', async () => {
    vi.mocked(App.GetPreferences).mockResolvedValueOnce({ theme: 'dark' } as never);
    await expect(api.preferences()).resolves.toEqual({ theme: 'dark' });
  });
});
