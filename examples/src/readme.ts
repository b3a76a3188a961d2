// The example at the top of README.md, kept here so that it compiles with the rest of the
// project; examples/test/readme.test.ts checks that the README shows exactly this code.
import { run, sleep, taskGroup, timeout } from "asyncio-ts";

async function delivery(name: string, hours: number): Promise<void> {
  await sleep(hours); // a cancellation point: a deadline or a failing sibling stops it here
  console.log(`${name} finished eating after ${hours} h`);
}

// Three deliveries at once take 3 s, not 6; if one fails or 10 s pass, all are cancelled.
await run(() =>
  timeout(10, () =>
    taskGroup(async (tg) => {
      for (const [name, hours] of Object.entries({ A: 1, B: 2, C: 3 })) {
        tg.createTask(() => delivery(name, hours), { name });
      }
    }),
  ),
);
