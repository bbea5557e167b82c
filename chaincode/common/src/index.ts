export * from './caller';
export * from './errors';
export * from './json';
export * from './ledger';
export * from './peer-clock';
export * from './shim-logging';
export * from './state-batch';
export * from './validate';
