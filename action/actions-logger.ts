import { formatPlainLine, type Logger } from '../src/log/logger.js';

/** The parts of @actions/core the logger writes through. */
export interface ActionsLog {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/**
 * A Logger for the Actions log: each record as one line of text (see formatPlainLine); warnings and errors
 * as the runner's warning and error annotations, so they show on the run's summary page too.
 */
export function createActionsLogger(core: ActionsLog): Logger {
  return {
    debug: (msg, fields) => core.debug(formatPlainLine(msg, fields)),
    info: (msg, fields) => core.info(formatPlainLine(msg, fields)),
    warn: (msg, fields) => core.warning(formatPlainLine(msg, fields)),
    error: (msg, fields) => core.error(formatPlainLine(msg, fields)),
  };
}
