/**
 * ASSIST-4/6/8 on the device: the assistant thread of one open group. Questions, tapped choices, pushes and
 * acknowledgements are records written on the device (offline too); answers come from the relay. A revealed value
 * is asked of the server, kept in memory for this screen only, never written into the group.
 */
import { acknowledgePush, askQuestion, lookupThread, mayPushLookup, pushLookupAnswer, readMeta } from '@muster/core';
import type { Actor, ThreadItem } from '@muster/core';
import { api, HttpError } from '../sync/api.ts';
import { newId } from '../ids.ts';
import type { CommandResult, GroupView } from './groupView.svelte.ts';
import type { Session } from './session.svelte.ts';

const revealKey = (questionId: string, source: string, rowKey: string, field: string): string =>
  `${questionId}\u0000${source}\u0000${rowKey}\u0000${field}`;

export class AssistantThread {
  /** Values revealed on this screen, by question, source, row and field. */
  revealed = $state<Record<string, string>>({});
  revealError = $state<string | null>(null);

  items = $derived.by<ThreadItem[]>(() => {
    const h = this.view.handle;
    if (!h) return [];
    void h.version;
    return lookupThread(h.doc);
  });

  /** ASSIST-10: questions the relay cut (a sealed group, or written after the closure), by id, with the code. */
  refused = $derived.by<ReadonlyMap<string, string>>(() => {
    const out = new Map<string, string>();
    for (const [k, code] of this.view.handle?.snapshot.refusedCodes ?? []) {
      if (k.startsWith('questions/')) out.set(k.slice('questions/'.length), code);
    }
    return out;
  });

  /** Persons of the group an answer can be sent to: the initiator and everyone who wrote in it, but me. */
  members = $derived.by<Actor[]>(() => {
    const h = this.view.handle;
    const me = this.session.person?.id;
    if (!h) return [];
    void h.version;
    const out = new Map<string, Actor>();
    const meta = readMeta(h.doc);
    if (meta) out.set(meta.initiator.personId, meta.initiator);
    for (const root of ['entries', 'signoffs', 'questions', 'acks']) {
      for (const v of h.doc.getMap<Record<string, unknown>>(root).values()) {
        const a = (v['author'] ?? v['by']) as Actor | undefined;
        if (a && typeof a.personId === 'string' && typeof a.name === 'string') out.set(a.personId, a);
      }
    }
    if (me) out.delete(me);
    return [...out.values()];
  });

  constructor(
    private readonly view: GroupView,
    private readonly session: Session,
  ) {}

  /** ASSIST-8: desks and leaders send answers to members (the policy's `mayPushLookup`). */
  get canPush(): boolean {
    const p = this.session.person;
    return !!p && mayPushLookup(p).ok;
  }

  ask(text: string): CommandResult {
    return this.view.run((doc, by) => void askQuestion(doc, { id: newId(), text, by, deviceTime: Date.now() }));
  }

  /** ASSIST-2: a tapped choice is a question naming the answer and the choice; its text is the choice's label. */
  choose(questionId: string, index: number, label: string): CommandResult {
    return this.view.run(
      (doc, by) =>
        void askQuestion(doc, {
          id: newId(),
          text: label,
          by,
          deviceTime: Date.now(),
          choiceOf: { questionId, index },
        }),
    );
  }

  push(questionId: string, to: Actor, text: string): CommandResult {
    return this.view.run(
      (doc, by) => void pushLookupAnswer(doc, { id: newId(), questionId, to, text, by, deviceTime: Date.now() }),
    );
  }

  acknowledge(pushId: string): CommandResult {
    return this.view.run(
      (doc, by) => void acknowledgePush(doc, { id: newId(), pushId, kind: 'ack', by, deviceTime: Date.now() }),
    );
  }

  isMine(personId: string): boolean {
    return this.session.person?.id === personId;
  }

  revealedValue(questionId: string, source: string, rowKey: string, field: string): string | undefined {
    return this.revealed[revealKey(questionId, source, rowKey, field)];
  }

  /** ASSIST-6: asks the server for one masked value (audited there); refusals show their code. */
  async reveal(questionId: string, source: string, rowKey: string, field: string): Promise<void> {
    const token = this.session.token;
    if (!token) return;
    try {
      const r = await api.lookupReveal(token, { groupId: this.view.id, questionId, sourceId: source, rowKey, field });
      this.revealed = { ...this.revealed, [revealKey(questionId, source, rowKey, field)]: String(r.value ?? '') };
      this.revealError = null;
    } catch (e) {
      this.revealError = e instanceof HttpError ? e.code : 'offline';
    }
  }
}

/**
 * Whether a question is still waiting: not answered; `offline` when the relay has not even stamped it. A question
 * the relay refused (ASSIST-10: `refused` holds its id) waits for nothing.
 */
export function waiting(
  item: ThreadItem,
  refused: ReadonlyMap<string, string> = new Map(),
): 'offline' | 'answering' | null {
  if (item.answer || refused.has(item.question.id)) return null;
  return item.question.serverTime === null ? 'offline' : 'answering';
}
