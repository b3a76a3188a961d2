/**
 * A module resolution hook (node:module `register`): imports of "asyncio-ts" resolve to the
 * virtual-time wrapper next to this file, except the wrapper's own import of the real package.
 */
const wrapper = new URL("./asyncio-ts.js", import.meta.url).href;

type Resolve = (specifier: string, context: { parentURL?: string }) => Promise<unknown>;

/** Sends "asyncio-ts" to the wrapper; everything else resolves as usual. */
export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  nextResolve: Resolve,
): Promise<unknown> {
  if (specifier === "asyncio-ts" && context.parentURL !== wrapper) {
    return { url: wrapper, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}
