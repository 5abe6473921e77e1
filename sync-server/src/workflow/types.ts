/** What the workflow needs of the relay: run code on a (loaded-on-demand) document. */
import type { DocumentHandle } from '../relay/types.ts';

export interface DocumentAccess {
  withDocument<T>(docName: string, fn: (document: DocumentHandle) => T | Promise<T>): Promise<T>;
}
