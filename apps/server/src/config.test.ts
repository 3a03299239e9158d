import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/doorstep');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  test('defaults give a local install on embedded PGlite in .doorstep', () => {
    const config = loadConfig({}, '/srv/doorstep');
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: null,
      dataDir: '/srv/doorstep/.doorstep',
      seed: 'demo',
      sessionIdleMinutes: 10,
      lockoutThreshold: 5,
      lockoutMinutes: 10,
      sessionSecret: null,
      dataKey: null,
    });
  });

  test('in production the demo district is loaded only when DOORSTEP_SEED=demo asks for it', () => {
    expect(loadConfig({ NODE_ENV: 'production' }, '/srv/doorstep').seed).toBe('none');
    expect(loadConfig({ NODE_ENV: 'production', DOORSTEP_SEED: 'demo' }, '/srv/doorstep').seed).toBe('demo');
    expect(loadConfig({ NODE_ENV: 'development' }, '/srv/doorstep').seed).toBe('demo');
  });

  test('a tile server for the base map: its template, datum, and its origin let through the CSP', () => {
    expect(loadConfig({}, '/srv/doorstep').tiles).toBeNull();
    const autonavi = loadConfig(
      {
        DOORSTEP_TILE_URL: 'https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}',
        DOORSTEP_TILE_CRS: 'GCJ02',
        DOORSTEP_TILE_SUBDOMAINS: '1234',
        DOORSTEP_TILE_ATTRIBUTION: '© 高德地图',
      },
      '/srv/doorstep',
    );
    expect(autonavi.tiles).toEqual({
      url: 'https://webrd0{s}.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}',
      crs: 'GCJ02',
      attribution: '© 高德地图',
      subdomains: '1234',
    });
    expect(autonavi.tileOrigins).toEqual(['https://*.is.autonavi.com']);
    const own = loadConfig(
      { DOORSTEP_TILE_URL: 'https://tiles.example.cn:8443/{z}/{x}/{y}.png' },
      '/srv/doorstep',
    );
    expect(own.tiles).toMatchObject({ crs: 'WGS84' });
    expect(own.tileOrigins).toEqual(['https://tiles.example.cn:8443']);
    expect(problems({ DOORSTEP_TILE_URL: 'https://tiles.example.cn/tile.png' }).join('\n')).toContain(
      'DOORSTEP_TILE_URL',
    );
    expect(
      problems({ DOORSTEP_TILE_URL: 'https://t.example.cn/{z}/{x}/{y}.png', DOORSTEP_TILE_CRS: 'BD09' }).join(
        '\n',
      ),
    ).toContain('DOORSTEP_TILE_CRS');
  });

  test('each bad value is reported with the name of its variable, all at once', () => {
    const found = problems({
      PORT: 'abc',
      DATABASE_URL: 'mysql://root@localhost/db',
      DOORSTEP_SEED: 'lots',
      DOORSTEP_LOCKOUT_THRESHOLD: '9',
      DOORSTEP_LOCKOUT_MINUTES: '2',
      DOORSTEP_DATA_KEY: 'c2hvcnQ=',
      DOORSTEP_SESSION_SECRET: 'short',
      DOORSTEP_DEMO_PASSWORD: 'demo',
      DOORSTEP_COOKIE_SECURE: 'maybe',
      DOORSTEP_OFFICE_HOURS: '18:00-09:00',
    });
    const joined = found.join('\n');
    for (const name of [
      'PORT',
      'DATABASE_URL',
      'DOORSTEP_SEED',
      'DOORSTEP_LOCKOUT_THRESHOLD',
      'DOORSTEP_LOCKOUT_MINUTES',
      'DOORSTEP_DATA_KEY',
      'DOORSTEP_SESSION_SECRET',
      'DOORSTEP_DEMO_PASSWORD',
      'DOORSTEP_COOKIE_SECURE',
      'DOORSTEP_OFFICE_HOURS',
    ]) {
      expect(joined).toContain(name);
    }
    expect(found).toHaveLength(10);
  });

  test('a PostgreSQL URL, a hex data key and a relative data folder are accepted', () => {
    const config = loadConfig(
      {
        DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/doorstep',
        DOORSTEP_DATA_KEY: 'ab'.repeat(32),
        DOORSTEP_DATA_DIR: 'var/data',
        PORT: '8080',
        DOORSTEP_OFFICE_HOURS: '09:00-12:00, 13:30-18:00',
      },
      '/srv/doorstep',
    );
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/doorstep');
    expect(config.dataKey?.length).toBe(32);
    expect(config.dataDir).toBe('/srv/doorstep/var/data');
    expect(config.port).toBe(8080);
    expect(config.officeHours).toEqual(['09:00-12:00', '13:30-18:00']);
  });
});
