export { Type, type Static, type TSchema } from '@sinclair/typebox';
export * from './canonical-json';
export * from './check';
export * from './contract-metadata';
export * from './error-codes';
export * from './page';
export * from './primitives';
export * from './rfc6962';
