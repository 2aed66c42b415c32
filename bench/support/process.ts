/**
 * @module
 * What the benchmarks need from the operating system: a free loopback port, a child process
 * started and awaited until it says it is ready, and its CPU time and memory from /proc, alone
 * or with its children.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** A port nothing listens on right now, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts `node <args>` in `cwd` and resolves once its stdout or stderr matches `ready`. Rejects,
 * with what it printed, if it exits first.
 */
export function startNode(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; ready: RegExp },
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
    });
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready.test(output)) resolve(child);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`node ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

/** CPU seconds (user + system) process `pid` has used. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory of process `pid`, in MiB. */
export function rssMiB(pid: number): number {
  const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/**
 * Proportional resident memory of process `pid`, in MiB: shared pages split among the processes
 * that map them, so the figures of several processes (PostgreSQL's backends) add up honestly.
 */
export function pssMiB(pid: number): number {
  try {
    const match = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8').match(/^Pss:\s+(\d+)/m);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The parent of every live process, by pid, read from /proc. */
function parents(): Map<number, number> {
  const result = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      result.set(Number(entry), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  return result;
}

/** `pid` and all its live descendants (PostgreSQL's postmaster and its backends, say). */
export function processTree(pid: number): number[] {
  const byParent = new Map<number, number[]>();
  for (const [child, parent] of parents())
    byParent.set(parent, [...(byParent.get(parent) ?? []), child]);
  const tree = [pid];
  for (let i = 0; i < tree.length; i += 1) tree.push(...(byParent.get(tree[i] ?? -1) ?? []));
  return tree;
}

/** Live processes whose command line (arguments joined by spaces) matches `pattern`. */
export function findPids(pattern: RegExp): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (pattern.test(command)) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
