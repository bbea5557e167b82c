export * from './enums';
export * from './errors';
export * from './records';
export * from './requests';
export * from './transactions';
export * from './messages';
