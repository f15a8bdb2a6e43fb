import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import test from 'ava';

const startupDir = resolve(import.meta.dirname, '../../startup');
const scripts = readdirSync(startupDir)
  .filter((name) => name.endsWith('.sh'))
  .map((name) => join(startupDir, name));
const installed = spawnSync('shellcheck', ['--version']).status === 0;

if (installed) {
  for (const script of scripts) {
    test(`shellcheck finds nothing in startup/${script.slice(startupDir.length + 1)}`, (t) => {
      const result = spawnSync('shellcheck', ['--shell=bash', '--external-sources', script], { encoding: 'utf8' });
      t.is(result.status, 0, result.stdout + result.stderr);
    });
  }
} else {
  // CI installs Debian's shellcheck (.ci/run); a machine without it skips, visibly.
  console.log('shellcheck is not installed: skipping the shellcheck of startup/*.sh (apt-get install shellcheck)');
  test.skip('shellcheck finds nothing in startup/*.sh (shellcheck not installed)', () => {});
}

test('every startup script is bash with strict mode', (t) => {
  t.true(scripts.length > 0);
  for (const script of scripts) {
    const text = readFileSync(script, 'utf8');
    t.regex(text, /^#!\/usr\/bin\/env bash\n/, script);
    t.regex(text, /^set -euo pipefail$/m, script);
  }
});
