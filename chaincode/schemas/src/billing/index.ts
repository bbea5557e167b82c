export * from './arithmetic';
export * from './completeness';
export * from './enums';
export * from './errors';
export * from './records';
export * from './requests';
export * from './transactions';
