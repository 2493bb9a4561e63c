import type { CommandParser } from './context.ts';

/** STUB — to be written. */
export const parseStatus: CommandParser = () => {};
