// The graphile-worker side of bench/queue.sh.
//   node bench.mjs migrate                    installs graphile-worker's schema
//   node bench.mjs work CONCURRENCY OUT.tsv   runs a worker pool with a no-op task until the queue is empty, then
//                                            writes one line per job it ran: locked_at and start (epoch ms), and a
//                                            last line "done <epoch ms>" when it saw the queue empty
// Jobs are added by the script with SQL (graphile_worker.add_job) before the workers start. Default settings
// otherwise (no local queue, no batched completion), as someone would run it.
import { Logger, run, runMigrations } from "graphile-worker";
import pg from "pg";
import { writeFileSync } from "node:fs";

const connectionString = process.env.DATABASE_URL;
const [mode, concurrency, out] = process.argv.slice(2);

if (mode === "migrate") {
  await runMigrations({ connectionString });
  process.exit(0);
}

// Quiet like Sluice's worker, which logs nothing per task: only warnings and errors reach stderr.
const logger = new Logger(() => (level, message) => {
  if (level === "error" || level === "warning") console.error(`graphile-worker ${level}: ${message}`);
});
const timings = [];
const runner = await run({
  connectionString,
  logger,
  concurrency: Number(concurrency),
  noHandleSignals: true,
  taskList: {
    noop: async (_payload, helpers) => {
      timings.push(`${helpers.job.locked_at.getTime()}\t${Date.now()}`);
    },
  },
});

// A job's row is deleted when it completes: the queue is drained when none is left.
const client = new pg.Client({ connectionString });
await client.connect();
let doneAt;
for (;;) {
  const { rows } = await client.query("select count(*)::int as n from graphile_worker.jobs");
  if (rows[0].n === 0) {
    doneAt = Date.now();
    break;
  }
  await new Promise((r) => setTimeout(r, 20));
}
await client.end();
await runner.stop();
writeFileSync(out, timings.join("\n") + `\ndone\t${doneAt}\n`);
process.exit(0);
