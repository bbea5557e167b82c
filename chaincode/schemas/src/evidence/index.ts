export * from './capture';
export * from './enums';
export * from './errors';
export * from './kinds';
export * from './records';
export * from './requests';
export * from './transactions';
export * from './receipt';
