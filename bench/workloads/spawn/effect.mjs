// spawn with Effect: fork N trivial fibers, then join them all.
import { Effect, Fiber } from "effect";
import { measure, sizeArg, sum } from "../common/measure.mjs";

const n = sizeArg(100_000);

const work = (i) => Effect.succeed(i);

const program = Effect.gen(function* () {
  const fibers = [];
  for (let i = 0; i < n; i++) fibers.push(yield* Effect.forkChild(work(i)));
  return sum(yield* Fiber.joinAll(fibers));
});

await measure(() => Effect.runPromise(program));
