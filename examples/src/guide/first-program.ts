import { createTask, run, sleep } from "asyncio-ts";

async function brew(drink: string, seconds: number): Promise<string> {
  console.log(`start ${drink}`);
  await sleep(seconds); // suspends this task; the others run meanwhile
  console.log(`${drink} ready`);
  return drink;
}

const order = await run(async () => {
  const tea = createTask(() => brew("tea", 0.2), { name: "tea" });
  const coffee = createTask(() => brew("coffee", 0.1), { name: "coffee" });
  console.log(`${tea.name} and ${coffee.name} scheduled`);
  return [await tea, await coffee];
});
console.log(order);
