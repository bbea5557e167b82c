import { CommitError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import type { ServiceError } from '@grpc/grpc-js';
import * as sdk from './index';
import { AccessDeniedError, EdgeTrustError, InvalidArgumentError, NotFoundError, parseChaincodeMessage, toEdgeTrustError, transactionNote } from './errors';

function gatewayError(peerMessage: string): GatewayError {
    return new GatewayError({
        code: 10,
        details: [{ address: '127.0.0.1:7100', mspId: 'EdgeOrgMSP', message: peerMessage }],
        cause: new Error('ABORTED') as ServiceError,
        message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
    });
}

describe('typed errors from chaincode codes', () => {
    it('parses the code out of a peer error message', () => {
        expect(parseChaincodeMessage('chaincode response 500, NOT_FOUND: evidence x does not exist')).toEqual({
            code: 'NOT_FOUND',
            message: 'evidence x does not exist',
        });
        expect(parseChaincodeMessage('chaincode response 500, something broke')).toBeUndefined();
    });

    it.each([
        ['INVALID_ARGUMENT: digest must be a SHA-256 digest', InvalidArgumentError, 'INVALID_ARGUMENT'],
        ['ACCESS_DENIED: not allowed', AccessDeniedError, 'ACCESS_DENIED'],
        ['NOT_FOUND: evidence x does not exist', NotFoundError, 'NOT_FOUND'],
        ['SIGNATURE_INVALID: bad signature', EdgeTrustError, 'SIGNATURE_INVALID'],
    ])('turns "%s" into the matching class', (text, ErrorClass, code) => {
        const err = toEdgeTrustError(gatewayError(`chaincode response 500, ${text}`));
        expect(err).toBeInstanceOf(ErrorClass);
        expect(err).toMatchObject({ code, message: text });
        expect(err.cause).toBeInstanceOf(GatewayError);
    });

    it('reports endorsers that saw different state as a conflict', () => {
        const err = toEdgeTrustError(gatewayError('ProposalResponsePayloads do not match'));
        expect(err).toBeInstanceOf(sdk.TransactionConflictError);
        expect(err.code).toBe('ENDORSEMENT_MISMATCH');
    });

    it('keeps gateway errors without a chaincode code as GATEWAY_<grpc code>', () => {
        expect(toEdgeTrustError(gatewayError('peer unreachable'))).toMatchObject({ code: 'GATEWAY_10' });
    });

    it('exports every error class as a value at run time, so instanceof works for users', () => {
        for (const name of ['EdgeTrustError', 'InvalidArgumentError', 'AccessDeniedError', 'NotFoundError', 'AlreadyExistsError', 'InvalidStateError', 'TransactionConflictError']) {
            expect(typeof (sdk as Record<string, unknown>)[name]).toBe('function');
        }
    });

    it('says that a refused proposal recorded nothing, keeping its id', () => {
        const refused = new EndorseError({
            code: 10,
            details: [{ address: '127.0.0.1:7100', mspId: 'EdgeOrgMSP', message: 'chaincode response 500, ACCESS_DENIED: RevokeCertificate of cam-7 is for its owner' }],
            cause: new Error('ABORTED') as ServiceError,
            message: '10 ABORTED: failed to endorse transaction',
            transactionId: 'abc123',
        });
        const err = toEdgeTrustError(refused);
        expect(err).toMatchObject({ code: 'ACCESS_DENIED', transactionId: 'abc123', stage: 'proposal' });
        expect(transactionNote(err)).toBe('proposal abc123, nothing recorded');
    });

    it('says that a transaction invalidated at commit wrote nothing', () => {
        const err = toEdgeTrustError(new CommitError({ code: 11, transactionId: 'def456', message: 'transaction def456 failed to commit' }));
        expect(err).toMatchObject({ code: 'MVCC_READ_CONFLICT', transactionId: 'def456', stage: 'commit' });
        expect(transactionNote(err)).toBe('transaction def456 invalidated at commit, nothing written');
    });

    it('has no note for an error without a transaction', () => {
        expect(transactionNote(new EdgeTrustError({ code: 'CONFIG_ERROR', message: 'no profile' }))).toBeUndefined();
    });
});
