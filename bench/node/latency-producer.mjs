// Producer of the latencyRemote scenario, run as its own process as a separate service would add jobs:
//   REDIS_URL=... node latency-producer.mjs <queue> <warmUpAdds> <n> <gapMs>
// First adds warmUpAdds jobs to a scratch queue nobody consumes (JIT warm-up, then obliterated), waits 300 ms,
// then adds n jobs to <queue> gapMs apart, each carrying t0, process.hrtime just before its add (CLOCK_MONOTONIC,
// the clock Java's System.nanoTime reads on Linux). Mirrors dev.corral.bench.LatencyProducer.
import { Queue } from 'bullmq';
import IORedis from 'ioredis';

const [, , queueName, warmArg, nArg, gapArg] = process.argv;
const connection = new IORedis(process.env.REDIS_URL, { maxRetriesPerRequest: null });
const prefix = 'bench';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const stamp = () => process.hrtime.bigint().toString();

const scratch = new Queue(`${queueName}-scratch`, { connection, prefix });
for (let i = 0; i < Number(warmArg); i++) {
  await scratch.add('bench', { t0: stamp() });
}
await scratch.obliterate({ force: true });
await scratch.close();
const queue = new Queue(queueName, { connection, prefix });
await queue.waitUntilReady();
await sleep(300);
for (let i = 0; i < Number(nArg); i++) {
  await queue.add('bench', { t0: stamp() });
  await sleep(Number(gapArg));
}
await queue.close();
connection.disconnect();
