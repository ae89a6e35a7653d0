import { describe, expect, it } from 'vitest';
import { href, resolve, routes } from '../lib/router.svelte';

describe('router', () => {
  it('resolves every route by its hash', () => {
    for (const r of routes) expect(resolve('#' + r.path).id).toBe(r.id);
  });
  it('sends unknown and empty hashes to the dashboard', () => {
    expect(resolve('').id).toBe('dashboard');
    expect(resolve('#/nowhere').id).toBe('dashboard');
  });
  it('builds links', () => {
    expect(href('configure-webroot')).toBe('#/configure/webroot');
  });
});
