import { channelOf, type NetworkProfile } from './network-profile';

const profile = (channels?: NetworkProfile['channels']): NetworkProfile => ({ name: 'n', channel: 'edgetrust', chaincodes: {}, organizations: {}, channels });

describe('channelOf', () => {
    const two = profile({
        edgetrust: { latencyClass: 'latency', batchTimeout: '20ms', maxMessageCount: 500, chaincodes: ['evidence'] },
        'edgetrust-bulk': { latencyClass: 'bulk', batchTimeout: '1s', maxMessageCount: 2000, chaincodes: ['evidence'] },
    });

    it('picks a channel by name or by latency class, and the default channel without either', () => {
        expect(channelOf(two)).toBe('edgetrust');
        expect(channelOf(two, 'bulk')).toBe('edgetrust-bulk');
        expect(channelOf(two, 'latency')).toBe('edgetrust');
        expect(channelOf(two, 'edgetrust-bulk')).toBe('edgetrust-bulk');
    });

    it('refuses a channel or class the profile does not have, also in a profile with one channel', () => {
        expect(() => channelOf(two, 'archive')).toThrow(/no channel or latency class archive/);
        expect(channelOf(profile(), 'edgetrust')).toBe('edgetrust');
        expect(() => channelOf(profile(), 'bulk')).toThrow(/no channel or latency class bulk/);
    });
});
