#!/usr/bin/env node
// Corral's interop CLI: runs the real bullmq (version pinned in package.json) against REDIS_URL, so Java tests
// can compare what Node does with what Corral does. Every command prints JSON lines on stdout; one-shot
// commands print exactly one line and exit 0. On error: {"type":"error","error":...} and exit code 1.
//
//   add <queue> <name> <dataJson> [optsJson]      -> {"id"}
//   addBulk <queue> <jobsJson>                    -> {"ids"}      jobs: [{name, data, opts}]
//   run <queue> <stepsJson>                       -> {"results"}  steps, in one process and order:
//        {op:"add",name,data,opts} | {op:"addBulk",jobs:[{name,data,opts}]} | {op:"pause"} | {op:"resume"}
//        | {op:"updateProgress",id,progress} | {op:"flow",flow} (FlowProducer.add; result: the id tree)
//        | {op:"upsertJobScheduler",id,repeat,template} (result: the iteration's id or null)
//        | {op:"removeJobScheduler",id} (result: bullmq's boolean)
//        | {op:"fakeNow",ms} (Date.now() and new Date() give ms from here on in this process: fixed-time
//          comparisons; bullmq reads new Date() for a pattern scheduler's `immediately`)
//   getJobSchedulers <queue> [start] [end] [asc]  -> {"schedulers"}  queue.getJobSchedulers(start, end, asc)
//   getJobScheduler <queue> <id>                  -> {"scheduler"}   (null when missing)
//   getJobSchedulersCount <queue>                 -> {"count"}
//   cronNext - <casesJson>                        -> {"results"}  cron-parser (bullmq's copy) on cases
//        {pattern, tz?, currentDate (ms), startDate?, endDate?, count}: per case {next: [ms|null, ...]}, each
//        a fresh CronExpressionParser.parse(pattern, {currentDate: previous, tz, startDate, endDate}).next()
//        as bullmq's defaultRepeatStrategy does (null: next() threw), or {error} when parse throws
//   flow <queue> <flowJson>                       -> {"tree"}     FlowProducer.add(flow); <queue> is ignored
//   addBulkFlows <queue> <flowsJson>              -> {"trees"}    FlowProducer.addBulk(flows)
//        flow: {name, queueName, data, opts, prefix, children}; tree: {queueName, id, children}
//   dependencies <queue> <id>                     -> {"values","ignored","dependencies","counts"} of a parent
//   getJob <queue> <id>                           -> {"job"}      (null when missing)
//   getState <queue> <id>                         -> {"state"}
//   getJobLogs <queue> <id>                       -> {"logs","count"}
//   counts <queue> [state...]                     -> {"counts"}
//   pause|resume <queue>                          -> {"ok":true}
//   isPaused <queue>                              -> {"paused"}
//   meta <queue>                                  -> {"meta"}
//   getWorkers <queue>                            -> {"workers"}
//   getMetrics <queue> <completed|failed> [start] [end] -> {"metrics"}  ({meta, data, count}, as bullmq returns it)
//   events <queue> <count> <timeoutMs>            -> ready, event..., done   (see lib/events.mjs)
//   work <queue> <behaviourJson>                  -> ready, started/completed/failed..., done (lib/work.mjs)
import { FlowProducer, Queue } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import { connectionFromEnv, jobView, out, parseArg } from './lib/io.mjs';
import { events } from './lib/events.mjs';
import { work } from './lib/work.mjs';

async function withQueue(name, fn) {
  const queue = new Queue(name, { connection: connectionFromEnv() });
  try {
    await queue.waitUntilReady();
    return await fn(queue);
  } finally {
    await queue.close();
  }
}

/** Runs fn with a FlowProducer on REDIS_URL, closing it afterwards. */
async function withFlowProducer(fn) {
  const producer = new FlowProducer({ connection: connectionFromEnv() });
  try {
    return await fn(producer);
  } finally {
    await producer.close();
  }
}

/** The ids of a FlowProducer result: {queueName, id, children}. */
function idTree(node) {
  return {
    queueName: node.job.queueName,
    id: node.job.id,
    children: (node.children || []).map(idTree),
  };
}

async function runStep(queue, step) {
  switch (step.op) {
    case 'add':
      return (await queue.add(step.name, step.data, step.opts)).id;
    case 'addBulk':
      return (await queue.addBulk(step.jobs)).map((j) => j.id);
    case 'pause':
      return queue.pause();
    case 'resume':
      return queue.resume();
    case 'updateProgress':
      return (await queue.getJob(step.id)).updateProgress(step.progress);
    case 'flow':
      return withFlowProducer(async (producer) => idTree(await producer.add(step.flow)));
    case 'upsertJobScheduler':
      return (await queue.upsertJobScheduler(step.id, step.repeat, step.template))?.id ?? null;
    case 'removeJobScheduler':
      return queue.removeJobScheduler(step.id);
    case 'fakeNow':
      fakeNow(Number(step.ms));
      return null;
    default:
      throw new Error(`unknown step op '${step.op}'`);
  }
}

