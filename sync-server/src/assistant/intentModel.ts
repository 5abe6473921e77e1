/**
 * ASSIST-13: the optional reading of questions by a language model on the closed network, through the
 * OpenAI-compatible chat completions API that vLLM and the llama.cpp server offer (`MUSTER_LOOKUP_MODEL_URL`; off
 * by default). It is asked only for a question the deterministic parser cannot read, and only the question text
 * is sent: never a result, a name from the group or who asked. Its reply is taken only as a query the question
 * supports (core `acceptModelQuery`); a slow, failing or nonsensical model leaves the question unknown, as if there
 * were none.
 */
import { INTENTS, acceptModelQuery } from '@muster/core';
import type { LookupQuery } from '@muster/core';
import type { LookupModelConfig } from '../config.ts';
import { errorText } from '../log.ts';
import type { Logger } from '../log.ts';

export interface IntentModel {
  /** The query a question asks, or null when the model cannot tell (or failed). */
  read(question: string): Promise<LookupQuery | null>;
}

const PROMPT = [
  'You read look-up questions of police officers (Chinese or English) into JSON, nothing else.',
  `Reply with one object: {"intent": one of ${INTENTS.join(', ')}, "subject": {"kind": "id" | "plate" | "phone" |`,
  '"name" | "address" | "here", "value": the text of the subject exactly as the question writes it, "birthYear":',
  'a number if a name comes with one}}. "here" (no value) is the scene, for cameras or 110 calls nearby.',
  'If the question is not a look-up, reply {"intent": null}.',
].join(' ');

/** The first JSON object in a model's text (models like to wrap it in prose or code fences). */
function firstObject(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    return JSON.parse(text.slice(start, end + 1)) as unknown;
  } catch {
    return null;
  }
}

export class OpenAiIntentModel implements IntentModel {
  readonly #c: LookupModelConfig;
  readonly #log: Logger;

  constructor(config: LookupModelConfig, log: Logger) {
    this.#c = config;
    this.#log = log;
  }

  async read(question: string): Promise<LookupQuery | null> {
    try {
      const res = await fetch(`${this.#c.url}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(this.#c.apiKey ? { authorization: `Bearer ${this.#c.apiKey}` } : {}),
        },
        body: JSON.stringify({
          model: this.#c.model,
          temperature: 0,
          max_tokens: 200,
          messages: [
            { role: 'system', content: PROMPT },
            { role: 'user', content: question },
          ],
        }),
        signal: AbortSignal.timeout(this.#c.timeoutMs),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
      const content = body.choices?.[0]?.message?.content;
      return typeof content === 'string' ? acceptModelQuery(question, firstObject(content)) : null;
    } catch (error) {
      this.#log.warn('look-up model did not answer', { error: errorText(error) });
      return null;
    }
  }
}
