// The peer clock check is shared by every chaincode (common/peer-clock); billing re-exports it for its callers.
export { DEFAULT_TIMESTAMP_TOLERANCE_SECONDS, requireTimelyProposal, setClock, TOLERANCE_ENV, toleranceFromEnv } from '../../common/src';
