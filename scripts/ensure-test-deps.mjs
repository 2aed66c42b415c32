// Installs the system packages the test suite needs when they are missing: the e2e tests drive
// Debian's Chromium. On a machine where we are not root, it says what to install instead.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const needs = [{ binary: '/usr/bin/chromium', pkg: 'chromium' }];
const missing = needs.filter((need) => !existsSync(need.binary)).map((need) => need.pkg);

if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot) {
  console.error(`The tests need these Debian packages: ${missing.join(' ')}`);
  console.error(`Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}

console.log(`Installing ${missing.join(' ')} from Debian's packages…`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
