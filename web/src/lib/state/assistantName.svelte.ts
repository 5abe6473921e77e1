/**
 * ASSIST-11: the assistant's display name on this device: the server's (an admin configures it), kept in local
 * storage so it shows offline too; null until the server has told this device.
 */
import { parseAssistantName } from '../assistantName.ts';
import type { AssistantName } from '../assistantName.ts';
import { api } from '../sync/api.ts';

const KEY = 'muster.assistantName';

function load(): AssistantName | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? parseAssistantName(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

export class AssistantNameState {
  name = $state<AssistantName | null>(load());

  /** Asks the server; no network or an answer that is not a name leaves the name as it was. */
  async refresh(token: string): Promise<void> {
    try {
      const name = parseAssistantName(await api.assistant(token));
      if (!name) return;
      this.name = name;
      localStorage.setItem(KEY, JSON.stringify({ name }));
    } catch {
      // offline or storage unavailable: the cached or default name stays
    }
  }
}
