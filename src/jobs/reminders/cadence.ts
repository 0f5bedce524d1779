/**
 * The cadence in force and the shipped cadence live in the store (the case refresh plans collection reminders
 * with them, decision 0757); re-exported here for the reminder jobs and their callers.
 */
export {
  cadenceInForce,
  SHIPPED_CADENCE_FILE,
  SHIPPED_CADENCE_VERSION,
  shippedCadence,
} from '../../store/index.js';
