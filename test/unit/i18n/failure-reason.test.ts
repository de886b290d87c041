import { describe, expect, it } from 'vitest';
import { failureReason } from '@/lib/i18n/words';

describe('failureReason', () => {
  it("keeps the first line of an error's own words", () => {
    expect(failureReason(new Error('The log could not be read\n    at open (dexie.mjs:1:1)'))).toBe('The log could not be read');
    expect(failureReason(new DOMException('  QuotaExceededError: the disk is full  '))).toBe('QuotaExceededError: the disk is full');
  });

  it('says what was thrown when it is not an Error', () => {
    expect(failureReason('refused')).toBe('refused');
    expect(failureReason(undefined)).toBe('undefined');
    expect(failureReason({ toString: () => 'an object' })).toBe('an object');
  });

  it('cuts long words to 160 characters, the last one an ellipsis', () => {
    const said = failureReason(new Error('x'.repeat(500)));
    expect(said).toHaveLength(160);
    expect(said.endsWith('…')).toBe(true);
    expect(failureReason(new Error('y'.repeat(160)))).toBe('y'.repeat(160));
  });
});
