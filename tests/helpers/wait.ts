/** Waits on a condition instead of sleeping: polls until it holds or the timeout passes. */
export async function waitUntil<T>(
  cond: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const timeout = opts.timeoutMs ?? 20_000;
  const interval = opts.intervalMs ?? 25;
  const start = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() - start > timeout) {
      throw new Error(
        `timed out after ${timeout} ms waiting for ${opts.what ?? 'condition'}${last ? `: ${String(last)}` : ''}`,
      );
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}
