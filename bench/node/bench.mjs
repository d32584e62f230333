// BullMQ 6.7.0 side of Corral's benchmark. Usage:
//   REDIS_URL=redis://127.0.0.1:6379 node bench.mjs <scenario> <n> <queue> [concurrency]
// scenarios: add, addConcurrent, addBulk, process, latency, latencyRemote, flowAdd, flowProcess. Prints one JSON
// line with the result.
import { FlowProducer, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { spawn } from 'node:child_process';

const [, , scenario, nArg, queueName, concArg] = process.argv;
const n = Number(nArg);
const concurrency = Number(concArg || 1);
const WARMUPS = Number(process.env.BENCH_WARMUPS || 2);
// adds the latencyRemote producer process makes to a scratch queue first (JIT warm-up), as on the JVM side
const REMOTE_WARM_UP_ADDS = 10000;
// warm-up runs of the latency scenarios add more jobs, closer together (1 ms apart, so the worker is idle at each
// add), so that the idle-worker path is compiled as in a long-running service (as CorralScenarios does)
const LATENCY_WARM_UP_SAMPLES = 5000;
const LATENCY_WARM_UP_GAP_MS = 1;
let warming = false;
const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const prefix = 'bench';
let queue;

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

// Redis CPU ms and commands processed so far (INFO cpu / stats), read around a measured part as the JVM side does
async function redisCost() {
  const info = await connection.info();
  const field = (name) => Number(new RegExp(`^${name}:(.*)$`, 'm').exec(info)[1]);
  const sysMs = field('used_cpu_sys') * 1000;
  const own = process.cpuUsage();
  return { cpuMs: field('used_cpu_user') * 1000 + sysMs, sysMs, commands: field('total_commands_processed'),
    clientCpuMs: (own.user + own.system) / 1000 };
}

async function prefill(count) {
  for (let i = 0; i < count; i += 1000) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 1000); j++) batch.push({ name: 'bench', data: { i: j } });
    await queue.addBulk(batch);
  }
}

// A two-level flow tree of n jobs: a root, about sqrt(n) middle jobs, the other jobs as leaves, leaf j under
// middle j mod middles (Corral's DagShapes.tree builds the same graph as a DAG).
function tree(queueName, count) {
  const middles = Math.max(1, Math.round(Math.sqrt(count)));
  const kids = Array.from({ length: middles }, (_, m) => ({ name: 'bench', queueName, data: { m }, children: [] }));
  for (let j = 0; j < count - 1 - middles; j++) kids[j % middles].children.push({ name: 'bench', queueName, data: { j } });
  return { name: 'bench', queueName, data: {}, children: kids };
}

// p50 / p99 of latency samples (ms), as CorralScenarios.latencyResult computes them
function latencyResult(samples) {
  samples.sort((a, b) => a - b);
  const pct = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  return { ms: 0, p50: pct(0.5), p99: pct(0.99) };
}

