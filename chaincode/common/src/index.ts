export * from './caller';
export * from './errors';
export * from './json';
export * from './ledger';
export * from './shim-logging';
export * from './state-batch';
export * from './validate';
