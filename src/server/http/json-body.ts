import type { FastifyInstance } from 'fastify';
import { checkJsonDepth } from './json-depth.js';
import { KERNEL_MESSAGES } from './kernel-messages.js';
import { say } from './messages.js';
import { ProblemError } from './problem.js';

/** Keys that could reach an object's prototype when a parsed body is merged somewhere. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** A forbidden key written out, or any \u escape (which could spell one). */
const MAY_HOLD_FORBIDDEN_KEY = /__proto__|constructor|prototype|\\u/;

const rawBodies = new WeakMap<object, string>();

/** A request's body as it came, for a signature over the exact bytes (a payment gateway's callback). */
export function rawBodyOf(request: object): string | undefined {
  return rawBodies.get(request);
}

/**
 * The API reads JSON only. Its own parser names what is wrong: an empty body, a syntax error with its
 * position, or a key that could poison prototypes. Other content types are refused with 415.
 */
export function registerJsonBody(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    rawBodies.set(request, text);
    if (text.trim() === '') {
      done(new ProblemError('malformed_json', say(KERNEL_MESSAGES, 'json_empty')));
      return;
    }
    try {
      checkJsonDepth(text);
      // The key check visits every value; a text that cannot hold such a key (not even escaped) skips it.
      const value: unknown = MAY_HOLD_FORBIDDEN_KEY.test(text)
        ? JSON.parse(text, (key, v: unknown) => {
            if (FORBIDDEN_KEYS.has(key)) {
              throw new ProblemError('malformed_json', say(KERNEL_MESSAGES, 'json_key_refused', { key }));
            }
            return v;
          })
        : JSON.parse(text);
      done(null, value);
    } catch (error) {
      if (error instanceof ProblemError) {
        done(error);
        return;
      }
      const reason = error instanceof Error ? error.message : String(error);
      done(new ProblemError('malformed_json', say(KERNEL_MESSAGES, 'json_invalid', { reason })));
    }
  });
}