const RealDate = Date;

/** Pins this process' clock at ms: Date.now() and an argument-less new Date() (other Date calls unchanged). */
function fakeNow(ms) {
  globalThis.Date = class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) {
        super(ms);
      } else {
        super(...args);
      }
    }

    static now() {
      return ms;
    }
  };
}

/** One cronNext case (see the header). */
function cronCase(c) {
  const opts = (current) => Object.assign({ currentDate: new Date(current) },
    c.tz ? { tz: c.tz } : {}, c.startDate ? { startDate: c.startDate } : {}, c.endDate ? { endDate: c.endDate } : {});
  try {
    CronExpressionParser.parse(c.pattern, opts(c.currentDate));
  } catch (e) {
    return { error: e.message };
  }
  const next = [];
  let current = c.currentDate;
  for (let i = 0; i < c.count; i++) {
    try {
      current = CronExpressionParser.parse(c.pattern, opts(current)).next().getTime();
      next.push(current);
    } catch (e) {
      next.push(null);
      break;
    }
  }
  return { next };
}

const oneShot = {
  add: (q, [name, data, opts]) => withQueue(q, async (queue) => ({
    id: (await queue.add(name, parseArg(data, 'data', {}), parseArg(opts, 'opts', {}))).id,
  })),
  addBulk: (q, [jobs]) => withQueue(q, async (queue) => ({
    ids: (await queue.addBulk(parseArg(jobs, 'jobs', []))).map((j) => j.id),
  })),
  run: (q, [steps]) => withQueue(q, async (queue) => {
    const results = [];
    for (const step of parseArg(steps, 'steps', [])) {
      results.push((await runStep(queue, step)) ?? null);
    }
    return { results };
  }),
  flow: (q, [flow]) => withFlowProducer(async (producer) => ({
    tree: idTree(await producer.add(parseArg(flow, 'flow', {}))),
  })),
  addBulkFlows: (q, [flows]) => withFlowProducer(async (producer) => ({
    trees: (await producer.addBulk(parseArg(flows, 'flows', []))).map(idTree),
  })),
  dependencies: (q, [id]) => withQueue(q, async (queue) => {
    const job = await queue.getJob(id);
    if (!job) {
      throw new Error(`job ${id} not found in ${q}`);
    }
    return {
      values: await job.getChildrenValues(),
      ignored: await job.getIgnoredChildrenFailures(),
      dependencies: await job.getDependencies(),
      counts: await job.getDependenciesCount(),
    };
  }),
  getJob: (q, [id]) => withQueue(q, async (queue) => ({ job: await jobView(await queue.getJob(id)) })),
  getState: (q, [id]) => withQueue(q, async (queue) => ({ state: await queue.getJobState(id) })),
  getJobLogs: (q, [id]) => withQueue(q, (queue) => queue.getJobLogs(id)),
  counts: (q, states) => withQueue(q, async (queue) => ({ counts: await queue.getJobCounts(...states) })),
  pause: (q) => withQueue(q, async (queue) => (await queue.pause(), { ok: true })),
  resume: (q) => withQueue(q, async (queue) => (await queue.resume(), { ok: true })),
  isPaused: (q) => withQueue(q, async (queue) => ({ paused: await queue.isPaused() })),
  meta: (q) => withQueue(q, async (queue) => ({ meta: await queue.getMeta() })),
  getWorkers: (q) => withQueue(q, async (queue) => ({ workers: await queue.getWorkers() })),
  getJobSchedulers: (q, [start, end, asc]) => withQueue(q, async (queue) => ({
    schedulers: await queue.getJobSchedulers(Number(start ?? 0), Number(end ?? -1), asc === 'true'),
  })),
  getJobScheduler: (q, [id]) => withQueue(q, async (queue) => ({
    scheduler: (await queue.getJobScheduler(id)) ?? null,
  })),
  getJobSchedulersCount: (q) => withQueue(q, async (queue) => ({ count: await queue.getJobSchedulersCount() })),
  cronNext: (q, [cases]) => ({ results: parseArg(cases, 'cases', []).map(cronCase) }),
  getMetrics: (q, [type, start, end]) => withQueue(q, async (queue) => ({
    metrics: await queue.getMetrics(type, Number(start ?? 0), Number(end ?? -1)),
  })),
};

async function main([command, queue, ...args]) {
  if (!command || !queue) {
    throw new Error('usage: bullmq-cli.mjs <command> <queue> [args...] (see the header of this file)');
  }
  if (command === 'events') {
    return events(queue, Number(args[0] ?? 1), Number(args[1] ?? 10_000));
  }
  if (command === 'work') {
    return work(queue, parseArg(args[0], 'behaviour', {}));
  }
  const fn = oneShot[command];
  if (!fn) {
    throw new Error(`unknown command '${command}'`);
  }
  out(await fn(queue, args));
  process.exit(0);
}

main(process.argv.slice(2)).catch((err) => {
  out({ type: 'error', error: err.message });
  console.error(err);
  process.exit(1);
});
