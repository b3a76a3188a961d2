// http with the built-in fetch (the undici bundled in node), 64 loops under Promise.all.
import { measure, sizeArg } from "../common/measure.mjs";
import { sixtyFourAtATime, startServer } from "./server.mjs";

const n = sizeArg(20_000);
const server = await startServer();

await measure(() =>
  sixtyFourAtATime(n, async (i) => {
    const res = await fetch(`${server.url}item/${i}`);
    return (await res.text()).length;
  }),
);
server.close();
