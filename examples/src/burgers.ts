/**
 * Seed 002's FastAPI endpoint, served for real: every request to `GET /burgers` runs
 * `read_burgers` as its own task, and while one order cooks (`await get_burgers(2)`) the server
 * keeps taking orders ("concurrent burgers").
 *
 * ```python
 * async def get_burgers(number: int):
 *     # 버거가 만들어지는 시간 중에 다른 비동기화된 일을 할 수 있음.
 *     # (while the burgers are made, other asynchronous work can run)
 *     return burgers
 *
 * @app.get('/burgers')
 * async def read_burgers():
 *     burgers = await get_burgers(2)
 *     return burgers
 * ```
 *
 * Three customers order at once and are all served after one cooking time, not three. A fourth
 * gives up waiting (`timeout()` on the client side): cancelling its request closes the
 * connection, and the server cancels that order's handler task, so the grill stops. Then the
 * server shuts down gracefully. Real sockets on 127.0.0.1 and real time (cooking takes
 * `cookSeconds`, 1 s by default).
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { ClientSession, type HttpServer, serve } from "@asyncio-ts/http";
import {
  CancelledError,
  createTask,
  currentTask,
  type Future,
  gather,
  getRunningLoop,
  sleep,
  TimeoutError,
  timeout,
} from "asyncio-ts";
import { type Out, type ProgramOptions, runIfScript, runProgram } from "./lib/program.js";

/** Options of this example: how long the burgers cook, in seconds. */
export interface BurgerOptions extends ProgramOptions {
  cookSeconds?: number;
}

/** The restaurant: seed 002's endpoint, with a counter of orders and a log of the kitchen. */
class Restaurant {
  private orders = 0;
  private cooking = 0;
  /** The most orders that were cooking at the same time. */
  maxCooking = 0;
  /** Resolved when an order ends cancelled (the example waits for the server to notice). */
  cancelled: Future<number> | null = null;

  constructor(
    private readonly out: Out,
    private readonly cookSeconds: number,
  ) {}

  /** `get_burgers(number)`: cooking is waiting, and other orders are taken meanwhile. */
  private async getBurgers(order: number, number: number): Promise<string[]> {
    this.out(`kitchen: order #${order} taken by task "${currentTask()?.name}", cooking ${number}`);
    this.maxCooking = Math.max(this.maxCooking, ++this.cooking);
    try {
      await sleep(this.cookSeconds);
    } finally {
      this.cooking--;
    }
    this.out(`kitchen: order #${order} ready`);
    return Array.from({ length: number }, (_, i) => `burger ${i + 1}`);
  }

  /** `@app.get('/burgers') read_burgers()`; other paths answer 404 like FastAPI. */
  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<unknown> => {
    if (req.method !== "GET" || req.url !== "/burgers") {
      res.statusCode = 404;
      return { detail: "Not Found" };
    }
    const order = ++this.orders;
    try {
      const burgers = await this.getBurgers(order, 2);
      return burgers;
    } catch (error) {
      if (error instanceof CancelledError) {
        this.out(`kitchen: order #${order} cancelled (${error.message}), grill turned off`);
        this.cancelled?.setResult(order);
      }
      throw error;
    }
  };
}

/** Three customers at once, one who gives up, then closing time. */
export async function main(out: Out = console.log, options: BurgerOptions = {}): Promise<void> {
  const cookSeconds = options.cookSeconds ?? 1;
  await runProgram(async () => {
    const loop = getRunningLoop();
    const restaurant = new Restaurant(out, cookSeconds);
    const listening = loop.createFuture<HttpServer>();
    const serving = createTask(
      () => serve(restaurant.handle, { port: 0, ready: (s) => listening.setResult(s) }),
      { name: "server" },
    );
    const server = await listening;
    await using session = new ClientSession({ baseUrl: server.url });
    const order = async (): Promise<string[]> => {
      const res = await session.get("/burgers");
      return (await res.json()) as string[];
    };

    out("== concurrent burgers: three customers order at once ==");
    const meals = await gather(order(), order(), order());
    for (const [i, meal] of meals.entries()) out(`customer ${i + 1}: got ${meal.join(" and ")}`);
    out(`the kitchen cooked ${restaurant.maxCooking} orders at once: one cooking time, not three`);

    out("== a customer gives up before the burgers are ready ==");
    restaurant.cancelled = loop.createFuture<number>();
    try {
      await timeout(cookSeconds / 2, order);
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      out(`customer 4: gave up after ${cookSeconds / 2} s, hung up`);
    }
    await restaurant.cancelled; // the server noticed the closed connection

    out("== closing time ==");
    await server.shutdown();
    await serving;
    const stats = server.statistics();
    out(`server: ${stats.state}; ${stats.handled} orders, ${stats.disconnected} cancelled`);
  }, options);
}

await runIfScript(import.meta.url, main, "it serves and fetches over real sockets");
