export * from './caller';
export * from './errors';
export * from './json';
export * from './ledger';
export * from './validate';
