// `events <queue> <count> <timeoutMs>`: a real bullmq QueueEvents that prints the events it sees.
//
// The stream's current end is read first and passed as lastEventId, so every event written after the
// {"type":"ready"} line is seen (no race with QueueEvents' first XREAD). Prints one
// {"type":"event","event","id","args"} line per event, then {"type":"done","events":[...],"timedOut"}.
import { QueueEvents } from 'bullmq';
import IORedis from 'ioredis';
import { connectionFromEnv, out } from './io.mjs';

export async function events(queueName, count, timeoutMs, prefix = 'bull') {
  const probe = new IORedis(connectionFromEnv());
  const last = await probe.xrevrange(`${prefix}:${queueName}:events`, '+', '-', 'COUNT', 1);
  await probe.quit();
  const lastEventId = last.length > 0 ? last[0][0] : '0-0';

  const qe = new QueueEvents(queueName, { connection: connectionFromEnv(), lastEventId, prefix });
  const seen = [];
  let finished = false;
  const finish = async (timedOut) => {
    if (finished) {
      return;
    }
    finished = true;
    out({ type: 'done', events: seen, timedOut });
    await qe.close();
    process.exit(0);
  };
  const emit = qe.emit.bind(qe);
  qe.emit = (name, ...args) => {
    const first = args[0];
    const perJobCopy = first && typeof first === 'object' && first.jobId && name.endsWith(`:${first.jobId}`);
    if (!perJobCopy && name !== 'error' && name !== 'ioredis:close' && !finished) {
      const entry = name === 'drained'
        ? { event: name, id: first, args: {} }
        : { event: name, id: args[1], args: first };
      seen.push(entry);
      out({ type: 'event', ...entry });
      if (seen.length >= count) {
        finish(false);
      }
    }
    return emit(name, ...args);
  };
  qe.on('error', (err) => console.error('queue events error:', err));
  await qe.waitUntilReady();
  setTimeout(() => finish(true), timeoutMs).unref();
  out({ type: 'ready', ready: true, lastEventId });
}
