/**
 * Seed 002, "async / await" and the burger story of FastAPI's docs: `read_burgers` awaits
 * `get_burgers(2)`, and while the burgers cook the customer is free to talk ("concurrent
 * burgers"); waiting at the counter instead ("sequential burgers") wastes the cooking time.
 *
 * ```python
 * async def get_burgers(number: int):
 *     # 버거가 만들어지는 시간 중에 다른 비동기화된 일을 할 수 있음.
 *     # (while the burgers are made, other asynchronous work can run)
 *     return burgers
 *
 * async def read_burgers():
 *     burgers = await get_burgers(2)
 *     return burgers
 * ```
 *
 * The seed leaves the cooking abstract; here it takes 5 s (of loop time), and each round of
 * talk 2 s.
 */
import { createTask, getRunningLoop, sleep } from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";
import { seconds } from "./lib/repr.js";

const COOKING_SECONDS = 5;
const TALK_SECONDS = 2;
const TALK_ROUNDS = 3;

async function getBurgers(out: Out, number: number): Promise<string[]> {
  out(`cook: making ${number} burgers`);
  await sleep(COOKING_SECONDS); // while the burgers cook, other tasks run
  out(`cook: ${number} burgers ready`);
  return Array.from({ length: number }, (_, i) => `burger ${i + 1}`);
}

async function readBurgers(out: Out): Promise<string[]> {
  const burgers = await getBurgers(out, 2);
  return burgers;
}

async function talk(out: Out): Promise<void> {
  for (let round = 1; round <= TALK_ROUNDS; round++) {
    out(`customer: talking with my girlfriend (${round}/${TALK_ROUNDS})`);
    await sleep(TALK_SECONDS);
  }
}

/** Concurrent burgers (6 s: the talk covers the cooking), then sequential burgers (11 s). */
export async function main(out: Out = console.log, options: ProgramOptions = {}): Promise<void> {
  await runProgram(async () => {
    const loop = getRunningLoop();

    out("== concurrent burgers: order, take a ticket, talk while the cook works ==");
    let start = loop.time();
    const order = createTask(() => readBurgers(out), { name: "order #1" });
    out("customer: ordered, got ticket #1");
    await talk(out);
    const burgers = await order; // ready while we talked: no extra wait
    out(`customer: picked up ${burgers.join(" and ")} after ${seconds(loop.time() - start)} s`);

    out("== sequential burgers: wait at the counter, then talk ==");
    start = loop.time();
    const atCounter = await readBurgers(out);
    out(`customer: picked up ${atCounter.join(" and ")}`);
    await talk(out);
    out(`customer: done after ${seconds(loop.time() - start)} s`);
  }, options);
}

await runIfScript(import.meta.url, main);
