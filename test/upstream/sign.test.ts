import { describe, expect, it } from 'vitest';
import { signNxlinkRequest } from '../../src/upstream/nxlink/sign.ts';

const vector = {
  accessKey: 'fme2na3kdi3ki',
  accessSecret: 's3cret',
  ts: '1655710885431',
  bizType: '2',
  action: 'mt',
  body: '{"tenant_id":123,"app_key":"46oKF=os","limit":5}',
};

describe('signing an NXLink request', () => {
  it('matches a signature computed independently with md5sum', () => {
    // printf '%s' 'accessKey=fme2na3kdi3ki&action=mt&bizType=2&ts=1655710885431&body={"tenant_id":123,"app_key":"46oKF=os","limit":5}&accessSecret=s3cret' | md5sum
    expect(signNxlinkRequest(vector).sign).toBe('edb2bff15dd2c42a2d5d6bf67553bd27');
  });

  it('returns the four signed headers and the sign, but never the secret', () => {
    const headers = signNxlinkRequest(vector);
    expect(headers).toEqual({
      accessKey: 'fme2na3kdi3ki',
      ts: '1655710885431',
      bizType: '2',
      action: 'mt',
      sign: 'edb2bff15dd2c42a2d5d6bf67553bd27',
    });
    expect(JSON.stringify(headers)).not.toContain('s3cret');
  });

  it('signs the body text byte for byte, so equivalent JSON with other spacing signs differently', () => {
    const spaced = signNxlinkRequest({ ...vector, body: '{"tenant_id": 123,"app_key":"46oKF=os","limit":5}' });
    expect(spaced.sign).not.toBe('edb2bff15dd2c42a2d5d6bf67553bd27');
  });

  it('changes with the timestamp and with the secret', () => {
    expect(signNxlinkRequest({ ...vector, ts: '1655710885432' }).sign).not.toBe('edb2bff15dd2c42a2d5d6bf67553bd27');
    expect(signNxlinkRequest({ ...vector, accessSecret: 'other' }).sign).not.toBe('edb2bff15dd2c42a2d5d6bf67553bd27');
  });

  it('is lowercase hexadecimal md5', () => {
    expect(signNxlinkRequest(vector).sign).toMatch(/^[0-9a-f]{32}$/);
  });
});
