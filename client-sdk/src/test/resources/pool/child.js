// Test child for the process pool: speaks the JSON-lines protocol (docs/process-pool.md); what it does for a
// job is driven by the job's data, so tests are deterministic. Start-up misbehaviour comes from CHILD_START.
'use strict';
const fs = require('fs');
const readline = require('readline');

const send = (msg) => process.stdout.write(JSON.stringify(msg) + '\n');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const leak = [];
let jobs = 0;
let busy = false;
let stdinClosed = false;

switch (process.env.CHILD_START || 'ready') {
  case 'silent': setInterval(() => {}, 1000); break;
  case 'exit': process.stderr.write('cannot start: missing config\n'); process.exit(2); break;
  case 'garbage': process.stdout.write('hello, I am not JSON\n'); break;
  case 'protocol2': send({ type: 'ready', protocol: 2 }); break;
  default: send({ type: 'ready', protocol: 1 });
}

async function run(job) {
  const d = job.data || {};
  jobs++;
  for (const value of d.progress || []) send({ type: 'progress', value });
  for (const line of d.logs || []) send({ type: 'log', line });
  if (d.stderr) process.stderr.write(d.stderr + '\n');
  if (d.leakMb) leak.push(Buffer.alloc(d.leakMb * 1024 * 1024, 1));
  if (d.sleepMs) await sleep(d.sleepMs);
  if (d.crash !== undefined && (d.crashWhenAttemptsMade === undefined || d.crashWhenAttemptsMade === job.attemptsMade)) {
    process.exit(d.crash);
  }
  if (d.killSelf) process.kill(process.pid, 'SIGKILL');
  if (d.garbage) { process.stdout.write(d.garbage + '\n'); return; }
  if (d.invalidJson) { process.stdout.write('{"type":"result","value":\n'); return; }
  if (d.unknownType) { send({ type: d.unknownType }); return; }
  if (d.closeStdout) { fs.closeSync(1); await sleep(60000); return; }
  if (d.error) {
    send({ type: 'error', message: d.error, unrecoverable: !!d.unrecoverable, stack: d.stack });
    return;
  }
  send({ type: 'result', value: { pid: process.pid, jobs, id: job.id, queue: job.queue, attemptsMade: job.attemptsMade,
    processId: process.env.CORRAL_POOL_PROCESS_ID, value: d.value === undefined ? null : d.value } });
  if (d.writeAfterResult) send({ type: 'log', line: 'too late' });
}

const rl = readline.createInterface({ input: process.stdin });
rl.on('line', async (line) => {
  busy = true;
  try {
    await run(JSON.parse(line));
  } finally {
    busy = false;
    if (stdinClosed) process.exit(0);
  }
});
rl.on('close', () => {
  stdinClosed = true;
  if (!busy) process.exit(0);
});
