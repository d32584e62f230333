// `work <queue> <behaviourJson>`: a real bullmq Worker that processes jobs until `count` attempts finished.
//
// Behaviour (defaults for every job; a job's data.behaviour overrides them per job):
//   count            attempts to finish (completed or failed) before exiting, default 1
//   timeoutMs        give up after this long (prints {"type":"timeout"}, exit code 3), default 60000
//   concurrency, name, lockDuration, stalledInterval, maxStalledCount, drainDelay, prefix,
//   removeOnComplete, removeOnFail (KeepJobs, e.g. {"count":0}), maxStartedAttempts,
//   metrics ({maxDataPoints})                                                       Worker options
//   sleepMs          wait this long inside the processor
//   awaitKey         wait inside the processor until the key "<prefix>:<queue>:<awaitKey>" exists (at most 30 s),
//                    e.g. "dn:k" for an add the test makes while the job is active
//   delayMs          job.moveToDelayed(now + delayMs) and throw DelayedError (no attempt counted), while
//                    attemptsStarted < delayWhileStartedBelow (default 2: only the first start is delayed)
//   children         [{name, data}]: on the job's first start, add them to this queue as children of the job,
//                    then job.moveToWaitingChildren(token) and throw WaitingChildrenError; later starts go on
//   progress         job.updateProgress(value);   log: job.log(line)
//   returnValue      what the processor returns (default null)
//   fail             throw new Error(fail);   failUntilAttempt: fail while attemptsMade < n
//   unrecoverable    throw new UnrecoverableError(unrecoverable)
//   returnChildren   return {values: job.getChildrenValues(), ignored: job.getIgnoredChildrenFailures()} (a flow
//                    parent), after the other behaviours
//   crash            kill this process with SIGKILL mid-job, leaving the job active (stalled later)
// Output lines: ready, started, completed, failed, done (each with "type").
import { DelayedError, Queue, UnrecoverableError, WaitingChildrenError, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { connectionFromEnv, out } from './io.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function awaitKey(client, key) {
  const deadline = Date.now() + 30_000;
  while (!(await client.exists(key))) {
    if (Date.now() > deadline) {
      throw new Error(`key ${key} did not appear`);
    }
    await sleep(10);
  }
}

async function handle(job, token, defaults, redis) {
  const b = { ...defaults, ...(job.data && job.data.behaviour ? job.data.behaviour : {}) };
  out({ type: 'started', id: job.id, name: job.name, data: job.data, attemptsMade: job.attemptsMade,
    attemptsStarted: job.attemptsStarted });
  if (b.progress !== undefined) {
    await job.updateProgress(b.progress);
  }
  if (b.log !== undefined) {
    await job.log(b.log);
  }
  if (b.sleepMs) {
    await sleep(b.sleepMs);
  }
  if (b.awaitKey !== undefined) {
    await awaitKey(redis(), `${b.prefix ?? 'bull'}:${job.queueName}:${b.awaitKey}`);
  }
  if (b.children !== undefined && job.attemptsStarted < 2) {
    const queue = new Queue(job.queueName, { connection: connectionFromEnv(), prefix: b.prefix });
    try {
      for (const child of b.children) {
        await queue.add(child.name, child.data ?? {}, { parent: { id: job.id, queue: job.queueQualifiedName } });
      }
    } finally {
      await queue.close();
    }
    if (await job.moveToWaitingChildren(token)) {
      throw new WaitingChildrenError();
    }
  }
  if (b.delayMs !== undefined && job.attemptsStarted < (b.delayWhileStartedBelow ?? 2)) {
    await job.moveToDelayed(Date.now() + b.delayMs, token);
    throw new DelayedError();
  }
  if (b.crash) {
    out({ type: 'crashing', id: job.id }); // written synchronously (io.mjs), so it survives the SIGKILL
    process.kill(process.pid, 'SIGKILL');
    await sleep(10_000);
  }
  if (b.unrecoverable !== undefined) {
    throw new UnrecoverableError(b.unrecoverable);
  }
  if (b.fail !== undefined && (b.failUntilAttempt === undefined || job.attemptsMade < b.failUntilAttempt)) {
    throw new Error(b.fail);
  }
  if (b.returnChildren) {
    return { values: await job.getChildrenValues(), ignored: await job.getIgnoredChildrenFailures() };
  }
  return b.returnValue === undefined ? null : b.returnValue;
}

export async function work(queueName, behaviour) {
  const count = behaviour.count ?? 1;
  const options = { connection: connectionFromEnv(), autorun: false };
  for (const k of ['concurrency', 'name', 'lockDuration', 'stalledInterval', 'maxStalledCount', 'drainDelay',
    'prefix', 'removeOnComplete', 'removeOnFail', 'maxStartedAttempts', 'metrics']) {
    if (behaviour[k] !== undefined) {
      options[k] = behaviour[k];
    }
  }
  let probe = null; // a plain connection for awaitKey, made on first use
  const redis = () => (probe ??= new IORedis(connectionFromEnv()));
  const worker = new Worker(queueName, (job, token) => handle(job, token, behaviour, redis), options);
  let completed = 0;
  let failed = 0;
  let finishing = false;
  const finishIfDone = async () => {
    if (!finishing && completed + failed >= count) {
      finishing = true;
      await worker.close();
      out({ type: 'done', completed, failed });
      process.exit(0);
    }
  };
  worker.on('completed', (job, result) => {
    completed++;
    out({ type: 'completed', id: job.id, name: job.name, data: job.data, attemptsMade: job.attemptsMade,
      result });
    finishIfDone();
  });
  worker.on('failed', (job, err) => {
    failed++;
    out({ type: 'failed', id: job && job.id, name: job && job.name, data: job && job.data,
      attemptsMade: job && job.attemptsMade, failedReason: err.message });
    finishIfDone();
  });
  worker.on('error', (err) => console.error('worker error:', err));
  setTimeout(() => {
    out({ type: 'timeout', completed, failed });
    process.exit(3);
  }, behaviour.timeoutMs ?? 60_000).unref();
  // "ready" goes out before the worker can take a job, so it always precedes that job's lines
  await worker.waitUntilReady();
  out({ type: 'ready', ready: true, queue: queueName });
  worker.run();
}
