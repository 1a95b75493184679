/**
 * Runs `fn` on a fresh macrotask: after pending I/O and messages, unlike a
 * microtask. setImmediate where it exists (Node): setTimeout(0) waits at
 * least 1 ms, and browsers clamp nested timeouts to 4 ms, a cost per call;
 * a MessageChannel round trip elsewhere (browsers, workerd).
 */
type Schedule = (fn: () => void) => void;

const immediate = (globalThis as { setImmediate?: (fn: () => void) => void }).setImmediate;

function viaMessageChannel(): Schedule | null {
  if (typeof MessageChannel !== "function") return null;
  const channel = new MessageChannel();
  const queue: (() => void)[] = [];
  channel.port1.onmessage = () => { queue.shift()?.(); };
  return (fn) => { queue.push(fn); channel.port2.postMessage(null); };
}

export const nextMacrotask: Schedule = typeof immediate === "function"
  ? (fn) => { immediate(fn); }
  : viaMessageChannel() ?? ((fn) => { setTimeout(fn, 0); });