async function run(queueName) {
  queue = new Queue(queueName, { connection, prefix });
  await queue.waitUntilReady();
  switch (scenario) {
    case 'add': {
      const t0 = nowMs();
      for (let i = 0; i < n; i++) await queue.add('bench', { i });
      return { ms: nowMs() - t0 };
    }
    case 'addConcurrent': {
      const t0 = nowMs();
      await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
        for (let i = w; i < n; i += concurrency) await queue.add('bench', { i });
      }));
      return { ms: nowMs() - t0 };
    }
    case 'addBulk': {
      const t0 = nowMs();
      await prefill(n);
      return { ms: nowMs() - t0 };
    }
    case 'process': {
      await prefill(n);
      let done = 0;
      let resolveAll;
      const all = new Promise((r) => (resolveAll = r));
      const before = await redisCost();
      const t0 = nowMs();
      const worker = new Worker(queueName, async () => null, { connection: connection.duplicate(), prefix, concurrency });
      worker.on('completed', () => { if (++done === n) resolveAll(); });
      await all;
      const ms = nowMs() - t0;
      const after = await redisCost();
      await worker.close();
      return { ms, redisCpuMs: after.cpuMs - before.cpuMs, redisSysMs: after.sysMs - before.sysMs,
        redisCommands: after.commands - before.commands, clientCpuMs: after.clientCpuMs - before.clientCpuMs };
    }
    case 'latency': {
      let resolveStart;
      const worker = new Worker(queueName, async () => { resolveStart(nowMs()); return null; },
        { connection: connection.duplicate(), prefix, concurrency: 1 });
      await worker.waitUntilReady();
      await new Promise((r) => setTimeout(r, 300));
      const samples = [];
      const count = warming ? LATENCY_WARM_UP_SAMPLES : n;
      for (let i = 0; i < count; i++) {
        const started = new Promise((r) => (resolveStart = r));
        const t0 = nowMs();
        await queue.add('bench', { i });
        samples.push((await started) - t0);
        await new Promise((r) => setTimeout(r, warming ? LATENCY_WARM_UP_GAP_MS : 5));
      }
      await worker.close();
      return latencyResult(samples);
    }
    case 'latencyRemote': {
      // enqueue from another process (latency-producer.mjs); this process' idle worker takes the difference
      // between its processor start and the job's t0 (one monotonic clock for both processes)
      const samples = [];
      const count = warming ? LATENCY_WARM_UP_SAMPLES : n;
      let finished;
      const done = new Promise((r) => (finished = r));
      const worker = new Worker(queueName, async (job) => {
        const t1 = process.hrtime.bigint();
        if (samples.length < count) samples.push(Number(t1 - BigInt(job.data.t0)) / 1e6);
        if (samples.length === count) finished();
        return null;
      }, { connection: connection.duplicate(), prefix, concurrency: 1 });
      await worker.waitUntilReady();
      const producer = spawn(process.execPath,
        [new URL('./latency-producer.mjs', import.meta.url).pathname, queueName, String(REMOTE_WARM_UP_ADDS), String(count),
          String(warming ? LATENCY_WARM_UP_GAP_MS : 5)],
        { stdio: ['ignore', 'inherit', 'inherit'], env: process.env });
      const exited = new Promise((r, j) => producer.on('exit', (code) => (code === 0 ? r() : j(new Error(`producer exited ${code}`)))));
      const late = () => new Promise((r, j) => setTimeout(() => j(new Error(`only ${samples.length} of ${count} started`)), 60000));
      await Promise.race([done, exited.then(() => Promise.race([done, late()]))]);
      await exited;
      await worker.close();
      return latencyResult(samples);
    }
    case 'flowAdd': {
      const flows = new FlowProducer({ connection, prefix });
      const t0 = nowMs();
      await flows.add(tree(queueName, n));
      const ms = nowMs() - t0;
      await flows.close();
      return { ms };
    }
    case 'flowProcess': {
      const flows = new FlowProducer({ connection, prefix });
      let done = 0;
      let resolveAll;
      const all = new Promise((r) => (resolveAll = r));
      const t0 = nowMs();
      await flows.add(tree(queueName, n));
      const worker = new Worker(queueName, async () => null, { connection: connection.duplicate(), prefix, concurrency });
      worker.on('completed', () => { if (++done === n) resolveAll(); });
      await all;
      const ms = nowMs() - t0;
      await worker.close();
      await flows.close();
      return { ms };
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

try {
  // warm-up runs on their own queues, exactly as many as the JVM side gets, then the measured run
  warming = true;
  for (let w = 0; w < WARMUPS; w++) {
    await run(`${queueName}-warm${w}`);
    await queue.close();
  }
  warming = false;
  const result = await run(queueName);
  console.log(JSON.stringify({ impl: 'bullmq', scenario, n, concurrency, ...result }));
} finally {
  await queue.close();
  connection.disconnect();
  // workers were given duplicated connections they do not own; exit instead of waiting for them
  process.exit(0);
}
