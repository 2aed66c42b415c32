// Installs the system packages the test suite needs when they are missing: the e2e tests drive
// Debian's Chromium, the scale-out tests start their own PostgreSQL and Redis on loopback ports,
// and the multi-node tests put nginx in front of three nodes. On a machine where we are not root,
// it says what to install instead.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const postgresBins = () =>
  existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql').map(
        (version) => `/usr/lib/postgresql/${version}/bin/initdb`,
      )
    : [];

const needs = [
  { present: () => existsSync('/usr/bin/chromium'), pkg: 'chromium' },
  { present: () => existsSync('/usr/bin/redis-server'), pkg: 'redis-server' },
  { present: () => postgresBins().some((bin) => existsSync(bin)), pkg: 'postgresql' },
  { present: () => existsSync('/usr/sbin/nginx'), pkg: 'nginx' },
];
const missing = needs.filter((need) => !need.present()).map((need) => need.pkg);

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
