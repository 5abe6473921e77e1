/**
 * The workflow commands of an open group: supervision, instructions, clues, tasks, approvals, closure. Field acts
 * (instructions, acknowledgements, clues, task outcomes) carry the device's attested time (ATT-1).
 */
import {
  CommandError,
  acknowledge,
  addTask,
  completeTask,
  giveInstruction,
  pushClue,
  remind,
  requestApproval,
  requestClose,
  requestDecision,
  requestSeal,
  requestHold,
  supervise,
  writeLesson,
  waiveTask,
} from '@muster/core';
import type { Actor, Addressee, ApprovalType, ReminderKind } from '@muster/core';
import type * as Y from 'yjs';
import { newId } from '../ids.ts';
import { attestation } from '../sync/attestation.ts';
import { serverClock } from '../sync/serverClock.ts';

export type CommandResult = { ok: true } | { ok: false; code: string; message: string };

/** A core command's refusal (`CommandError`) as a failed result; anything else is not a refusal and is thrown on. */
export function refusal(e: unknown): { ok: false; code: string; message: string } {
  if (e instanceof CommandError) return { ok: false, code: e.code, message: e.message };
  throw e;
}

/** What every new record carries: a new id and the device's time. */
export const fresh = (): { id: string; deviceTime: number } => ({ id: newId(), deviceTime: Date.now() });

/** ATT-1: a field act also carries the device's attested time. */
const fieldAct = () => ({ ...fresh(), attested: attestation.now() });

/** Runs a command on the open group's document as the logged-in person (the group view provides it). */
export interface CommandRunner {
  run(fn: (doc: Y.Doc, actor: Actor) => void): CommandResult;
}

export class GroupCommands {
  constructor(private readonly view: CommandRunner) {}

  supervise(postId: string): CommandResult {
    return this.view.run((doc, by) => void supervise(doc, { ...fresh(), postId, by }));
  }

  giveInstruction(text: string, to: Addressee[], postId: string | null): CommandResult {
    return this.view.run(
      (doc, author) =>
        void giveInstruction(doc, {
          ...fieldAct(),
          text,
          to,
          author,
          postId,
        }),
    );
  }

  acknowledge(entryId: string, postId: string | null): CommandResult {
    return this.view.run(
      (doc, by) =>
        void acknowledge(doc, {
          ...fieldAct(),
          entryId,
          kind: 'ack',
          by,
          postId,
        }),
    );
  }

  /**
   * REMIND-1: 催办 a clue (its recipients who have not acknowledged), an invitation (its post, unsigned) or an
   * instruction (REMIND-4: its addressees who have not acknowledged).
   */
  remind(refKind: ReminderKind, refId: string): CommandResult {
    return this.view.run(
      (doc, by) =>
        void remind(doc, {
          ...fieldAct(),
          refKind,
          refId,
          by,
        }),
    );
  }

  pushClue(text: string, targetUnitIds: string[]): CommandResult {
    return this.view.run(
      (doc, author) =>
        void pushClue(doc, {
          ...fieldAct(),
          text,
          targetUnitIds,
          author,
        }),
    );
  }

  addTask(title: string, assignee: Addressee, due: number | null): CommandResult {
    return this.view.run((doc, author) => void addTask(doc, { ...fresh(), title, assignee, due, author }));
  }

  completeTask(taskId: string, note: string): CommandResult {
    return this.view.run(
      (doc, by) =>
        void completeTask(doc, {
          ...fieldAct(),
          taskId,
          text: note,
          by,
        }),
    );
  }

  waiveTask(taskId: string, reason: string): CommandResult {
    return this.view.run(
      (doc, by) =>
        void waiveTask(doc, {
          ...fieldAct(),
          taskId,
          text: reason,
          by,
        }),
    );
  }

  /** APR-1: `type` is one of the cached approval types (or the defaults), as the form showed it. */
  requestApproval(type: ApprovalType, values: Record<string, unknown>): CommandResult {
    return this.view.run((doc, author) => void requestApproval(doc, { ...fresh(), type, values, author }));
  }

  decide(approvalId: string, decision: 'approve' | 'reject', comment: string, postId: string): CommandResult {
    return this.view.run(
      (doc, by) => void requestDecision(doc, { ...fresh(), approvalId, decision, comment, by, postId }),
    );
  }

  requestClose(summary: string, postId: string | null): CommandResult {
    return this.view.run((doc, by) => void requestClose(doc, { ...fresh(), summary, by, postId }, serverClock.now()));
  }

  /** LATE-3: asks the relay to seal the closed group's record, from a post that may (POL-12). */
  requestSeal(postId: string): CommandResult {
    return this.view.run((doc, by) => void requestSeal(doc, { ...fresh(), by, postId }));
  }

  /** KEEP-2: asks the relay to place (`on`) or lift a legal hold, from a leader post that may (POL-21). */
  requestHold(on: boolean, reason: string, postId: string): CommandResult {
    return this.view.run((doc, by) => void requestHold(doc, { ...fresh(), on, reason, by, postId }));
  }

  /** REVIEW-3: writes a lesson of the review into the closed group (POL-18 decides who may). */
  writeLesson(text: string): CommandResult {
    return this.view.run((doc, author) => void writeLesson(doc, { ...fresh(), text, author }));
  }
}
