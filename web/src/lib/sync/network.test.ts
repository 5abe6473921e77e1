import { describe, expect, it } from 'vitest';
import { Network } from './network.ts';

function fixture(initial: boolean) {
  const events = new EventTarget();
  let state = initial;
  const network = new Network(events, () => state);
  const go = (online: boolean) => {
    state = online;
    events.dispatchEvent(new Event(online ? 'online' : 'offline'));
  };
  return { network, go };
}

describe('Network: the one reader of the browser network state', () => {
  it('reads the state as the browser has it', () => {
    const { network, go } = fixture(false);
    expect(network.online).toBe(false);
    go(true);
    expect(network.online).toBe(true);
  });

  it('tells every change first, then calls whoever waits for the network to come back', () => {
    const { network, go } = fixture(true);
    const seen: string[] = [];
    network.onChange((online) => seen.push(`change:${online}`));
    const stop = network.whenOnline(() => seen.push('back'));
    go(false);
    go(true);
    stop();
    go(false);
    go(true);
    expect(seen).toEqual(['change:false', 'change:true', 'back', 'change:false', 'change:true']);
  });
});
