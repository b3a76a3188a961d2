// Fallback load generator of the server workload when wrk is not installed: autocannon on
// `url` with `connections` keep-alive connections until SIGINT, then its error counts.
import autocannon from "autocannon";

const [url, connections] = process.argv.slice(2);
const instance = autocannon({ url, connections: Number(connections), duration: 600 });
process.once("SIGINT", () => instance.stop());
instance.on("done", (result) => {
  process.stdout.write(`${result.errors + result.timeouts} errors (${result.non2xx} non-2xx)\n`);
});
