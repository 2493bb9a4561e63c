import type { CommandParser } from './context.ts';

/** STUB — to be written. */
export const parseAirEntities: CommandParser = () => {};
