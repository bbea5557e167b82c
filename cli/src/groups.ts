import { billingCommands } from './billing-commands';
import { computeCommands } from './compute-commands';
import type { CommandGroup } from './context';
import { assetCommands, deviceCommands } from './device-commands';
import { evidenceCommands } from './evidence-commands';

/** Every command group of `edgetrust`; each lives in its own file. */
export const GROUPS: readonly CommandGroup[] = [evidenceCommands, deviceCommands, assetCommands, billingCommands, computeCommands];
