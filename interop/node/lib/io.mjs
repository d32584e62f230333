// Shared helpers of the interop CLI: the Redis connection from REDIS_URL and the JSON-lines output.
import { writeSync } from 'node:fs';

/** ioredis connection options parsed from REDIS_URL (redis://[user:pass@]host:port[/db], rediss:// for TLS). */
export function connectionFromEnv() {
  const url = process.env.REDIS_URL;
  if (!url) {
    throw new Error('REDIS_URL is not set');
  }
  const u = new URL(url);
  const db = u.pathname && u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    db,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
  };
}

/** Prints one JSON line on stdout (synchronous on Linux pipes, so it survives a later hard exit). */
export function out(value) {
  // synchronous on purpose: lines stay in order and none is lost when the process exits or kills itself
  const bytes = Buffer.from(JSON.stringify(value) + '\n');
  let written = 0;
  while (written < bytes.length) {
    try {
      written += writeSync(1, bytes, written);
    } catch (err) {
      if (err.code !== 'EAGAIN') {
        throw err; // EAGAIN: a full non-blocking pipe; the reader drains it, so try again
      }
    }
  }
}

/** Parses a JSON argument, naming it on failure. */
export function parseArg(text, what, fallback) {
  if (text === undefined || text === '') {
    return fallback;
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not valid JSON: ${e.message}: ${text}`);
  }
}

/** A plain, JSON-friendly view of a bullmq Job (what Java compares with its own reading). */
export async function jobView(job) {
  if (!job) {
    return null;
  }
  return {
    id: job.id,
    name: job.name,
    data: job.data,
    opts: job.opts,
    timestamp: job.timestamp,
    delay: job.delay,
    priority: job.priority,
    progress: job.progress,
    attemptsMade: job.attemptsMade,
    attemptsStarted: job.attemptsStarted,
    stalledCounter: job.stalledCounter,
    processedOn: job.processedOn ?? null,
    finishedOn: job.finishedOn ?? null,
    returnvalue: job.returnvalue ?? null,
    failedReason: job.failedReason ?? null,
    stacktrace: job.stacktrace ?? [],
    deduplicationId: job.deduplicationId ?? null,
    parentKey: job.parentKey ?? null,
    processedBy: job.processedBy ?? null,
    state: await job.getState(),
  };
}
