import { ClientSession } from "@asyncio-ts/http";

await using api = new ClientSession({
  baseUrl: "https://api.example.com/v1/",
  headers: { authorization: "Bearer <token>" },
  raiseForStatus: true,
});
const created = await api.post("items", { json: { name: "lamp" }, params: { dryRun: 1 } });
const item = await created.json<{ id: string }>();
await api.put(`items/${item.id}`, { body: new URLSearchParams({ name: "desk lamp" }) });
const found = await api.get("items", { params: { tag: ["a", "b"] }, timeout: { total: 5 } });
console.log(found.status, found.headers.get("content-type"), await found.json());
await api.delete(`items/${item.id}`);
