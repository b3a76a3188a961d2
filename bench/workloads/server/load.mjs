// The load generator of the server workload, in its own process so that its CPU is not the
// server's: autocannon over keep-alive connections against the URL it is given. The parent
// (a server script, through drive.mjs) sends { url, amount, connections } over IPC and gets
// autocannon's counts back.
import autocannon from "autocannon";

process.once("message", ({ url, amount, connections }) => {
  autocannon({ url, amount, connections, pipelining: 1 }, (error, result) => {
    process.send(
      error
        ? { error: String(error) }
        : {
            ok: result["2xx"],
            non2xx: result.non2xx,
            errors: result.errors,
            timeouts: result.timeouts,
          },
      () => process.exit(0),
    );
  });
});
