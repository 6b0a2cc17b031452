// The endpoint bench/queue.sh's Sluice tasks call: answers 204 to anything and counts requests per path, so the
// script can check that every task ran exactly once. Prints its port, then on SIGTERM writes "path<TAB>count" lines
// to the file given as its argument.
import http from "node:http";
import { writeFileSync } from "node:fs";

const counts = new Map();
const server = http.createServer((req, res) => {
  counts.set(req.url, (counts.get(req.url) ?? 0) + 1);
  res.writeHead(204).end();
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
process.on("SIGTERM", () => {
  writeFileSync(process.argv[2], [...counts].map(([p, n]) => `${p}\t${n}`).join("\n") + "\n");
  process.exit(0);
});
