// One rule for times in every chaincode (common/src/validate.ts); device identity's name for the optional form.
export { optionalTimestamp as optionalIsoTime } from '../../common/src';
