/**
 * ASSIST-4/ASSIST-8: the relay's side of the assistant thread. When questions arrive (or a document loads with
 * questions a crash left unanswered), they are answered one at a time per document, in derived order, so a
 * follow-up sees the answer before it (ASSIST-3); each answer is written through core `recordAnswer` with the
 * server's origin into `server:answers`, and the asker's inbox gets nothing extra: the answer is in the group they
 * are in. Pushed answers (stamped) are delivered to the recipients' inboxes.
 */
import type * as Y from 'yjs';
import { Root, changedRecords, changedRefs, lookupDeliveries, recordAnswer, unansweredQuestions } from '@muster/core';
import { parseDocName } from '@muster/protocol';
import type { Extension } from '../extension.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';
import type { DocumentHandle } from '../relay/types.ts';
import { SERVER_ORIGIN } from '../relay/types.ts';
import type { InboxWriter } from '../workflow/inboxWriter.ts';
import type { DocumentAccess } from '../workflow/types.ts';
import type { Assistant } from './assistant.ts';

export interface AssistantExtensionOptions {
  assistant: Assistant;
  docs: () => DocumentAccess;
  inbox: InboxWriter;
  log: Logger;
}

export interface AssistantRunner {
  extension: Extension;
  /** Resolves when every question queued so far is answered (tests, shutdown). */
  idle(): Promise<void>;
}

export function assistantExtension(o: AssistantExtensionOptions): AssistantRunner {
  const queues = new Map<string, Promise<void>>();
  const pending = new Set<string>();
  /** Documents whose look-up pushes have all been offered to the inbox writer. */
  const caughtUp = new WeakSet<Y.Doc>();

  const answerAll = async (docName: string): Promise<void> => {
    await o.docs().withDocument(docName, async ({ doc }) => {
      // One at a time: each answer is written before the next question is read (follow-ups).
      for (let guard = 0; guard < 1000; guard++) {
        const next = unansweredQuestions(doc).find((q) => q.serverTime !== null);
        if (!next) break;
        const answer = await o.assistant.answer(doc, docName, next.record);
        if (!recordAnswer(doc, answer, SERVER_ORIGIN)) break;
      }
    });
  };

  const schedule = (docName: string): void => {
    if (pending.has(docName)) return;
    pending.add(docName);
    const prev = queues.get(docName) ?? Promise.resolve();
    const run = prev
      .then(() => {
        pending.delete(docName);
        return answerAll(docName);
      })
      .catch((error: unknown) => o.log.error('answering questions failed', { doc: docName, error: errorText(error) }));
    queues.set(docName, run);
    void run.finally(() => {
      if (queues.get(docName) === run) queues.delete(docName);
    });
  };

  const isGroup = (d: DocumentHandle): boolean => parseDocName(d.name) !== null;

  const extension: Extension = {
    name: 'assistant',
    phase: 'workflow',
    onLoadDocument({ document }) {
      if (isGroup(document) && unansweredQuestions(document.doc).length > 0) schedule(document.name);
    },
    afterApply({ document, transaction }) {
      if (!isGroup(document)) return;
      if (changedRefs(document.doc, transaction).some((r) => r.collection === Root.questions)) schedule(document.name);
    },
    onStoreUpdate({ document, changes }) {
      if (!isGroup(document)) return;
      // PERF-1: the pushes a commit changed; all of them at a document's first commit, after a change of its group
      // record, and after a delivery failed.
      const doc = document.doc;
      const only = caughtUp.has(doc) && !changes.has(Root.meta) ? changedRecords(changes).get(Root.lookupPushes) : null;
      if (only?.size === 0 || only === undefined) return;
      caughtUp.add(doc);
      void o.inbox.deliver(lookupDeliveries(doc, only ?? undefined)).then((ok) => ok || caughtUp.delete(doc));
    },
  };
  return {
    extension,
    idle: async () => {
      while (queues.size > 0) await Promise.all([...queues.values()]);
    },
  };
}
