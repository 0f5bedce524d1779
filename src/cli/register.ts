import type { Command } from 'commander';
import type { CliIo } from './io.js';

/**
 * Every subcommand module exports one function of this shape; main() registers them all. It lives apart from
 * main.ts so that the commands do not import the module that imports them.
 */
export type RegisterCommand = (program: Command, io: CliIo) => void;
