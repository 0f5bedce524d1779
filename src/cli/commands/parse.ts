import { UsageError } from '../io.js';

export function parsePositiveInt(text: string, option: string, max: number): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1 || Number(text) > max) {
    throw new UsageError(`${option} must be a whole number from 1 to ${max}; got "${text}"`);
  }
  return Number(text);
}

export function parsePort(text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) > 65_535) {
    throw new UsageError(
      `--port must be a whole number from 0 to 65535 (0 picks a free port); got "${text}"`,
    );
  }
  return Number(text);
}
