import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('WS_ALLOWED_ORIGINS', () => {
  it('is a list of origins (normalised as browsers send them) or *, empty by default', () => {
    expect(loadConfig({}).wsAllowedOrigins).toEqual([]);
    expect(loadConfig({ WS_ALLOWED_ORIGINS: 'https://App.Example.com, http://localhost:3000,https://x.example:443' }).wsAllowedOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
      'https://x.example',
    ]);
    expect(loadConfig({ WS_ALLOWED_ORIGINS: '*' }).wsAllowedOrigins).toEqual(['*']);
  });

  it('refuses anything that is not an origin: a path, another scheme, a bare host', () => {
    for (const bad of ['https://app.example.com/app', 'ftp://x.example', 'app.example.com', 'https://x.example?q']) {
      expect(() => loadConfig({ WS_ALLOWED_ORIGINS: bad }), bad).toThrow(/WS_ALLOWED_ORIGINS/);
    }
  });
});
