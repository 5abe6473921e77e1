/**
 * WebSocket close codes. The stock y-websocket client does not reconnect on 4400–4499 (the server decided and
 * a retry cannot help) and does reconnect on anything else, including 4500–4599 (try again later).
 */
export const CloseCode = {
  /** Normal shutdown of the server; clients reconnect. */
  serverShutdown: 1001,
  /** A frame that is not a valid Muster/y-websocket message. */
  malformed: 4400,
  /** No or invalid token. */
  unauthorized: 4401,
  /** The person may not open this document. */
  forbidden: 4403,
  /** Unknown document name. */
  notFound: 4404,
  /** A message larger than the configured maximum. */
  messageTooLarge: 4413,
  /** Too many messages or bytes per second; transient. */
  rateLimited: 4529,
  /**
   * A closed group sent its sync request (LATE-1) and the connection kept writing without answering it within the
   * reply window; reconnect, and what the device holds is judged afresh.
   */
  closureAnswerLate: 4508,
  /** The group was just started by someone else: reconnect, membership is decided again (ACL-1). */
  membershipPending: 4509,
  /** Server could not persist; transient. */
  storageFailure: 4503,
  /**
   * PERF-2: the socket did not read what the relay sent and more than the cap waited unsent (the relay drops it at
   * once, so the client usually sees 1006); reconnect and sync again.
   */
  slowConsumer: 4530,
  /** SCALE-3: the node that owns the document changed or cannot be reached; reconnect (through the balancer). */
  ownerMoved: 4512,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
