import { Future, run } from "asyncio-ts";

await run(async () => {
  const fut = new Future<Promise<string>>();
  fut.setResult(Promise.resolve("inner value"));
  console.log(fut.result() instanceof Promise); // result() gives the promise itself
  console.log(await fut); // await flattens it, as JavaScript does for every thenable
});
