import { KERNEL_MESSAGES } from './kernel-messages.js';
import { say } from './messages.js';
import { fieldProblem, ProblemError } from './problem.js';

/** Deepest nesting of arrays and objects a request body may have; the deepest schema needs far less. */
export const BODY_DEPTH_MAX = 32;

/**
 * Refuses JSON text nested deeper than `BODY_DEPTH_MAX` before it is parsed, so that nothing that walks the
 * parsed value (validation, fingerprints, the control-character check) can run out of stack. One pass over
 * the characters, skipping strings.
 */
export function checkJsonDepth(text: string, depth_max: number = BODY_DEPTH_MAX): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > depth_max) {
        throw new ProblemError('body_too_deep', say(KERNEL_MESSAGES, 'body_too_deep', { max: depth_max }), [
          fieldProblem('/body', say(KERNEL_MESSAGES, 'nested_too_deep', { max: depth_max })),
        ]);
      }
    } else if (c === 0x7d || c === 0x5d) depth -= 1;
  }
}
