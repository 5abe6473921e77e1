/**
 * The workflow commands of an open group: supervision, instructions, clues, tasks, approvals, closure. Field acts
 * (instructions, acknowledgements, clues, task outcomes) carry the device's attested time (ATT-1).
 */
import {
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
  supervise,
  writeLesson,
  waiveTask,
} from '@muster/core';
import type { Actor, Addressee, ApprovalType } from '@muster/core';
import type * as Y from 'yjs';
import { newId } from '../ids.ts';
import { attestation } from '../sync/attestation.ts';
import { serverClock } from '../sync/serverClock.ts';

export type CommandResult = { ok: true } | { ok: false; code: string; message: string };

/** Runs a command on the open group's document as the logged-in person (the group view provides it). */
export interface CommandRunner {
  run(fn: (doc: Y.Doc, actor: Actor) => void): CommandResult;
}

export class GroupCommands {
  constructor(private readonly view: CommandRunner) {}

  supervise(postId: string): CommandResult {
    return this.view.run((doc, by) => void supervise(doc, { id: newId(), postId, by, deviceTime: Date.now() }));
  }

  giveInstruction(text: string, to: Addressee[], postId: string | null): CommandResult {
    return this.view.run(
      (doc, author) =>
        void giveInstruction(doc, {
          id: newId(),
          text,
          to,
          author,
          postId,
          deviceTime: Date.now(),
          attested: attestation.now(),
        }),
    );
  }

  acknowledge(entryId: string, postId: string | null): CommandResult {
    return this.view.run(
      (doc, by) =>
        void acknowledge(doc, {
          id: newId(),
          entryId,
          kind: 'ack',
          by,
          postId,
          deviceTime: Date.now(),
          attested: attestation.now(),
        }),
    );
  }

  /** REMIND-1: 催办 a clue (its recipients who have not acknowledged) or an invitation (its post, unsigned). */
  remind(refKind: 'clue' | 'invitation', refId: string): CommandResult {
    return this.view.run(
      (doc, by) =>
        void remind(doc, {
          id: newId(),
          refKind,
          refId,
          by,
          deviceTime: Date.now(),
          attested: attestation.now(),
        }),
    );
  }

  pushClue(text: string, targetUnitIds: string[]): CommandResult {
    return this.view.run(
      (doc, author) =>
        void pushClue(doc, {
          id: newId(),
          text,
          targetUnitIds,
          author,
          deviceTime: Date.now(),
          attested: attestation.now(),
        }),
    );
  }

  addTask(title: string, assignee: Addressee, due: number | null): CommandResult {
    return this.view.run(
      (doc, author) => void addTask(doc, { id: newId(), title, assignee, due, author, deviceTime: Date.now() }),
    );
  }

  completeTask(taskId: string, note: string): CommandResult {
    return this.view.run(
      (doc, by) =>
        void completeTask(doc, {
          id: newId(),
          taskId,
          text: note,
          by,
          deviceTime: Date.now(),
          attested: attestation.now(),
        }),
    );
  }

  waiveTask(taskId: string, reason: string): CommandResult {
    return this.view.run(
      (doc, by) =>
        void waiveTask(doc, {
          id: newId(),
          taskId,
          text: reason,
          by,
          deviceTime: Date.now(),
          attested: attestation.now(),
        }),
    );
  }

  /** APR-1: `type` is one of the cached approval types (or the defaults), as the form showed it. */
  requestApproval(type: ApprovalType, values: Record<string, unknown>): CommandResult {
    return this.view.run(
      (doc, author) => void requestApproval(doc, { id: newId(), type, values, author, deviceTime: Date.now() }),
    );
  }

  decide(approvalId: string, decision: 'approve' | 'reject', comment: string, postId: string): CommandResult {
    return this.view.run(
      (doc, by) =>
        void requestDecision(doc, {
          id: newId(),
          approvalId,
          decision,
          comment,
          by,
          postId,
          deviceTime: Date.now(),
        }),
    );
  }

  requestClose(summary: string, postId: string | null): CommandResult {
    return this.view.run(
      (doc, by) =>
        void requestClose(doc, { id: newId(), summary, by, postId, deviceTime: Date.now() }, serverClock.now()),
    );
  }

  /** LATE-3: asks the relay to seal the closed group's record, from a post that may (POL-12). */
  requestSeal(postId: string): CommandResult {
    return this.view.run((doc, by) => void requestSeal(doc, { id: newId(), by, postId, deviceTime: Date.now() }));
  }

  /** REVIEW-3: writes a lesson of the review into the closed group (POL-18 decides who may). */
  writeLesson(text: string): CommandResult {
    return this.view.run((doc, author) => void writeLesson(doc, { id: newId(), text, author, deviceTime: Date.now() }));
  }
}
