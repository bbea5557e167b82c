export * from './enums';
export * from './errors';
export * from './records';
export * from './requests';
export * from './signing';
export * from './transactions';
