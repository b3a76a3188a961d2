import { gather, getRunningLoop, run, sleep } from "asyncio-ts";
import { VirtualClock } from "asyncio-ts/testing";

const started = performance.now();
await run(
  async () => {
    const loop = getRunningLoop();
    const log = (what: string) => console.log(`${loop.time()} s: ${what}`);
    await gather(
      async () => {
        await sleep(3600);
        log("an hour later");
      },
      async () => {
        await sleep(60);
        log("a minute later");
      },
    );
  },
  { clock: new VirtualClock() },
);
console.log(`real time under 1 s: ${performance.now() - started < 1000}`);
