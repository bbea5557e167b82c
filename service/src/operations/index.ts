import { billingOperations } from './billing';
import { deviceIdentityOperations } from './device-identity';
import { evidenceOperations } from './evidence';
import type { Operation } from './table';

/** The route table: every operation of the three typed clients. */
export const allOperations: readonly Operation[] = [...evidenceOperations, ...billingOperations, ...deviceIdentityOperations];
