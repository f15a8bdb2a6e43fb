import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { startFakeMetadata } from './support/fake-metadata.ts';
import { buildFakeTarball, runnerArch, startFakeReleases } from './support/fake-runner.ts';
import { makeSandbox, removeRunnerUser, runStartup } from './support/run-startup.ts';

test.after.always(removeRunnerUser);

/** Commands bake mode runs that must not touch this machine: they record their arguments. */
function fakeCommands(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const command of ['apt-get', 'systemctl']) {
    writeFileSync(join(bin, command), `#!/usr/bin/env bash\necho "${command} $*" >>"${dir}/commands.log"\n`);
    chmodSync(join(bin, command), 0o755);
  }
  return bin;
}

/** A root file system as a VM has it before the bake cleans it. */
function fakeRoot(dir: string): string {
  const root = join(dir, 'root');
  const files: Record<string, string> = {
    'etc/machine-id': '5f1c0e3b2a9d4c7e8f6a1b2c3d4e5f60\n',
    'etc/ssh/ssh_host_ed25519_key': 'private',
    'etc/ssh/ssh_host_ed25519_key.pub': 'public',
    'etc/ssh/sshd_config': 'PermitRootLogin no\n',
    'var/log/syslog': 'boot messages\n',
    'var/log/journal/abc/system.journal': 'journal',
    'var/lib/apt/lists/archive.ubuntu.com_dists_noble_InRelease': 'lists',
    'tmp/leftover': 'x',
  };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

test.serial('bake mode installs the packages and the runner of the metadata version, cleans what VMs must not share, and powers off', async (t) => {
  const sandbox = makeSandbox();
  t.teardown(sandbox.cleanup);
  const tarball = buildFakeTarball(sandbox.dir, '9.9.9');
  const root = fakeRoot(sandbox.dir);
  const metadata = await startFakeMetadata({
    attributes: { 'runner-bake': 'true', 'runner-version': '9.9.9', [`runner-sha256-${runnerArch}`]: tarball.sha256, 'bake-packages': 'git docker.io' },
  });
  const releases = await startFakeReleases({ '9.9.9': tarball.path });
  t.teardown(async () => (await metadata.close(), await releases.close()));

  const run = await runStartup(sandbox, {
    metadataUrl: metadata.url,
    downloadUrl: releases.url,
    mode: 'job',
    pathPrefix: fakeCommands(sandbox.dir),
    env: { BAKE_CLEAN_ROOT: root },
  });

  t.regex(run.output, /bake: done \(runner 9\.9\.9\)/);
  t.deepEqual(run.poweroffs, ['no-job'], 'powered off once, with no runner started');
  t.is(run.record, null);
  const commands = readFileSync(join(sandbox.dir, 'commands.log'), 'utf8');
  t.regex(commands, /^apt-get install -y -q --no-install-recommends git docker\.io$/m);
  t.regex(commands, /^systemctl disable --now apt-daily\.timer apt-daily-upgrade\.timer unattended-upgrades\.service$/m);
  t.is(readFileSync(join(sandbox.runnerHome, '.runner-version'), 'utf8'), '9.9.9\n');
  t.true(existsSync(join(sandbox.dir, 'dependencies-installed')), 'boots from the image skip installdependencies.sh');
  t.is(readFileSync(join(root, 'etc/machine-id'), 'utf8'), '', 'machine-id emptied: systemd makes a new one per VM');
  t.deepEqual(readdirSync(join(root, 'etc/ssh')), ['sshd_config'], 'host keys removed, configuration kept');
  t.is(readFileSync(join(root, 'var/log/syslog'), 'utf8'), '');
  t.deepEqual(readdirSync(join(root, 'var/log/journal')), []);
  t.deepEqual(readdirSync(join(root, 'var/lib/apt/lists')), []);
  t.deepEqual(readdirSync(join(root, 'tmp')), []);
});

test.serial('bake mode without a runner version bakes nothing', async (t) => {
  const sandbox = makeSandbox();
  t.teardown(sandbox.cleanup);
  const metadata = await startFakeMetadata({ attributes: { 'runner-bake': 'true' } });
  const releases = await startFakeReleases({});
  t.teardown(async () => (await metadata.close(), await releases.close()));
  const run = await runStartup(sandbox, { metadataUrl: metadata.url, downloadUrl: releases.url, mode: 'job', pathPrefix: fakeCommands(sandbox.dir), env: { BAKE_CLEAN_ROOT: fakeRoot(sandbox.dir) } });
  t.regex(run.output, new RegExp(`bake needs runner-version and runner-sha256-${runnerArch}`));
  t.false(existsSync(join(sandbox.dir, 'commands.log')), 'not even apt-get ran');
  t.deepEqual(run.poweroffs, ['no-job']);
});
